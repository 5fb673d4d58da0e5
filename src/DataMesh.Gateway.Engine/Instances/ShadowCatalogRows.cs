using System.Collections.Concurrent;
using DataMesh.Gateway.Engine.CatalogData;
using DataMesh.Gateway.Protocol.Types;
using DuckDB.NET.Data;

namespace DataMesh.Gateway.Engine.Instances;

/// <summary>
/// Writes the rows that describe a project's shadow tables into the pg_catalog emulation: one pg_namespace row per
/// shadow schema, one pg_class row per table, one pg_attribute row per column with the PostgreSQL type a query of it
/// returns, pg_description rows for the comments, and the hidden columns. Through DuckDB's appender, not INSERT
/// statements: a 100-grant project has ~1,000 attribute rows, and binding them as VALUES lists cost 21–35 ms of CPU per
/// instance build (measured with session-profile), the appender a small fraction of that. Columns a row does not name
/// take their declared DEFAULT, as they did with the INSERTs' column lists.
/// </summary>
internal static class ShadowCatalogRows
{
    // Each emulated table's column names in declaration order: the same in every instance, read once per process.
    private static readonly ConcurrentDictionary<string, string[]> Layouts = new(StringComparer.Ordinal);

    /// <summary>The tables each emulated table has rows of shadow objects in, keyed by the column naming the object.</summary>
    internal static readonly (string Table, string OidColumn)[] RowsByObject =
    [
        ("pg_namespace", "oid"), (GatewayMacros.HiddenColumnsTable, "attrelid"), ("pg_class", "oid"), ("pg_attribute", "attrelid"),
        ("pg_description", "objoid"),
    ];

    /// <param name="schemas">The schemas to describe (pg_namespace rows).</param>
    /// <param name="tables">The tables to describe, with <paramref name="columnTypes"/> in the same order.</param>
    /// <param name="allSchemas">Every shadow schema's oid: a table's namespace.</param>
    public static void Write(DuckDBConnection root, IReadOnlyDictionary<string, int> schemas, IReadOnlyList<ShadowTable> tables,
        IReadOnlyDictionary<string, int> allSchemas, IReadOnlyList<IReadOnlyList<ShadowType>> columnTypes)
    {
        if (schemas.Count > 0)
            Append(root, "pg_namespace", ["oid", "nspname", "nspowner"],
                schemas.Select(s => new object?[] { (uint)s.Value, s.Key, 10u }));

        var hidden = tables.SelectMany(t => (t.HiddenColumns ?? []).Select(c => new object?[] { (uint)t.Oid, c }));
        Append(root, GatewayMacros.HiddenColumnsTable, ["attrelid", "attname"], hidden);
        if (tables.Count == 0) return;

        Append(root, "pg_class", ["oid", "relname", "relnamespace", "relnatts"],
            tables.Select(t => new object?[] { (uint)t.Oid, t.Name, (uint)allSchemas[t.Schema], (short)t.Columns.Count }));
        Append(root, "pg_attribute", ["attrelid", "attname", "atttypid", "attlen", "attnum", "atttypmod", "attbyval", "attcollation", "attalign", "attstorage"],
            Attributes(tables, columnTypes));
        Append(root, "pg_description", ["objoid", "classoid", "objsubid", "description"], Descriptions(tables));
    }

    private static IEnumerable<object?[]> Attributes(IReadOnlyList<ShadowTable> tables, IReadOnlyList<IReadOnlyList<ShadowType>> columnTypes)
    {
        for (var t = 0; t < tables.Count; t++)
        {
            var table = tables[t];
            for (var c = 0; c < table.Columns.Count; c++)
            {
                var type = columnTypes[t][c];
                yield return [(uint)table.Oid, table.Columns[c].Name, (uint)type.Oid, type.Length, (short)(c + 1), type.TypeModifier,
                    type.Length is > 0 and <= 8, IsCollatable(type.Oid) ? 100u : 0u,
                    PgCatalogData.Align(type.Oid).ToString(), PgCatalogData.Storage(type.Oid).ToString()];
            }
        }
    }

    private static IEnumerable<object?[]> Descriptions(IReadOnlyList<ShadowTable> tables)
    {
        foreach (var table in tables)
        {
            if (table.Description is { } description) yield return [(uint)table.Oid, (uint)PgCatalogEmulation.PgClassOid, 0, description];
            for (var c = 0; c < table.Columns.Count; c++)
                if (table.Columns[c].Description is { } text) yield return [(uint)table.Oid, (uint)PgCatalogEmulation.PgClassOid, c + 1, text];
        }
    }

    private static void Append(DuckDBConnection root, string table, string[] columns, IEnumerable<object?[]> rows)
    {
        var layout = Layout(root, table);
        // Where each of the table's columns comes from in a row, or -1 for its DEFAULT.
        var source = layout.Select(name => Array.IndexOf(columns, name)).ToArray();
        if (source.Count(i => i >= 0) != columns.Length)
            throw new InvalidOperationException($"{table} does not have the columns {string.Join(", ", columns)}");
        using var appender = root.CreateAppender(table);
        foreach (var values in rows)
        {
            var row = appender.CreateRow();
            foreach (var i in source)
            {
                switch (i < 0 ? Default.Value : values[i])
                {
                    case Default: row.AppendDefault(); break;
                    case null: row.AppendNullValue(); break;
                    case uint v: row.AppendValue(v); break;
                    case int v: row.AppendValue(v); break;
                    case short v: row.AppendValue(v); break;
                    case bool v: row.AppendValue(v); break;
                    case string v: row.AppendValue(v); break;
                    case var v: throw new InvalidOperationException($"no appender for {v.GetType()} in {table}");
                }
            }
            row.EndRow();
        }
    }

    private static string[] Layout(DuckDBConnection root, string table) => Layouts.GetOrAdd(table, name =>
    {
        using var cmd = root.CreateCommand();
        // tableoid is a virtual generated column (PgCatalogOids): the appender neither takes nor counts it.
        cmd.CommandText = "SELECT column_name FROM duckdb_columns() WHERE database_name = 'memory' AND schema_name = 'main' AND table_name = $1 " +
                          "AND column_name <> 'tableoid' ORDER BY column_index";
        cmd.Parameters.Add(new DuckDBParameter(name));
        using var reader = cmd.ExecuteReader();
        var names = new List<string>();
        while (reader.Read()) names.Add(reader.GetString(0));
        return names.Count > 0 ? [.. names] : throw new InvalidOperationException($"the emulation has no table {name}");
    });

    private static bool IsCollatable(int typeOid) => typeOid is PgTypes.Text or PgTypes.Varchar or PgTypes.BpChar or PgTypes.Name;

    // Marks a column the row leaves to its declared DEFAULT.
    private sealed class Default
    {
        public static readonly Default Value = new();
    }
}
