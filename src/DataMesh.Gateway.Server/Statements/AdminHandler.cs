using DataMesh.Gateway.Admin;
using DataMesh.Gateway.Protocol.Messages.Backend;
using DataMesh.Gateway.Server.Responses;
using DataMesh.Gateway.Server.Sessions;
using DataMesh.Gateway.Sql.Admin;
using DataMesh.Gateway.Sql.Lexing;
using DataMesh.Gateway.Sql.Statements;

namespace DataMesh.Gateway.Server.Statements;

/// <summary>A data-mesh admin command (CREATE PROJECT, APPROVE SUBSCRIPTION, SEARCH CATALOG, …).</summary>
public sealed class PreparedAdminCommand : PreparedStatement
{
    internal PreparedAdminCommand(string name, AdminCommandStatement command) : base(name, command) => Command = command.Command;

    public AdminStatement Command { get; }

    internal override IStatementHandler Handler => AdminHandler.Instance;
}

/// <summary>
/// Runs admin commands through the admin executor, which checks permissions and audits them in the catalog. A
/// command's columns are known only once it ran: Describe of its portal runs it, once, and Execute sends the rows.
/// </summary>
internal sealed class AdminHandler : StatementHandler<PreparedAdminCommand>
{
    public static readonly AdminHandler Instance = new();

    public override IReadOnlyList<FieldDescription>? DescribePortal(StatementContext context, Portal portal)
    {
        var result = portal.AdminResult ??= Run(context, (PreparedAdminCommand)portal.Statement);
        return result.Columns.Count > 0 ? AdminRows.Describe(result, portal.ResultFormats) : null;
    }

    protected override StatementResult Execute(StatementContext context, PreparedAdminCommand statement, Portal portal, int maxRows)
    {
        if (portal.Completed) return new CommandResult("SELECT 0");
        var result = portal.AdminResult ??= Run(context, statement);
        portal.Completed = true;
        return new AdminRowsResult(result, portal.ResultFormats);
    }

    private static AdminResult Run(StatementContext context, PreparedAdminCommand statement)
    {
        var session = context.Session;
        // The audit log gets the text with passwords and account secrets replaced: secrets never reach the log.
        return context.Admin.Execute(statement.Command, session.AdminCaller, session.Database, SecretRedaction.Redact(statement.Source),
            StatementOffset(statement.Source), session.Access.IsHome ? null : new SessionExport(context, statement.Source.Text));
    }

    /// <summary>Where the statement starts in the query text, for error positions.</summary>
    public static int StatementOffset(SqlStatement statement) => statement.Tokens.Count > 0 ? statement.Tokens[0].Offset : 0;
}
