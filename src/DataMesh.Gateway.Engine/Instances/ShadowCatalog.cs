using DataMesh.Gateway.Engine.Execution;
using DataMesh.Gateway.Engine.Types;
using DuckDB.NET.Data;

namespace DataMesh.Gateway.Engine.Instances;

/// <summary>
/// Creates a spec's shadow tables (empty, with exactly the granted columns and their comments) and describes them
/// in the pg_catalog emulation. Runs before lockdown, on the instance's root connection.
/// </summary>
internal static class ShadowCatalog
{
    // Schemas the emulation itself lists or lives in: a shadow schema of that name would mix with them.
    private static readonly HashSet<string> ReservedSchemas =
        new(["main", "pg_catalog", "public", "pg_toast", "information_schema", "temp", "system"], StringComparer.OrdinalIgnoreCase);

    public static void Build(DuckDBConnection root, EngineSpec spec)
    {
        Validate(spec);
        foreach (var schema in spec.SchemaOids.Keys)
            InstanceBuilder.Run(root, $"CREATE SCHEMA IF NOT EXISTS {SqlNames.Identifier(schema)}");

        foreach (var table in spec.ShadowTables)
        {
            var name = SqlNames.Qualified(table.Schema, table.Name);
            var columns = string.Join(", ", table.Columns.Select(c => $"{SqlNames.Identifier(c.Name)} {c.DuckDbType}"));
            InstanceBuilder.Run(root, $"CREATE TABLE {name} ({columns})");
            if (table.Description is { } description)
                InstanceBuilder.Run(root, $"COMMENT ON TABLE {name} IS {SqlNames.Literal(description)}");
            foreach (var column in table.Columns.Where(c => c.Description is not null))
                InstanceBuilder.Run(root, $"COMMENT ON COLUMN {name}.{SqlNames.Identifier(column.Name)} IS {SqlNames.Literal(column.Description)}");
        }

        // Columns the grants hide: has_column_privilege answers false for them (not "does not exist").
        foreach (var table in spec.ShadowTables.Where(t => t.HiddenColumns is { Count: > 0 }))
            InstanceBuilder.Run(root, $"INSERT INTO {GatewayMacros.HiddenColumnsTable} VALUES "
                + string.Join(", ", table.HiddenColumns!.Select(c => $"({table.Oid}, {SqlNames.Literal(c)})")));

        var types = ColumnTypes(root, spec.ShadowTables);
        foreach (var sql in PgCatalogEmulation.ShadowCatalogRows(spec, types)) InstanceBuilder.Run(root, sql);
    }

    /// <summary>
    /// The types clients will see for each table's columns, read back from DuckDB by preparing <c>SELECT *</c> on
    /// the table: the same mapping (and cast to text of exotic types) that query results get. Reading the table back
    /// also checks that its columns are exactly the spec's: the column types are DuckDB type text from the catalog,
    /// spliced into the DDL, and this fails closed if one of them ever reshaped the table.
    /// </summary>
    private static List<IReadOnlyList<PgColumnType>> ColumnTypes(DuckDBConnection root, IReadOnlyList<ShadowTable> tables)
    {
        var result = new List<IReadOnlyList<PgColumnType>>(tables.Count);
        if (tables.Count == 0) return result;
        using var probe = new EngineSession(EngineInstance.OpenDuplicate(root));
        foreach (var table in tables)
        {
            using var query = probe.Prepare($"SELECT * FROM {SqlNames.Qualified(table.Schema, table.Name)}");
            var names = query.Columns.Select(c => c.Name);
            if (!names.SequenceEqual(table.Columns.Select(c => c.Name), StringComparer.Ordinal))
                throw new InvalidOperationException($"shadow table {table.Schema}.{table.Name} does not have exactly the columns of its spec");
            result.Add(query.Columns.Select(c => c.Type).ToList());
        }
        return result;
    }

    private static void Validate(EngineSpec spec)
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
