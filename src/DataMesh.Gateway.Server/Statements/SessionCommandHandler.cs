using DataMesh.Gateway.Protocol.Errors;
using DataMesh.Gateway.Protocol.Messages.Backend;
using DataMesh.Gateway.Protocol.Types.Codecs;
using DataMesh.Gateway.Protocol.Types.Input;
using DataMesh.Gateway.Server.Sessions.Settings;
using DataMesh.Gateway.Server.Responses;
using DataMesh.Gateway.Server.Sessions;
using DataMesh.Gateway.Sql.Admin;
using DataMesh.Gateway.Sql.Statements;

namespace DataMesh.Gateway.Server.Statements;

/// <summary>SET, SHOW, RESET, DISCARD, DEALLOCATE, LISTEN, UNLISTEN, NOTIFY, LOCK or a lone set_config call.</summary>
public sealed class PreparedSessionCommand : PreparedStatement
{
    internal PreparedSessionCommand(string name, SessionStatement command) : base(name, command) => Command = command;

    public SessionStatement Command { get; }

    internal override IStatementHandler Handler => SessionCommandHandler.Instance;
}

/// <summary>
/// Answers session commands from the gateway's session state. They never reach the engine, so no client can change
/// engine settings through them; the engine only learns the gateway's settings (current_setting() follows SET).
/// </summary>
internal sealed class SessionCommandHandler : StatementHandler<PreparedSessionCommand>
{
    public static readonly SessionCommandHandler Instance = new();

    /// <summary>The column a statement returns (SHOW, set_config), or null.</summary>
    private static string? ResultColumnOf(SessionStatement statement) => statement switch
    {
        ShowStatement show => SessionParameters.CanonicalName(show.Name),
        SetConfigStatement call => call.ColumnName,
        _ => null,
    };

    protected override IReadOnlyList<FieldDescription>? Describe(StatementContext context, PreparedSessionCommand statement) =>
        ResultColumnOf(statement.Command) is { } column ? Fields.Text(column) : null;

    protected override StatementResult Execute(StatementContext context, PreparedSessionCommand statement, Portal portal, int maxRows)
    {
        var session = context.Session;
        var command = statement.Command;
        // Inside a transaction block, settings changes are undone by ROLLBACK (and SET LOCAL ones by COMMIT too).
        if (session.TransactionStatus != TransactionStatus.Idle && ChangesSettings(command))
            session.Parameters.EnterTransaction();
        var result = command switch
        {
            SetStatement set => Set(session, set),
            SetConfigStatement call => SetConfig(session, call),
            ShowStatement show => new CommandResult("SHOW") { Fields = Fields.Text(SessionParameters.CanonicalName(show.Name)), TextRow = ShowValue(session, show) },
            ResetStatement reset => Reset(session, reset),
            DiscardAllStatement => DiscardAll(session),
            DeallocateStatement deallocate => Deallocate(session, deallocate),
            AcceptedStatement accepted => new CommandResult(accepted.Tag),
            ListenStatement or UnlistenStatement or NotifyStatement => Notifications.ListenStatements.Execute(session, command),
            LockTableStatement lockTables => TableLocks.Execute(session, lockTables, context.Engines.Spec(session.Access).ShadowTables),
            _ => throw new PgErrorException(SqlState.InternalError, "not a session statement"),
        };
        session.Engine.SetSettings(session.Parameters.Changed); // current_setting() follows SET and RESET
        return result;
    }

    /// <summary>SET, RESET and set_config (also the accepted SET TRANSACTION … forms, as before the grammar moved).</summary>
    private static bool ChangesSettings(SessionStatement command) =>
        command is SetStatement or ResetStatement or SetConfigStatement or AcceptedStatement { Tag: "SET" or "RESET" };

    private static CommandResult Set(Session session, SetStatement set)
    {
        RefuseEngineSetting(session, set.Name);
        if (set.Local && session.TransactionStatus == TransactionStatus.Idle)
        {
            // As in PostgreSQL: outside a block a LOCAL value would end with the statement, so it is not applied.
            return new CommandResult("SET")
            {
                Notices = [new Notice(PgErrorSeverity.Warning, SqlState.NoActiveSqlTransaction, "SET LOCAL can only be used in transaction blocks")],
            };
        }
        if (set.ToDefault && !set.Local) return Changed("SET", session.Parameters.Reset(set.Name));
        var changed = set.ToDefault ? session.Parameters.Set(set.Name, session.Parameters.DefaultOf(set.Name), set.Local)
            : set.IntervalZone is { } interval ? session.Parameters.Set(set.Name, IntervalZone(interval), set.Local)
            : session.Parameters.Set(set.Name, set.Arguments, set.Local);
        return Changed("SET", changed);
    }

    /// <summary>
    /// SET TIME ZONE INTERVAL '…': the interval read by its type's input function (22007 for bad input, as PostgreSQL
    /// answers) and written back as <c>INTERVAL '…'</c>, the form PostgreSQL flattens it to.
    /// </summary>
    private static string IntervalZone(string input) => $"INTERVAL '{IntervalText.Format(IntervalInput.Parse(input), IntervalStyle.Postgres)}'";

    /// <summary>
    /// A setting's value; SHOW of no setting that reads like an admin command (SHOW ASSETS, SHOW SUBSCRIPTION) is that
    /// command mistyped: 42601 naming the nearest one, rather than "unrecognized configuration parameter".
    /// </summary>
    private static string ShowValue(Session session, ShowStatement show)
    {
        try
        {
            return session.Parameters.Get(show.Name);
        }
        catch (PgErrorException e) when (e.SqlState == SqlState.UndefinedObject)
        {
            var source = show.Source;
            if (NearestCommands.Nearest(source.LeadingWords(4)) is null) throw;
            var mistake = NearestCommands.Mistyped(source);
            throw new PgErrorException(SqlState.SyntaxError, mistake.Message, position: AdminHandler.StatementOffset(source) + mistake.Offset + 1, hint: mistake.Hint);
        }
    }

    /// <summary>
    /// set_config(name, value, is_local): SET [LOCAL] name = value, answered with the value now in effect. Outside a
    /// transaction block a local value would end with the statement itself, so it is returned but not kept.
    /// </summary>
    private static CommandResult SetConfig(Session session, SetConfigStatement call)
    {
        var fields = Fields.Text(call.ColumnName);
        if (call.OnlyIfListed && !Policy.Settings.PgSettingsData.Listed.Contains(call.Name))
            return new CommandResult("SELECT 0") { Fields = fields }; // pg_settings has no such row: nothing is set
        RefuseEngineSetting(session, call.Name);
        if (call.IsLocal && session.TransactionStatus == TransactionStatus.Idle)
        {
            // Validate as SET would (an unknown name or a value the gateway cannot honour is still an error).
            session.Parameters.Validate(call.Name, call.Value);
            return new CommandResult("SELECT 1") { Fields = fields, TextRow = call.Value };
        }
        var changed = session.Parameters.Set(call.Name, call.Value, call.IsLocal);
        return Changed("SELECT 1", changed) with { Fields = fields, TextRow = session.Parameters.Get(call.Name) };
    }

    private static void RefuseEngineSetting(Session session, string name)
    {
        if (!session.Parameters.IsKnown(name) && Engine.EngineSettings.IsEngineSetting(name))
            throw new PgErrorException(SqlState.InsufficientPrivilege, $"the engine setting \"{name}\" belongs to the gateway and cannot be changed");
    }

    private static CommandResult Reset(Session session, ResetStatement reset) =>
        reset.Name is { } name ? Changed("RESET", session.Parameters.Reset(name)) : new CommandResult("RESET") { ChangedParameters = session.Parameters.ResetAll() };

    private static CommandResult DiscardAll(Session session)
    {
        if (session.TransactionStatus != TransactionStatus.Idle)
            throw new PgErrorException(SqlState.ActiveSqlTransaction, "DISCARD ALL cannot run inside a transaction block");
        var changed = session.Parameters.ResetAll();
        session.ClosePortals(includeNamed: true, includeHeld: true);
        foreach (var s in session.Statements.Values) s.Dispose();
        session.Statements.Clear();
        session.Inbox?.Unlisten(null);
        return new CommandResult("DISCARD ALL") { ChangedParameters = changed };
    }

    private static CommandResult Deallocate(Session session, DeallocateStatement deallocate)
    {
        if (deallocate.Name is not { } name)
        {
            foreach (var s in session.Statements.Values) s.Dispose();
            session.Statements.Clear();
            return new CommandResult("DEALLOCATE ALL");
        }
        if (!session.Statements.Remove(name, out var statement))
            throw new PgErrorException(SqlState.InvalidSqlStatementName, $"prepared statement \"{name}\" does not exist");
        statement.Dispose();
        return new CommandResult("DEALLOCATE");
    }

    private static CommandResult Changed(string tag, string? parameter) => new(tag) { ChangedParameters = parameter is null ? [] : [parameter] };
}
