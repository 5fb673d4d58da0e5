using DataMesh.Gateway.Sql.Lexing;

namespace DataMesh.Gateway.Sql;

/// <summary>One call of a gateway identity function in a row filter, with its exact span in the filter text.</summary>
public sealed record IdentityCall(string Function, string? Argument, int Start, int Length);

/// <summary>
/// The gateway's identity functions for row filters: <c>current_user_name()</c>, <c>current_user_claim('name')</c> and
/// <c>current_user_in_group('group')</c>. DuckDB has no such functions; the gateway replaces each call with a constant
/// for the session's identity before a query runs. Calls are found lexically (the lexer knows strings, quoted
/// identifiers and comments), and each must have exactly its documented shape: the argument a plain string literal.
/// </summary>
public static class IdentityCalls
{
    public const string UserName = "current_user_name";
    public const string Claim = "current_user_claim";
    public const string InGroup = "current_user_in_group";

    public static bool IsIdentityFunction(string name) =>
        name.Equals(UserName, StringComparison.OrdinalIgnoreCase) || name.Equals(Claim, StringComparison.OrdinalIgnoreCase)
        || name.Equals(InGroup, StringComparison.OrdinalIgnoreCase);

    /// <summary>Every identity-function call in <paramref name="text"/>, in order; throws when one is malformed.</summary>
    public static IReadOnlyList<IdentityCall> Find(string text)
    {
        var tokens = SqlLexer.Tokenize(text);
        var calls = new List<IdentityCall>();
        for (var i = 0; i < tokens.Count; i++)
        {
            var t = tokens[i];
            if (t.Kind != SqlTokenKind.Word || !IsIdentityFunction(t.Value)) continue;
            if (i + 1 >= tokens.Count || tokens[i + 1].Text != "(") continue; // a column of that name, not a call
            var name = t.Value.ToLowerInvariant();
            if (i > 0 && tokens[i - 1].Text == ".")
                throw new FormatException($"{name}() is a gateway function and cannot be qualified with a schema");
            if (name == UserName)
            {
                if (i + 2 >= tokens.Count || tokens[i + 2].Text != ")") throw new FormatException($"{UserName}() takes no arguments");
                calls.Add(new IdentityCall(name, null, t.Offset, tokens[i + 2].Offset + 1 - t.Offset));
                i += 2;
                continue;
            }
            if (i + 3 >= tokens.Count || tokens[i + 2].Kind != SqlTokenKind.String || !tokens[i + 2].Text.StartsWith('\'')
                || tokens[i + 3].Text != ")")
                throw new FormatException($"{name}() takes one plain string literal, such as {name}('{(name == Claim ? "department" : "analysts")}')");
            if (tokens[i + 2].Value.Length == 0) throw new FormatException($"{name}() needs a non-empty name");
            calls.Add(new IdentityCall(name, tokens[i + 2].Value, t.Offset, tokens[i + 3].Offset + 1 - t.Offset));
            i += 3;
        }
        return calls;
    }

    /// <summary>The text with each call replaced by <paramref name="replace"/>'s answer (spans from <see cref="Find"/>).</summary>
    public static string Replace(string text, IReadOnlyList<IdentityCall> calls, Func<IdentityCall, string> replace)
    {
        var sb = new System.Text.StringBuilder(text.Length + 32);
        var last = 0;
        foreach (var call in calls.OrderBy(c => c.Start))
        {
            sb.Append(text, last, call.Start - last).Append(replace(call));
            last = call.Start + call.Length;
        }
        return sb.Append(text, last, text.Length - last).ToString();
    }
}
