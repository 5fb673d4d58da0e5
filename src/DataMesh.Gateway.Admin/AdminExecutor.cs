using DataMesh.Gateway.Admin.Commands;
using DataMesh.Gateway.Catalog.Model;
using DataMesh.Gateway.Catalog.Store;
using DataMesh.Gateway.Protocol.Errors;
using DataMesh.Gateway.Sql.Admin;

namespace DataMesh.Gateway.Admin;

/// <summary>
/// Executes one admin statement and records it in the audit log: a successful change is audited in its own
/// transaction; reads and failures are appended afterwards (a failure rolled its transaction back first). Inside a
/// transaction block a change is refused (<see cref="RefuseInTransactionBlock"/>): the catalog commits each change at once.
/// </summary>
public sealed class AdminExecutor(AdminServices services)
{
    public AdminServices Services { get; } = services;

    /// <param name="statementOffset">Where the statement starts in the query text, for error positions.</param>
    public AdminResult Execute(AdminStatement statement, string user, string database, string redactedText, int statementOffset = 0) =>
        Execute(statement, new AdminCaller(user), database, redactedText, statementOffset);

    /// <param name="export">The caller's session, for commands that write data products from governed queries.</param>
    public AdminResult Execute(AdminStatement statement, AdminCaller caller, string database, string redactedText, int statementOffset = 0,
        IQueryExport? export = null)
    {
        var ctx = new AdminContext(caller, database, redactedText, Services) { Command = statement.Tag, Export = export };
        return Audited(ctx, () => AdminDispatch.Run(ctx, statement, statementOffset));
    }

    /// <summary>
    /// Whether <paramref name="statement"/> only reads (SHOW, DESCRIBE, SEARCH CATALOG, HELP): it may run inside a
    /// transaction block, as PostgreSQL's SHOW does. Every other admin command changes the catalog at once and is
    /// refused there (<see cref="RefuseInTransactionBlock"/>).
    /// </summary>
    public static bool OnlyReads(AdminStatement statement) =>
        statement.Tag.StartsWith("SHOW", StringComparison.Ordinal) || statement.Tag.StartsWith("DESCRIBE", StringComparison.Ordinal) ||
        statement.Tag is "SEARCH CATALOG" or "HELP" or "EXPORT AUDIT";

    /// <summary>
    /// The rule for changes inside a transaction block: refused with 25001, as PostgreSQL refuses CREATE DATABASE,
    /// because the catalog commits each change at once and ROLLBACK could not undo it. The refusal is audited.
    /// </summary>
    public PgErrorException RefuseInTransactionBlock(AdminStatement statement, AdminCaller caller, string database, string redactedText)
    {
        var error = InTransactionBlock(statement.Tag);
        AuditFailure(caller, database, redactedText, statement.Tag, Services.Clock.GetUtcNow(), error);
        return error;
    }

    /// <summary>25001 "… cannot run inside a transaction block" (admin changes and workspace writes alike).</summary>
    public static PgErrorException InTransactionBlock(string command) =>
        new(SqlState.ActiveSqlTransaction, $"{command} cannot run inside a transaction block",
            hint: "run it outside BEGIN … COMMIT (autocommit): it takes effect at once and ROLLBACK cannot undo it");

    private AdminResult Audited(AdminContext ctx, Func<AdminResult> run)
    {
        try
        {
            var result = run();
            if (!ctx.Audited) ctx.AppendAudit(ctx.Audit("ok", null, null));
            return result;
        }
        catch (PgErrorException e)
        {
            ctx.AppendAudit(ctx.Audit("error", e.SqlState, e.Message));
            throw;
        }
        catch (CatalogStoreException e)
        {
            // The change was rolled back whole and the snapshot still holds the last committed state. Its audit
            // record is attempted, but on a full disk it cannot be written either: the client's error is the record.
            var error = StoreFaults.Translate(e);
            try
            {
                ctx.AppendAudit(ctx.Audit("error", error.SqlState, error.Message));
            }
            catch (CatalogStoreException)
            {
            }
            throw error;
        }
    }

    private void AuditFailure(AdminCaller caller, string database, string text, string command, DateTimeOffset now, PgErrorException e) =>
        TryAppend([new AuditRecord(0, now, caller.User, caller.Issuer, caller.Subject, database, "admin", command, text, "error", e.SqlState, e.Message, [], [], null, null, null)]);

    private void TryAppend(IReadOnlyList<AuditRecord> records)
    {
        try
        {
            Services.Catalog.Store.AppendAudit(records);
        }
        catch (CatalogStoreException)
        {
            // The client still gets its answer; the catalog cannot take the record now.
        }
    }

    /// <summary>
    /// Runs every check of <paramref name="statement"/> as the caller, without approving: the portal's preview of what
    /// the consumer would see. Errors are the command's own (same SQLSTATEs and messages); nothing is written, so
    /// nothing is audited (the preview's query is audited when it runs).
    /// </summary>
    public ApprovalProposal ProposeApproval(ApproveSubscription statement, AdminCaller caller, string database, string redactedText, int statementOffset = 0)
    {
        var ctx = new AdminContext(caller, database, redactedText, Services) { Command = statement.Tag };
        try
        {
            return SubscriptionCommands.Propose(ctx, statement, statementOffset);
        }
        catch (CatalogStoreException e)
        {
            throw StoreFaults.Translate(e);
        }
    }

    /// <summary>Records an admin command that could not even be parsed (42601), so the audit log shows every attempt.</summary>
    public void AuditRejected(string user, string database, string text, PgErrorException error) =>
        AuditRejected(new AdminCaller(user), database, text, error);

    public void AuditRejected(AdminCaller caller, string database, string text, PgErrorException error) =>
        TryAppend([new AuditRecord(0, Services.Clock.GetUtcNow(), caller.User, caller.Issuer, caller.Subject, database, "admin", "UNPARSED ADMIN COMMAND",
            text, "error", error.SqlState, error.Message, [], [], null, null, null)]);
}
