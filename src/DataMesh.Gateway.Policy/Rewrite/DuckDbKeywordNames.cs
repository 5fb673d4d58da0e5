using System.Text;
using System.Text.RegularExpressions;
using DataMesh.Gateway.Sql.Lexing;

namespace DataMesh.Gateway.Policy.Rewrite;

/// <summary>
/// Words DuckDB's grammar reserves that PostgreSQL lets a query use as names: <c>at</c> (DuckDB's time-travel
/// <c>FROM t AT (VERSION => …)</c>), which pg_dump uses as a table alias (<c>FROM pg_attribute at … at.attname</c>).
/// Where such a word stands as a name it is double-quoted, which both grammars read as the same name. PostgreSQL's own
/// uses of the word stay: <c>AT TIME ZONE</c>, and <c>AT (</c> is left to DuckDB.
/// </summary>
public static partial class DuckDbKeywordNames
{
    public static string Quote(string sql)
    {
        if (!AtWord().IsMatch(sql)) return sql; // the common query: nothing to look at
        var tokens = SqlLexer.Tokenize(sql);
        var sb = new StringBuilder(sql.Length + 8);
        var last = 0;
        for (var i = 0; i < tokens.Count; i++)
        {
            if (!tokens[i].IsWord("at")) continue;
            if (i + 1 < tokens.Count && (tokens[i + 1].IsWord("TIME") || tokens[i + 1].Text == "(")) continue;
            sb.Append(sql, last, tokens[i].Offset - last).Append('"').Append(tokens[i].Text.ToLowerInvariant()).Append('"');
            last = tokens[i].Offset + tokens[i].Text.Length;
        }
        return sb.Append(sql, last, sql.Length - last).ToString();
    }

    [GeneratedRegex(@"\bat\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex AtWord();
}
