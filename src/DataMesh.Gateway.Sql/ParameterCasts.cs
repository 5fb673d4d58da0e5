using System.Text;
using DataMesh.Gateway.Sql.Lexing;

namespace DataMesh.Gateway.Sql;

/// <summary>
/// Gives parameters the types the client declared at Parse, as PostgreSQL does: <c>$1</c> declared int4 behaves
/// like <c>CAST($1 AS INTEGER)</c>. Only parameter tokens found by the lexer are touched, never text inside
/// strings, identifiers or comments.
/// </summary>
public static class ParameterCasts
{
    public static string Apply(string sql, IReadOnlyList<int> declaredOids, Func<int, string?> engineTypeName)
    {
        if (declaredOids.Count == 0 || declaredOids.All(o => o == 0)) return sql;
        var sb = new StringBuilder(sql.Length + 32);
        var last = 0;
        foreach (var token in SqlLexer.Tokenize(sql))
        {
            if (token.Kind != SqlTokenKind.Parameter || !int.TryParse(token.Value, out var n) || n < 1 || n > declaredOids.Count)
                continue;
            var typeName = engineTypeName(declaredOids[n - 1]);
            if (typeName is null) continue;
            sb.Append(sql, last, token.Offset - last).Append("CAST(").Append(token.Text).Append(" AS ").Append(typeName).Append(')');
            last = token.Offset + token.Text.Length;
        }
        sb.Append(sql, last, sql.Length - last);
        return sb.ToString();
    }
}
