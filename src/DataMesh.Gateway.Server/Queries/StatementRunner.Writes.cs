using DataMesh.Gateway.Admin;
using DataMesh.Gateway.Policy.Rewrite;
using DataMesh.Gateway.Protocol.Errors;
using DataMesh.Gateway.Server.Sessions;
using DataMesh.Gateway.Sql.Admin;
using DataMesh.Gateway.Sql.Lexing;

namespace DataMesh.Gateway.Server.Queries;

/// <summary>Admin commands and workspace writes run through the statement path.</summary>
public sealed partial class StatementRunner
{
    /// <summary>Recognises an admin command; a malformed one is 42601 pointing at the offending word.</summary>
    private AdminStatement? TryParseAdmin(Session session, SqlStatement statement)
    {
        try
        {
            return AdminParser.TryParse(statement, out var command) ? command : null;
        }
        catch (AdminSyntaxException e)
        {
            var error = new PgErrorException(SqlState.SyntaxError, e.Message, position: StatementOffset(statement) + e.Offset + 1, hint: e.Hint);
            // The text may hold a password the parser could not place: audit only the leading words.
            var words = string.Join(' ', statement.Tokens.TakeWhile(t => t.Kind == SqlTokenKind.Word).Take(3).Select(t => t.Text.ToUpperInvariant()));
            admin.AuditRejected(session.AdminCaller, session.Database, words + " …", error);
            throw error;
        }
    }

    private static int StatementOffset(SqlStatement statement) => statement.Tokens.Count > 0 ? statement.Tokens[0].Offset : 0;

    private AdminResult RunAdmin(Session session, PreparedStatement statement) =>
        admin.Execute(statement.Admin!, session.AdminCaller, session.Database, Redact(statement), StatementOffset(statement.Statement),
            session.Access.IsHome ? null : new SessionExport(this, session, statement.Statement.Text));

    /// <summary>The statement text for the audit log, with passwords and account secrets replaced: secrets never reach the log.</summary>
    private static string Redact(PreparedStatement statement) => SecretRedaction.Redact(statement.Statement);

    /// <summary>
    /// A write to the project's workspace: owners and contributors only; its query part is governed like any query,
    /// so derived tables never hold more than the project may read. Audited like a query, with the assets it read.
    /// It runs when executed (the gateway's transaction blocks do not defer it).
    /// </summary>
    private void WriteWorkspace(Session session, PreparedStatement statement)
    {
        var command = statement.Workspace!;
        FollowGrants(session);
        if (!session.RewriteOptions.Workspace)
            throw new PgErrorException(SqlState.FeatureNotSupported,
                $"project \"{session.Access.Project}\" has no workspace (its profile has no workspace blueprint)");
        if (session.Engine.Workspace != Engine.Instances.WorkspaceAccess.ReadWrite && session.Access.CanWriteWorkspace)
            throw new PgErrorException(SqlState.ObjectInUse,
                $"the workspace of project \"{session.Access.Project}\" is open for writing by another gateway process; it is read-only here");
        if (!session.Access.CanWriteWorkspace)
            throw new PgErrorException(SqlState.InsufficientPrivilege,
                $"writing to the workspace of project \"{session.Access.Project}\" needs the contributor or owner role; viewers may only read it");
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        RewriteResult? plan = null;
        try
        {
            var sql = command.Prefix;
            if (command.Query is { } query)
            {
                plan = PlanGoverned(session, statement.Statement.Text, query);
                statement.SetPlan(plan);
                sql += plan.Sql;
            }
            using var timer = StatementTimer.Start(session, options);
            using var held = plan is null ? null : HoldObjects(session, plan, validate: true);
            long rows;
            using var lineage = _lineage.BeginWrite(session, command, plan); // records where the rows come from first
            try
            {
                rows = session.Engine.ExecuteWorkspaceWrite(sql);
                lineage.Committed();
                if (command.Verb == "CREATE") rows = session.Engine.CountWorkspaceRows(command.Table);
            }
            catch (PgErrorException e) when (plan is not null)
            {
                throw TranslateEngineError(e, plan);
            }
            Out.CommandComplete(command.Verb switch
            {
                "CREATE" => $"SELECT {rows}",
                "INSERT" => $"INSERT 0 {rows}",
                _ => "DROP TABLE",
            });
            auditor.Completed(session.Access, statement, rows, started);
        }
        catch (PgErrorException e)
        {
            if (!e.Data.Contains(AuditedKey)) auditor.Failed(session.Access, statement, e, started);
            throw;
        }
    }

    private void ExecuteAdmin(Session session, Portal portal, bool sendRowDescription)
    {
        if (portal.Completed)
        {
            Out.CommandComplete("SELECT 0");
            return;
        }
        var result = portal.AdminResult ??= RunAdmin(session, portal.Statement);
        foreach (var notice in result.Notices) Out.Notice(PgErrorSeverity.Notice, SqlState.SuccessfulCompletion, notice.Message, notice.Detail, notice.Hint);
        if (sendRowDescription && result.Columns.Count > 0) Out.RowDescription(AdminResultWriter.Describe(result, portal.ResultFormats));
        AdminResultWriter.WriteRows(Out, result, portal.ResultFormats);
        Out.CommandComplete(AdminResultWriter.CommandTag(result));
        portal.Completed = true;
    }
}
