using DataMesh.Gateway.Protocol.Errors;
using DataMesh.Gateway.Protocol.Messages.Backend;
using DataMesh.Gateway.Server.Sessions;
using DataMesh.Gateway.Sql.Lexing;

namespace DataMesh.Gateway.Server.Queries;

/// <summary>
/// SET, SHOW, RESET, DISCARD, DEALLOCATE, UNLISTEN and a lone set_config call, answered by the gateway from session
/// state.
/// They never reach the engine, so no client can change engine settings through them.
/// </summary>
public static class SessionStatements
{
    /// <summary>For Describe: the column a statement returns (SHOW, set_config), or null.</summary>
    public static string? ResultColumnOf(SqlStatement statement)
    {
        if (statement.Tokens.Count >= 2 && statement.Tokens[0].IsWord("SHOW")) return SessionParameters.CanonicalName(ShowName(statement));
        return SetConfigCall.TryParse(statement)?.ColumnName;
    }

    public static StatementOutcome Execute(Session session, SqlStatement statement)
    {
        var t = statement.Tokens;
        var word = t[0].Value.ToUpperInvariant();
        // Inside a transaction block, settings changes are undone by ROLLBACK (and SET LOCAL ones by COMMIT too).
        if (session.TransactionStatus != TransactionStatus.Idle && word is "SET" or "RESET" or "SELECT") session.Parameters.EnterTransaction();
        switch (word)
        {
            case "SET": return Set(session, t);
            case "SELECT" when SetConfigCall.TryParse(statement) is { } call: return SetConfig(session, call);
            case "SHOW":
            {
                var name = ShowName(statement);
                return new StatementOutcome("SHOW", SessionParameters.CanonicalName(name), ShowValue(session, statement, name));
            }
            case "RESET": return Reset(session, t);
            case "DISCARD": return Discard(session, t);
            case "DEALLOCATE": return Deallocate(session, t);
            case "LISTEN" or "UNLISTEN" or "NOTIFY": return Notifications.ListenStatements.Execute(session, statement);
            default:
                throw new PgErrorException(SqlState.FeatureNotSupported, $"{t[0].Value.ToUpperInvariant()} is not supported by the gateway");
        }
    }

    /// <summary>
    /// A setting's value; SHOW of no setting that reads like an admin command (SHOW ASSETS, SHOW SUBSCRIPTION) is that
    /// command mistyped: 42601 naming the nearest one, rather than "unrecognized configuration parameter".
    /// </summary>
    private static string ShowValue(Session session, SqlStatement statement, string name)
    {
        try
        {
            return session.Parameters.Get(name);
        }
        catch (PgErrorException e) when (e.SqlState == SqlState.UndefinedObject)
        {
            var words = statement.Tokens.TakeWhile(x => x.Kind == SqlTokenKind.Word).Take(4).Select(x => x.Value.ToUpperInvariant()).ToList();
            if (Sql.Admin.NearestCommands.Nearest(words) is null) throw;
            var mistake = Sql.Admin.NearestCommands.Mistyped(statement);
            throw new PgErrorException(SqlState.SyntaxError, mistake.Message, position: statement.Tokens[0].Offset + mistake.Offset + 1, hint: mistake.Hint);
        }
    }

    private static StatementOutcome Set(Session session, IReadOnlyList<SqlToken> t)
    {
        var i = 1;
        var local = i < t.Count && t[i].IsWord("LOCAL");
        if (i < t.Count && (t[i].IsWord("SESSION") || t[i].IsWord("LOCAL")))
        {
            if (i + 1 < t.Count && t[i].IsWord("SESSION") && (t[i + 1].IsWord("CHARACTERISTICS") || t[i + 1].IsWord("AUTHORIZATION")))
            {
                // SET SESSION CHARACTERISTICS AS TRANSACTION … and SET SESSION AUTHORIZATION DEFAULT (pool reset).
                if (t[i + 1].IsWord("AUTHORIZATION") && !(i + 2 < t.Count && t[i + 2].IsWord("DEFAULT")))
                    throw new PgErrorException(SqlState.InsufficientPrivilege, "permission denied to set session authorization");
                return new StatementOutcome("SET");
            }
            i++;
        }
        if (i >= t.Count) throw Syntax("SET");
        if (t[i].IsWord("TRANSACTION")) return new StatementOutcome("SET"); // isolation/read-only: reads only, accepted
        if (t[i].IsWord("VARIABLE") || t[i].IsWord("GLOBAL"))
            throw new PgErrorException(SqlState.InsufficientPrivilege, "engine variables and global settings cannot be set through the gateway");
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
            name = DottedName(t, ref i);
            if (i >= t.Count || !(t[i].IsWord("TO") || t[i].Text == "=")) throw Syntax(name);
            i++;
        }
        if (i >= t.Count) throw Syntax(name);

        RefuseEngineSetting(session, name);
        var outcome = new StatementOutcome("SET");
        if (local && session.TransactionStatus == TransactionStatus.Idle)
        {
            // As in PostgreSQL: outside a block a LOCAL value would end with the statement, so it is not applied.
            outcome.Notices.Add((PgErrorSeverity.Warning, SqlState.NoActiveSqlTransaction, "SET LOCAL can only be used in transaction blocks"));
            return outcome;
        }
        // SET TIME ZONE LOCAL and DEFAULT, and name TO DEFAULT: back to the startup or built-in value.
        var toDefault = i == t.Count - 1 && (t[i].IsWord("DEFAULT") || (name == "TimeZone" && t[i].IsWord("LOCAL")));
        if (toDefault && !local)
        {
            if (session.Parameters.Reset(name) is { } reset) outcome.ChangedParameters.Add(reset);
            return outcome;
        }
        var changed = toDefault ? session.Parameters.Set(name, session.Parameters.DefaultOf(name), local)
            : name == "TimeZone" && SetValueTokens.IntervalZone(t, i) is { } interval ? session.Parameters.Set(name, interval, local)
            : session.Parameters.Set(name, SetValueTokens.Arguments(t, i), local);
        if (changed is not null) outcome.ChangedParameters.Add(changed);
        return outcome;
    }

    /// <summary>
    /// set_config(name, value, is_local): SET [LOCAL] name = value, answered with the value now in effect. Outside a
    /// transaction block a local value would end with the statement itself, so it is returned but not kept.
    /// </summary>
    private static StatementOutcome SetConfig(Session session, SetConfigCall call)
    {
        if (call.OnlyIfListed && !Policy.Settings.PgSettingsData.Listed.Contains(call.Name))
            return new StatementOutcome("SELECT 0", call.ColumnName); // pg_settings has no such row: nothing is set
        RefuseEngineSetting(session, call.Name);
        var outcome = new StatementOutcome("SELECT 1", call.ColumnName, call.Value);
        if (call.IsLocal && session.TransactionStatus == TransactionStatus.Idle)
        {
            // Validate as SET would (an unknown name or a value the gateway cannot honour is still an error).
            session.Parameters.Validate(call.Name, call.Value);
            return outcome;
        }
        if (session.Parameters.Set(call.Name, call.Value, call.IsLocal) is { } changed) outcome.ChangedParameters.Add(changed);
        return outcome with { ResultValue = session.Parameters.Get(call.Name) };
    }

    private static void RefuseEngineSetting(Session session, string name)
    {
        if (!session.Parameters.IsKnown(name) && Engine.EngineSettings.IsEngineSetting(name))
            throw new PgErrorException(SqlState.InsufficientPrivilege, $"the engine setting \"{name}\" belongs to the gateway and cannot be changed");
    }

    private static StatementOutcome Reset(Session session, IReadOnlyList<SqlToken> t)
    {
        var outcome = new StatementOutcome("RESET");
        if (t.Count >= 2 && t[1].IsWord("ALL"))
        {
            outcome.ChangedParameters.AddRange(session.Parameters.ResetAll());
            return outcome;
        }
        if (t.Count >= 3 && t[1].IsWord("SESSION") && t[2].IsWord("AUTHORIZATION")) return outcome;
        var i = 1;
        var name = t.Count >= 3 && t[1].IsWord("TIME") && t[2].IsWord("ZONE") ? "TimeZone" : DottedName(t, ref i);
        if (session.Parameters.Reset(name) is { } changed) outcome.ChangedParameters.Add(changed);
        return outcome;
    }

    private static StatementOutcome Discard(Session session, IReadOnlyList<SqlToken> t)
    {
        if (t.Count < 2) throw Syntax("DISCARD");
        var what = t[1].Value.ToUpperInvariant();
        switch (what)
        {
            case "ALL":
                if (session.TransactionStatus != TransactionStatus.Idle)
                    throw new PgErrorException(SqlState.ActiveSqlTransaction, "DISCARD ALL cannot run inside a transaction block");
                var outcome = new StatementOutcome("DISCARD ALL");
                outcome.ChangedParameters.AddRange(session.Parameters.ResetAll());
                session.ClosePortals(includeNamed: true, includeHeld: true);
                foreach (var s in session.Statements.Values) s.Dispose();
                session.Statements.Clear();
                session.Inbox?.Unlisten(null);
                return outcome;
            case "PLANS" or "SEQUENCES":
                return new StatementOutcome("DISCARD " + what);
            case "TEMP" or "TEMPORARY":
                return new StatementOutcome("DISCARD TEMP");
            default:
                throw Syntax("DISCARD");
        }
    }

    private static StatementOutcome Deallocate(Session session, IReadOnlyList<SqlToken> t)
    {
        var i = 1;
        if (i < t.Count && t[i].IsWord("PREPARE")) i++;
        if (i >= t.Count) throw Syntax("DEALLOCATE");
        if (t[i].IsWord("ALL"))
        {
            foreach (var s in session.Statements.Values) s.Dispose();
            session.Statements.Clear();
            return new StatementOutcome("DEALLOCATE ALL");
        }
        var name = t[i].Value;
        if (!session.Statements.Remove(name, out var statement))
            throw new PgErrorException(SqlState.InvalidSqlStatementName, $"prepared statement \"{name}\" does not exist");
        statement.Dispose();
        return new StatementOutcome("DEALLOCATE");
    }

    private static string ShowName(SqlStatement statement)
    {
        var t = statement.Tokens;
        if (t.Count >= 3 && t[1].IsWord("TIME") && t[2].IsWord("ZONE")) return "TimeZone";
        if (t.Count >= 3 && t[1].IsWord("TRANSACTION") && t[2].IsWord("ISOLATION")) return "transaction_isolation";
        var i = 1;
        return DottedName(t, ref i);
    }

    private static string DottedName(IReadOnlyList<SqlToken> t, ref int i)
    {
        if (i >= t.Count) throw Syntax("parameter name");
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

    private static PgErrorException Syntax(string near) => new(SqlState.SyntaxError, $"syntax error at or near \"{near}\"");
}
