using System.Globalization;
using DataMesh.Gateway.Sql.Lexing;

namespace DataMesh.Gateway.Sql;

/// <summary>The parameter numbers a statement refers to, read from its real <c>$n</c> tokens (never inside strings or comments).</summary>
public static class ParameterNumbers
{
    /// <summary>The highest <c>$n</c> of the statement (0: none); a number too long for an int counts as int.MaxValue.</summary>
    public static int Highest(SqlStatement statement)
    {
        var highest = 0;
        foreach (var token in statement.Tokens)
        {
            if (token.Kind != SqlTokenKind.Parameter) continue;
            var n = int.TryParse(token.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : int.MaxValue;
            if (n > highest) highest = n;
        }
        return highest;
    }
}
