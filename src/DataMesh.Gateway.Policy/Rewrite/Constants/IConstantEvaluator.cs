namespace DataMesh.Gateway.Policy.Rewrite.Constants;

/// <summary>
/// Runs constant SELECTs on a connection configured like the project's instance (same settings, macros and shadow
/// catalog) that reads no data: the constant expressions it gets have no table, column or subquery to read.
/// </summary>
public interface IConstantEvaluator
{
    /// <summary>Runs one SELECT given as a json_serialize_sql document to completion; throws the engine's error.</summary>
    void Run(string serializedSelect);

    /// <summary>The SQL text of a json_serialize_sql document (json_deserialize_sql).</summary>
    string Print(string serializedSelect);

    /// <summary>The json_serialize_sql document of <paramref name="sql"/>.</summary>
    string Serialize(string sql);

    /// <summary>DuckDB's bound, unoptimised plan of <paramref name="sql"/> on this connection (json_serialize_plan with
    /// skip_null, never skip_empty: empty strings are values and field names); a binding error is reported inside the JSON.</summary>
    string SerializePlan(string sql);
}
