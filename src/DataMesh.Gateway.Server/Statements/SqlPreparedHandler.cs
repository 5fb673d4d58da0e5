using DataMesh.Gateway.Protocol.Errors;
using DataMesh.Gateway.Protocol.Messages.Backend;
using DataMesh.Gateway.Protocol.Messages.Frontend;
using DataMesh.Gateway.Protocol.Types;
using DataMesh.Gateway.Server.Responses;
using DataMesh.Gateway.Server.Sessions;
using DataMesh.Gateway.Sql.Statements;

namespace DataMesh.Gateway.Server.Statements;

/// <summary>SQL <c>PREPARE name [(types)] AS statement</c>: the statement is prepared as a protocol Parse would.</summary>
public sealed class PreparedSqlPrepare : PreparedStatement
{
    internal PreparedSqlPrepare(string name, SqlPrepareStatement prepare) : base(name, prepare) => Command = prepare;

    public SqlPrepareStatement Command { get; }

    internal override IStatementHandler Handler => SqlPrepareHandler.Instance;
}

/// <summary>SQL <c>EXECUTE name [(values)]</c>: runs a prepared statement to completion within this statement.</summary>
public sealed class PreparedSqlExecute : PreparedStatement
{
    internal PreparedSqlExecute(string name, SqlExecuteStatement execute) : base(name, execute) => Command = execute;

    public SqlExecuteStatement Command { get; }

    internal override IStatementHandler Handler => SqlExecuteHandler.Instance;
}

/// <summary>PREPARE: the named statement shares the protocol's namespace (42P05 when the name is taken).</summary>
internal sealed class SqlPrepareHandler : StatementHandler<PreparedSqlPrepare>
{
    public static readonly SqlPrepareHandler Instance = new();

    protected override StatementResult Execute(StatementContext context, PreparedSqlPrepare statement, Portal portal, int maxRows)
    {
        var command = statement.Command;
        var oids = command.ParameterTypes.Select(TypeOid).ToArray();
        var session = context.Session;
        if (session.Statements.ContainsKey(command.Name))
            throw new PgErrorException(SqlState.DuplicatePreparedStatement, $"prepared statement \"{command.Name}\" already exists");
        session.Statements[command.Name] = StatementPreparer.Prepare(context, command.Name, command.Body, oids);
        return new CommandResult("PREPARE");
    }

    /// <summary>A parameter's type by name, from the engine's catalog emulation: 42704 at the name, as PostgreSQL answers.</summary>
    private static int TypeOid(TypeNameAt type) =>
        Engine.PgCatalogEmulation.TypeOid(type.Name) ?? throw new PgErrorException(SqlState.UndefinedObject, $"type \"{type.Name}\" does not exist",
            position: type.Position);
}

/// <summary>
/// EXECUTE: the arguments are read by the parameters' input functions, as a Bind in text would be, and the statement
/// runs in a portal of its own that is never stored and is closed when its result has been written.
/// </summary>
internal sealed class SqlExecuteHandler : StatementHandler<PreparedSqlExecute>
{
    public static readonly SqlExecuteHandler Instance = new();

    protected override IReadOnlyList<FieldDescription>? Describe(StatementContext context, PreparedSqlExecute statement)
    {
        var prepared = Find(context.Session, statement.Command.Name);
        prepared.Handler.Revalidate(context, prepared);
        return prepared.Handler.DescribeStatement(context, prepared);
    }

    protected override StatementResult Execute(StatementContext context, PreparedSqlExecute statement, Portal portal, int maxRows)
    {
        var session = context.Session;
        var command = statement.Command;
        var prepared = Find(session, command.Name);
        if (command.Arguments.Count != prepared.ParameterOids.Length)
            throw new PgErrorException(SqlState.SyntaxError, $"wrong number of parameters for prepared statement \"{command.Name}\"",
                detail: $"Expected {prepared.ParameterOids.Length} parameters but got {command.Arguments.Count}.");
        var input = session.Parameters.Input;
        var values = command.Arguments.Select((a, i) => a is null ? null : ParameterDecoder.DecodeText(prepared.ParameterOids[i], a, input)).ToArray();
        var own = new Portal("", prepared, values, [FormatCode.Text]);
        try
        {
            prepared.Handler.Revalidate(context, prepared);
            var result = prepared.Handler.Execute(context, own, 0);
            if (result is RowsResult rows && ReferenceEquals(rows.Source, own)) return rows with { DisposeSource = true };
            own.Dispose();
            return result;
        }
        catch
        {
            own.Dispose();
            throw;
        }
    }

    private static PreparedStatement Find(Session session, string name) =>
        session.Statements.TryGetValue(name, out var prepared) ? prepared
            : throw new PgErrorException(SqlState.InvalidSqlStatementName, $"prepared statement \"{name}\" does not exist");
}
