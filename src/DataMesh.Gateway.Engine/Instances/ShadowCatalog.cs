using System.Collections.Concurrent;
using System.Text;
using DataMesh.Gateway.Engine.Execution;
using DuckDB.NET.Data;

namespace DataMesh.Gateway.Engine.Instances;

/// <summary>What a shadow column looks like to PostgreSQL clients (pg_attribute): its type's oid, length and typmod.</summary>
internal readonly record struct ShadowType(int Oid, short Length, int TypeModifier);

/// <summary>
/// Creates a spec's shadow tables (empty, with exactly the granted columns and their comments) and describes them
/// in the pg_catalog emulation. Runs before lockdown, on the instance's root connection. The whole catalog goes in a
/// handful of statements (one script of DDL, one check, one insert per emulated table): statement by statement, a
/// project with 100 grants took ~1,000 statements, most of the 0.6–1 s its first session waited for its instance.
/// The DDL runs as one transaction, and the pg_catalog rows go through the appender (<see cref="ShadowCatalogRows"/>).
/// </summary>
internal static class ShadowCatalog
{
    // Schemas the emulation itself lists or lives in: a shadow schema of that name would mix with them.
    private static readonly HashSet<string> ReservedSchemas =
        new(["main", "pg_catalog", "public", "pg_toast", "information_schema", "temp", "system"], StringComparer.OrdinalIgnoreCase);

    // What clients see for a DuckDB type, by the type's text: the same text always maps to the same PostgreSQL type,
    // so it is found out once per process (by preparing a query of a table with such a column) and remembered.
    private static readonly ConcurrentDictionary<string, ShadowType> KnownTypes = new(StringComparer.Ordinal);
    private const int MaxKnownTypes = 10_000;

    public static void Build(DuckDBConnection root, EngineSpec spec)
    {
        Validate(spec);
        if (spec.SchemaOids.Count == 0 && spec.ShadowTables.Count == 0) return;
        CreateTables(root, spec.SchemaOids.Keys, spec.ShadowTables);
        RequireExactColumns(root, spec.ShadowTables);
        WriteRows(root, spec.SchemaOids, spec.ShadowTables, spec.SchemaOids);
    }

    /// <summary>The schemas and the empty tables with their comments, as one transaction.</summary>
    internal static void CreateTables(DuckDBConnection root, IEnumerable<string> schemas, IReadOnlyList<ShadowTable> tables)
    {
        var ddl = new StringBuilder("BEGIN TRANSACTION;\n");
        foreach (var schema in schemas)
            ddl.Append("CREATE SCHEMA IF NOT EXISTS ").Append(SqlNames.Identifier(schema)).Append(";\n");
        foreach (var table in tables)
        {
            var name = SqlNames.Qualified(table.Schema, table.Name);
            var columns = string.Join(", ", table.Columns.Select(c => $"{SqlNames.Identifier(c.Name)} {c.DuckDbType}"));
            ddl.Append("CREATE TABLE ").Append(name).Append(" (").Append(columns).Append(");\n");
            if (table.Description is { } description)
                ddl.Append("COMMENT ON TABLE ").Append(name).Append(" IS ").Append(SqlNames.Literal(description)).Append(";\n");
            foreach (var column in table.Columns.Where(c => c.Description is not null))
                ddl.Append("COMMENT ON COLUMN ").Append(name).Append('.').Append(SqlNames.Identifier(column.Name))
                    .Append(" IS ").Append(SqlNames.Literal(column.Description)).Append(";\n");
        }
        ddl.Append("COMMIT;\n");
        InstanceBuilder.Run(root, ddl.ToString());
    }

    /// <summary>
    /// pg_catalog rows for <paramref name="schemas"/> and <paramref name="tables"/>, and the columns the grants hide
    /// (has_column_privilege answers false for them, not "does not exist"). <paramref name="allSchemas"/> gives each
    /// table's namespace oid.
    /// </summary>
    internal static void WriteRows(DuckDBConnection root, IReadOnlyDictionary<string, int> schemas, IReadOnlyList<ShadowTable> tables,
        IReadOnlyDictionary<string, int> allSchemas)
    {
        var types = ColumnTypes(root, tables);
        ShadowCatalogRows.Write(root, schemas, tables, allSchemas, types);
    }

    /// <summary>
    /// The column types are DuckDB type text from the catalog, spliced into the DDL: this reads the tables back in one
    /// query and fails closed if a type text ever reshaped a table (more, fewer or other columns than its spec).
    /// </summary>
    /// <param name="alsoSchemas">Schemas to search that no table names (a patched instance's dropped schemas): any
    /// table left in them fails the check.</param>
    internal static void RequireExactColumns(DuckDBConnection root, IReadOnlyList<ShadowTable> tables, IEnumerable<string>? alsoSchemas = null)
    {
        var searched = tables.Select(t => t.Schema).Concat(alsoSchemas ?? []).Distinct(StringComparer.Ordinal).ToList();
        if (searched.Count == 0) return;
        var actual = new Dictionary<(string, string), List<string>>();
        using (var cmd = root.CreateCommand())
        {
            var schemas = string.Join(", ", searched.Select(SqlNames.Literal));
            cmd.CommandText = "SELECT schema_name, table_name, column_name FROM duckdb_columns() " +
                              $"WHERE schema_name IN ({schemas}) ORDER BY schema_name, table_name, column_index"; // current_database() is the emulation's macro here
            using var reader = cmd.ExecuteReader();
            while (reader.Read())
            {
                var key = (reader.GetString(0), reader.GetString(1));
                if (!actual.TryGetValue(key, out var list)) actual[key] = list = [];
                list.Add(reader.GetString(2));
            }
        }
        foreach (var table in tables)
        {
            if (!actual.TryGetValue((table.Schema, table.Name), out var names) || !names.SequenceEqual(table.Columns.Select(c => c.Name), StringComparer.Ordinal))
                throw new InvalidOperationException($"shadow table {table.Schema}.{table.Name} does not have exactly the columns of its spec");
        }
        if (actual.Count != tables.Count) throw new InvalidOperationException("the instance holds shadow tables its spec does not name");
    }

    /// <summary>
    /// The types clients will see for each table's columns: the same mapping (and cast to text of exotic types) that
    /// query results get, read by preparing <c>SELECT *</c> on a table whose column has a type text not seen before.
    /// </summary>
    private static List<IReadOnlyList<ShadowType>> ColumnTypes(DuckDBConnection root, IReadOnlyList<ShadowTable> tables)
    {
        var result = new List<IReadOnlyList<ShadowType>>(tables.Count);
        EngineSession? probe = null;
        try
        {
            foreach (var table in tables)
            {
                if (table.Columns.Any(c => !KnownTypes.ContainsKey(c.DuckDbType)))
                {
                    probe ??= new EngineSession(EngineInstance.OpenDuplicate(root));
                    using var query = probe.Prepare($"SELECT * FROM {SqlNames.Qualified(table.Schema, table.Name)}");
                    if (query.Columns.Count != table.Columns.Count)
                        throw new InvalidOperationException($"shadow table {table.Schema}.{table.Name} does not have exactly the columns of its spec");
                    var probed = query.Columns.Select(c => new ShadowType(c.Type.Oid, c.Type.Length, c.Type.TypeModifier)).ToList();
                    for (var i = 0; i < probed.Count && KnownTypes.Count < MaxKnownTypes; i++) KnownTypes.TryAdd(table.Columns[i].DuckDbType, probed[i]);
                    result.Add(probed);
                    continue;
                }
                result.Add(table.Columns.Select(c => KnownTypes[c.DuckDbType]).ToList());
            }
        }
        finally
        {
            probe?.Dispose();
        }
        return result;
    }

    internal static void Validate(EngineSpec spec)
    {
        foreach (var (schema, oid) in spec.SchemaOids)
        {
            if (ReservedSchemas.Contains(schema))
                throw new ArgumentException($"'{schema}' cannot be a shadow schema: the pg_catalog emulation owns that name", nameof(spec));
            if (PgCatalogEmulation.BuiltInNamespaceOids.Contains(oid))
                throw new ArgumentException($"schema oid {oid} of '{schema}' is a built-in namespace oid", nameof(spec));
        }
        var oids = new HashSet<int>();
        foreach (var table in spec.ShadowTables)
        {
            if (!spec.SchemaOids.ContainsKey(table.Schema))
                throw new ArgumentException($"shadow table {table.Schema}.{table.Name} has no schema oid", nameof(spec));
            if (table.Columns.Count == 0)
                throw new ArgumentException($"shadow table {table.Schema}.{table.Name} has no visible columns", nameof(spec));
            if (!oids.Add(table.Oid))
                throw new ArgumentException($"shadow table oid {table.Oid} is used twice", nameof(spec));
        }
    }
}
