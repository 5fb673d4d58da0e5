using DataMesh.Gateway.Sql.Lexing;

namespace DataMesh.Gateway.Sql.Statements;

/// <summary>SET, SHOW, RESET, DISCARD, DEALLOCATE, LISTEN, UNLISTEN, NOTIFY and LOCK: answered from session state.</summary>
internal static class SessionGrammar
{
    public static SessionStatement Parse(SqlStatement statement)
    {
        var t = statement.Tokens;
        var word = t[0].Value.ToUpperInvariant();
        return word switch
        {
            "SET" => Set(statement),
            "SHOW" => new ShowStatement(statement, ShowName(statement)),
            "RESET" => Reset(statement),
            "DISCARD" => Discard(statement),
            "DEALLOCATE" => PrepareGrammar.Deallocate(statement),
            "LISTEN" or "UNLISTEN" or "NOTIFY" => ListenGrammar.Parse(statement),
            "LOCK" => LockGrammar.Parse(statement),
            _ => throw StatementException.NotSupported($"{word} is not supported by the gateway"),
        };
    }

    private static SessionStatement Set(SqlStatement statement)
    {
        var t = statement.Tokens;
        var i = 1;
        var local = i < t.Count && t[i].IsWord("LOCAL");
        if (i < t.Count && (t[i].IsWord("SESSION") || t[i].IsWord("LOCAL")))
        {
            if (i + 1 < t.Count && t[i].IsWord("SESSION") && (t[i + 1].IsWord("CHARACTERISTICS") || t[i + 1].IsWord("AUTHORIZATION")))
            {
                // SET SESSION CHARACTERISTICS AS TRANSACTION … and SET SESSION AUTHORIZATION DEFAULT (pool reset).
                if (t[i + 1].IsWord("AUTHORIZATION") && !(i + 2 < t.Count && t[i + 2].IsWord("DEFAULT")))
                    throw StatementException.Refused("permission denied to set session authorization");
                return new AcceptedStatement(statement, "SET");
            }
            i++;
        }
        if (i >= t.Count) throw StatementException.SyntaxAt(statement, t, i);
        if (t[i].IsWord("TRANSACTION")) return new AcceptedStatement(statement, "SET"); // isolation/read-only: reads only, accepted
        if (t[i].IsWord("VARIABLE") || t[i].IsWord("GLOBAL"))
            throw StatementException.Refused("engine variables and global settings cannot be set through the gateway");
        string name;
        if (t[i].IsWord("TIME") && i + 1 < t.Count && t[i + 1].IsWord("ZONE"))
        {
            name = "TimeZone";
            i += 2;
        }
        else if (t[i].IsWord("NAMES"))
        {
            name = "client_encoding";
            i++;
        }
        else
        {
            name = DottedName(statement, t, ref i);
            if (i >= t.Count || !(t[i].IsWord("TO") || t[i].Text == "=")) throw StatementException.SyntaxAt(statement, t, i);
            i++;
        }
        if (i >= t.Count) throw StatementException.SyntaxAt(statement, t, i);
        // SET TIME ZONE LOCAL and DEFAULT, and name TO DEFAULT: back to the startup or built-in value.
        var toDefault = i == t.Count - 1 && (t[i].IsWord("DEFAULT") || (name == "TimeZone" && t[i].IsWord("LOCAL")));
        if (toDefault) return new SetStatement(statement, name, [], null, true, local);
        var zone = name == "TimeZone";
        var interval = zone ? SetValueGrammar.IntervalZone(statement, t, i) : null;
        var arguments = interval is null ? SetValueGrammar.Arguments(statement, t, i, single: zone) : [];
        return new SetStatement(statement, name, arguments, interval, false, local);
    }

    private static SessionStatement Reset(SqlStatement statement)
    {
        var t = statement.Tokens;
        if (t.Count >= 2 && t[1].IsWord("ALL")) return new ResetStatement(statement, null);
        if (t.Count >= 3 && t[1].IsWord("SESSION") && t[2].IsWord("AUTHORIZATION")) return new AcceptedStatement(statement, "RESET");
        var i = 1;
        var name = t.Count >= 3 && t[1].IsWord("TIME") && t[2].IsWord("ZONE") ? "TimeZone" : DottedName(statement, t, ref i);
        return new ResetStatement(statement, name);
    }

    private static SessionStatement Discard(SqlStatement statement)
    {
        var t = statement.Tokens;
        if (t.Count < 2) throw StatementException.SyntaxAt(statement, t, 1);
        var what = t[1].Value.ToUpperInvariant();
        return what switch
        {
            "ALL" => new DiscardAllStatement(statement),
            "PLANS" or "SEQUENCES" => new AcceptedStatement(statement, "DISCARD " + what),
            "TEMP" or "TEMPORARY" => new AcceptedStatement(statement, "DISCARD TEMP"),
            _ => throw StatementException.SyntaxAt(statement, t, 1),
        };
    }

    private static string ShowName(SqlStatement statement)
    {
        var t = statement.Tokens;
        if (t.Count >= 3 && t[1].IsWord("TIME") && t[2].IsWord("ZONE")) return "TimeZone";
        if (t.Count >= 3 && t[1].IsWord("TRANSACTION") && t[2].IsWord("ISOLATION")) return "transaction_isolation";
        var i = 1;
        return DottedName(statement, t, ref i);
    }

    private static string DottedName(SqlStatement statement, IReadOnlyList<SqlToken> t, ref int i)
    {
        if (i >= t.Count) throw StatementException.SyntaxAt(statement, t, i);
        // Unquoted names fold to lower case, as PostgreSQL's parser does (its error messages name them so).
        static string Folded(SqlToken token) => token.Kind == SqlTokenKind.Word ? token.Value.ToLowerInvariant() : token.Value;
        var name = Folded(t[i++]);
        while (i + 1 < t.Count && t[i].Text == "." && t[i + 1].Kind is SqlTokenKind.Word or SqlTokenKind.QuotedIdentifier)
        {
            name += "." + Folded(t[i + 1]);
            i += 2;
        }
        return name;
    }
}
