namespace DataMesh.Gateway.Engine.Instances;

/// <summary>Quoting for the trusted DDL the engine writes itself (names may contain quotes and any Unicode).</summary>
internal static class SqlNames
{
    public static string Identifier(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    public static string Qualified(string schema, string name) => Identifier(schema) + "." + Identifier(name);

    public static string Literal(string? value) => value is null ? "NULL" : DuckDbEngine.Literal(value);
}
