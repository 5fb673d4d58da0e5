using System.Globalization;
using DataMesh.Gateway.Sql.Lexing;

namespace DataMesh.Gateway.Policy.Rewrite.Constants;

/// <summary>
/// A numeric literal with an exponent or a decimal point is a DOUBLE to DuckDB's parser, and one beyond its range
/// (<c>1e999</c>) becomes infinity, which json_serialize_sql writes as a bare <c>Infinity</c> that is not JSON. As
/// PostgreSQL does for such a double, the query fails with 22003 naming the literal, before it is parsed.
/// </summary>
public static class NumericLiterals
{
    public static void Check(string sql)
    {
        foreach (var token in SqlLexer.Tokenize(sql))
        {
            if (token.Kind != SqlTokenKind.Number || token.Text.IndexOfAny(['e', 'E']) < 0) continue;
            if (double.TryParse(token.Text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value)) continue;
            throw new PolicyException("22003", $"\"{token.Text}\" is out of range for type double precision") { Position = token.Offset };
        }
    }
}
