using System.Text;
using DataMesh.Gateway.Sql.Lexing;

namespace DataMesh.Gateway.Policy.Rewrite;

/// <summary>
/// <c>schema.table.*</c>, which PostgreSQL accepts and ActiveRecord writes for every model with a schema-qualified
/// table name (<c>SELECT "marketing"."mkt_sls_table".* FROM "marketing"."mkt_sls_table"</c>), is a syntax error in
/// DuckDB's grammar, which takes <c>table.*</c> only. The schema is dropped: <c>table.*</c> names the same relation
/// when the FROM list names it once; when two schemas' tables of that name are both in the FROM list the engine
/// refuses the reference as ambiguous, it never picks one.
/// </summary>
public static class QualifiedStars
{
    public static string Shorten(string sql)
    {
        if (!sql.Contains(".*", StringComparison.Ordinal) && !sql.Contains(". *", StringComparison.Ordinal)) return sql;
        var t = SqlLexer.Tokenize(sql);
        StringBuilder? sb = null;
        var last = 0;
        for (var i = 0; i + 4 < t.Count; i++)
        {
            if (!IsName(t[i]) || t[i + 1].Text != "." || !IsName(t[i + 2]) || t[i + 3].Text != "." || t[i + 4].Text != "*") continue;
            if (i > 0 && t[i - 1].Text == ".") continue; // catalog.schema.table.*: left to the engine
            sb ??= new StringBuilder(sql.Length);
            sb.Append(sql, last, t[i].Offset - last);
            last = t[i + 2].Offset;
            i += 4;
        }
        return sb is null ? sql : sb.Append(sql, last, sql.Length - last).ToString();
    }

    private static bool IsName(SqlToken token) => token.Kind is SqlTokenKind.Word or SqlTokenKind.QuotedIdentifier;
}
