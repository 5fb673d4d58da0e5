using DataMesh.Gateway.Protocol.Errors;
using DataMesh.Gateway.Protocol.Messages.Backend;
using DataMesh.Gateway.Server.Sessions;
using DataMesh.Gateway.Sql.Statements;

namespace DataMesh.Gateway.Server.Queries;

/// <summary>
/// SET, SHOW, RESET, DISCARD, DEALLOCATE, UNLISTEN and a lone set_config call, answered by the gateway from session
/// state. They never reach the engine, so no client can change engine settings through them.
/// </summary>
public static class SessionStatements
{
    /// <summary>For Describe: the column a statement returns (SHOW, set_config), or null.</summary>
    public static string? ResultColumnOf(Statement statement) => statement switch
    {
        ShowStatement show => SessionParameters.CanonicalName(show.Name),
        SetConfigStatement call => call.ColumnName,
        _ => null,
    };

    public static StatementOutcome Execute(Session session, Statement statement)
    {
        if (statement is RejectedStatement rejected) throw StatementErrors.ToPg(rejected.Error);
        // Inside a transaction block, settings changes are undone by ROLLBACK (and SET LOCAL ones by COMMIT too).
        if (session.TransactionStatus != TransactionStatus.Idle && statement.Source.Tokens[0].Value.ToUpperInvariant() is "SET" or "RESET" or "SELECT")
            session.Parameters.EnterTransaction();
        return statement switch
        {
            SetStatement set => Set(session, set),
            SetConfigStatement call => SetConfig(session, call),
            ShowStatement show => new StatementOutcome("SHOW", SessionParameters.CanonicalName(show.Name), session.Parameters.Get(show.Name)),
            ResetStatement reset => Reset(session, reset),
            DiscardAllStatement => DiscardAll(session),
            DeallocateStatement deallocate => Deallocate(session, deallocate),
            AcceptedStatement accepted => new StatementOutcome(accepted.Tag),
            _ => throw new PgErrorException(SqlState.InternalError, "not a session statement"),
        };
    }

    private static StatementOutcome Set(Session session, SetStatement set)
    {
        RefuseEngineSetting(session, set.Name);
        var outcome = new StatementOutcome("SET");
        if (set.Local && session.TransactionStatus == TransactionStatus.Idle)
        {
            // As in PostgreSQL: outside a block a LOCAL value would end with the statement, so it is not applied.
            outcome.Notices.Add((PgErrorSeverity.Warning, SqlState.NoActiveSqlTransaction, "SET LOCAL can only be used in transaction blocks"));
            return outcome;
        }
        if (set.IsDefault && !set.Local)
        {
            if (session.Parameters.Reset(set.Name) is { } reset) outcome.ChangedParameters.Add(reset);
            return outcome;
        }
        var value = set.IsDefault ? session.Parameters.DefaultOf(set.Name) : set.Value;
        if (session.Parameters.Set(set.Name, value, set.Local) is { } changed) outcome.ChangedParameters.Add(changed);
        return outcome;
    }

    /// <summary>
    /// set_config(name, value, is_local): SET [LOCAL] name = value, answered with the value now in effect. Outside a
    /// transaction block a local value would end with the statement itself, so it is returned but not kept.
    /// </summary>
    private static StatementOutcome SetConfig(Session session, SetConfigStatement call)
    {
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

    private static StatementOutcome Reset(Session session, ResetStatement reset)
    {
        var outcome = new StatementOutcome("RESET");
        if (reset.Name is not { } name)
        {
            outcome.ChangedParameters.AddRange(session.Parameters.ResetAll());
            return outcome;
        }
        if (session.Parameters.Reset(name) is { } changed) outcome.ChangedParameters.Add(changed);
        return outcome;
    }

    private static StatementOutcome DiscardAll(Session session)
    {
        if (session.TransactionStatus != TransactionStatus.Idle)
            throw new PgErrorException(SqlState.ActiveSqlTransaction, "DISCARD ALL cannot run inside a transaction block");
        var outcome = new StatementOutcome("DISCARD ALL");
        outcome.ChangedParameters.AddRange(session.Parameters.ResetAll());
        session.ClosePortals(includeNamed: true, includeHeld: true);
        foreach (var s in session.Statements.Values) s.Dispose();
        session.Statements.Clear();
        return outcome;
    }

    private static StatementOutcome Deallocate(Session session, DeallocateStatement deallocate)
    {
        if (deallocate.Name is not { } name)
        {
            foreach (var s in session.Statements.Values) s.Dispose();
            session.Statements.Clear();
            return new StatementOutcome("DEALLOCATE ALL");
        }
        if (!session.Statements.Remove(name, out var statement))
            throw new PgErrorException(SqlState.InvalidSqlStatementName, $"prepared statement \"{name}\" does not exist");
        statement.Dispose();
        return new StatementOutcome("DEALLOCATE");
    }
}
