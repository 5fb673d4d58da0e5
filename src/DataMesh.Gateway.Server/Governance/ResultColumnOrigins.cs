using DataMesh.Gateway.Engine.Instances;
using DataMesh.Gateway.Sql.Ast;

namespace DataMesh.Gateway.Server.Governance;

/// <summary>
/// RowDescription's table OID and attribute number for each result column, as PostgreSQL sends them for a column
/// read straight from a table: the shadow catalog's OID of the asset and the column's position among its visible
/// columns, the same numbers pg_class and pg_attribute answer (pgjdbc's ResultSetMetaData and Npgsql's column schema
/// look them up). A computed column, or any column the syntax cannot trace for certain, gets zeros, as in PostgreSQL.
/// </summary>
public static class ResultColumnOrigins
{
    /// <summary>One (table OID, attribute number) per result column, or null when the select list cannot be traced.</summary>
    public static (int TableOid, short Attribute)[]? Resolve(SelectColumnSources? sources, IReadOnlyList<ShadowTable> tables, int resultColumns)
    {
        if (sources is null) return null;
        var relations = sources.From.Select(r => (Relation: r, Table: r.Name is null ? null : Find(tables, r))).ToList();
        var origins = new List<(int, short)>(resultColumns);
        foreach (var source in sources.Select)
        {
            if (source.IsStar)
            {
                var named = relations.Where(r => source.Qualifier.Length == 0 || Same(r.Relation.Alias, source.Qualifier)).ToList();
                // A star over a relation whose columns are unknown here (a subquery, a CTE) cannot be counted.
                if (named.Count == 0 || named.Any(r => r.Table is null)) return null;
                foreach (var (_, table) in named)
                    for (var i = 0; i < table!.Columns.Count; i++) origins.Add((table.Oid, (short)(i + 1)));
                continue;
            }
            origins.Add(source.Column is { } column ? Column(relations, source.Qualifier, column) : (0, (short)0));
        }
        return origins.Count == resultColumns ? origins.ToArray() : null;
    }

    private static (int, short) Column(List<(FromRelation Relation, ShadowTable? Table)> relations, string qualifier, string column)
    {
        var candidates = relations.Where(r => qualifier.Length == 0 || Same(r.Relation.Alias, qualifier)).ToList();
        // Unqualified: certain only when one relation has the column and no relation's columns are unknown.
        if (candidates.Any(r => r.Table is null)) return (0, (short)0);
        var found = candidates.Select(r => (r.Table!, Index: IndexOf(r.Table!, column))).Where(x => x.Index >= 0).ToList();
        return found.Count == 1 ? (found[0].Item1.Oid, (short)(found[0].Index + 1)) : (0, (short)0);
    }

    private static ShadowTable? Find(IReadOnlyList<ShadowTable> tables, FromRelation relation)
    {
        var matches = tables.Where(t => Same(t.Name, relation.Name!) && (relation.Schema.Length == 0 || Same(t.Schema, relation.Schema))).ToList();
        return matches.Count == 1 ? matches[0] : null;
    }

    private static int IndexOf(ShadowTable table, string column)
    {
        for (var i = 0; i < table.Columns.Count; i++)
            if (Same(table.Columns[i].Name, column)) return i;
        return -1;
    }

    // DuckDB binds identifiers without regard to case, so the query's spelling may differ from the catalog's.
    private static bool Same(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);
}
