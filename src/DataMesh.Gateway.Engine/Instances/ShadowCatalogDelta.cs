using DuckDB.NET.Data;

namespace DataMesh.Gateway.Engine.Instances;

/// <summary>
/// Turns the shadow catalog built for one spec into the one of another spec of the same project, in place and before
/// lockdown: drops the tables and schemas (and their pg_catalog rows) that changed or went, creates the ones that
/// changed or came. A grant change touches one or two of a project's ~100 shadow tables, so this is a few statements
/// where a build is ~100 tables plus the emulation. The result is checked against the target spec the way a build
/// is (exact columns, no table or schema left over, the pg_catalog rows counted); any mismatch throws, and the caller
/// builds from scratch instead.
/// </summary>
internal static class ShadowCatalogDelta
{
    public static void Apply(DuckDBConnection root, EngineSpec from, EngineSpec to)
    {
        ShadowCatalog.Validate(to);
        var before = from.ShadowTables.ToDictionary(t => t.Oid);
        var after = to.ShadowTables.ToDictionary(t => t.Oid);
        var dropTables = from.ShadowTables.Where(t => !(after.TryGetValue(t.Oid, out var kept) && Same(t, kept))).ToList();
        var createTables = to.ShadowTables.Where(t => !(before.TryGetValue(t.Oid, out var had) && Same(had, t))).ToList();
        var dropSchemas = from.SchemaOids.Where(s => !(to.SchemaOids.TryGetValue(s.Key, out var oid) && oid == s.Value)).ToList();
        var createSchemas = to.SchemaOids.Where(s => !(from.SchemaOids.TryGetValue(s.Key, out var oid) && oid == s.Value))
            .ToDictionary(s => s.Key, s => s.Value, StringComparer.Ordinal);

        if (dropTables.Count > 0 || dropSchemas.Count > 0) Drop(root, dropTables, dropSchemas, to.SchemaOids.Keys);
        if (createTables.Count > 0 || createSchemas.Count > 0) ShadowCatalog.CreateTables(root, createSchemas.Keys, createTables);
        ShadowCatalog.RequireExactColumns(root, to.ShadowTables, to.SchemaOids.Keys.Concat(dropSchemas.Select(s => s.Key)));
        RequireSchemas(root, to, dropSchemas.Select(s => s.Key).Where(s => !to.SchemaOids.ContainsKey(s)).ToList());
        ShadowCatalog.WriteRows(root, createSchemas, createTables, to.SchemaOids);
        RequireRows(root, from, to);
    }

    /// <summary>A table is kept only when nothing a client could see of it changed.</summary>
    private static bool Same(ShadowTable a, ShadowTable b) =>
        a.Schema == b.Schema && a.Name == b.Name && a.Description == b.Description &&
        a.Columns.SequenceEqual(b.Columns) && (a.HiddenColumns ?? []).SequenceEqual(b.HiddenColumns ?? [], StringComparer.Ordinal);

    private static void Drop(DuckDBConnection root, List<ShadowTable> tables, List<KeyValuePair<string, int>> schemas, IEnumerable<string> keptNames)
    {
        var sql = new System.Text.StringBuilder("BEGIN TRANSACTION;\n");
        foreach (var table in tables) sql.Append("DROP TABLE ").Append(SqlNames.Qualified(table.Schema, table.Name)).Append(";\n");
        // A schema that stays under another oid keeps its tables; only its pg_namespace row is replaced.
        foreach (var schema in schemas.Where(s => !keptNames.Contains(s.Key)))
            sql.Append("DROP SCHEMA ").Append(SqlNames.Identifier(schema.Key)).Append(" CASCADE;\n");
        if (tables.Count > 0)
        {
            var oids = string.Join(", ", tables.Select(t => t.Oid));
            sql.Append($"DELETE FROM pg_class WHERE oid IN ({oids});\n");
            sql.Append($"DELETE FROM pg_attribute WHERE attrelid IN ({oids});\n");
            sql.Append($"DELETE FROM pg_description WHERE classoid = {PgCatalogEmulation.PgClassOid} AND objoid IN ({oids});\n");
            sql.Append($"DELETE FROM {GatewayMacros.HiddenColumnsTable} WHERE attrelid IN ({oids});\n");
        }
        if (schemas.Count > 0) sql.Append($"DELETE FROM pg_namespace WHERE oid IN ({string.Join(", ", schemas.Select(s => s.Value))});\n");
        sql.Append("COMMIT;\n");
        InstanceBuilder.Run(root, sql.ToString());
    }

    private static void RequireSchemas(DuckDBConnection root, EngineSpec to, List<string> gone)
    {
        var names = to.SchemaOids.Keys.Concat(gone).ToList();
        if (names.Count == 0) return;
        using var cmd = root.CreateCommand();
        cmd.CommandText = "SELECT schema_name FROM duckdb_schemas() WHERE database_name = 'memory' AND schema_name IN (" +
                          string.Join(", ", names.Select(SqlNames.Literal)) + ")";
        var present = new HashSet<string>(StringComparer.Ordinal);
        using (var reader = cmd.ExecuteReader())
            while (reader.Read()) present.Add(reader.GetString(0));
        if (!present.SetEquals(to.SchemaOids.Keys))
            throw new InvalidOperationException("the patched shadow catalog does not have exactly the schemas of its spec");
    }

    /// <summary>Every shadow object of either spec has exactly the pg_catalog rows the target spec calls for.</summary>
    private static void RequireRows(DuckDBConnection root, EngineSpec from, EngineSpec to)
    {
        var tableOids = string.Join(", ", from.ShadowTables.Concat(to.ShadowTables).Select(t => t.Oid).Append(0).Distinct());
        var schemaOids = string.Join(", ", from.SchemaOids.Values.Concat(to.SchemaOids.Values).Append(0).Distinct());
        using var cmd = root.CreateCommand();
        cmd.CommandText =
            $"SELECT (SELECT count(*) FROM pg_namespace WHERE oid IN ({schemaOids})), " +
            $"(SELECT count(*) FROM pg_class WHERE oid IN ({tableOids})), " +
            $"(SELECT count(*) FROM pg_attribute WHERE attrelid IN ({tableOids})), " +
            $"(SELECT count(*) FROM pg_description WHERE classoid = {PgCatalogEmulation.PgClassOid} AND objoid IN ({tableOids})), " +
            $"(SELECT count(*) FROM {GatewayMacros.HiddenColumnsTable} WHERE attrelid IN ({tableOids}))";
        using var reader = cmd.ExecuteReader();
        reader.Read();
        long[] expected =
        [
            to.SchemaOids.Count, to.ShadowTables.Count, to.ShadowTables.Sum(t => t.Columns.Count),
            to.ShadowTables.Sum(t => (t.Description is null ? 0 : 1) + t.Columns.Count(c => c.Description is not null)),
            to.ShadowTables.Sum(t => t.HiddenColumns?.Count ?? 0),
        ];
        for (var i = 0; i < expected.Length; i++)
            if (Convert.ToInt64(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture) != expected[i])
                throw new InvalidOperationException("the patched shadow catalog's pg_catalog rows do not match its spec");
    }
}
