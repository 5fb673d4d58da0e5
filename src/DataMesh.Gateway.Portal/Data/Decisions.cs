using DataMesh.Gateway.Catalog.Model;
using DataMesh.Gateway.Portal.Security;
using DataMesh.Gateway.Protocol.Errors;
using DataMesh.Gateway.Server.Embedded;
using DataMesh.Gateway.Sql.Admin;
using DataMesh.Gateway.Sql.Lexing;

namespace DataMesh.Gateway.Portal.Data;

/// <summary>A pending request as the inbox lists it (a row of SHOW SUBSCRIPTION REQUESTS), with the asset's columns.</summary>
public sealed record PendingRequest(long Id, string Asset, string ConsumerProject, string? RequestedBy, string? RequestedAt, string? Justification,
    bool CanDecide, IReadOnlyList<ColumnRecord> Columns);

/// <summary>What the consumer would see under a proposed grant: the first rows, the row count, the visible columns.</summary>
public sealed record PreviewView(CollectedResult Rows, long RowCount, IReadOnlyList<string> VisibleColumns, string Statement);

/// <summary>
/// The owner's inbox and decisions. The list is <c>SHOW SUBSCRIPTION REQUESTS</c> as the user; approving and rejecting
/// run <c>APPROVE SUBSCRIPTION</c> / <c>REJECT SUBSCRIPTION</c> through the wire's statement path (parser, the same
/// AdminExecutor, permissions, validation, audit). The preview parses the same statement text, runs every check of the
/// approval without storing it (<c>AdminExecutor.ProposeApproval</c>), then asks the gateway what the consumer's
/// queries would return under that grant (<c>GrantPreview</c>).
/// </summary>
public sealed class Decisions(PortalServices services, PortalSql sql)
{
    public const int PreviewRows = 20;

    public async Task<(IReadOnlyList<PendingRequest> Requests, PgErrorException? Error)> InboxAsync(PortalUser user, CancellationToken ct)
    {
        var answer = await sql.AdminAsync(user, "SHOW SUBSCRIPTION REQUESTS", ct).ConfigureAwait(false);
        if (answer.Error is { } error) return ([], error);
        var snapshot = services.Catalog.Snapshot;
        var requests = answer.Rows.Select(r =>
        {
            var id = long.Parse(r["subscription"]!, System.Globalization.CultureInfo.InvariantCulture);
            // Pending requests are not held in snapshots (approved grants only): read by key from the store.
            var subscription = services.Catalog.Store.Read(x => x.GetSubscription(id));
            var canDecide = r["you_can_decide"] == "t";
            var columns = canDecide && subscription is not null ? snapshot.Asset(subscription.AssetProject, subscription.AssetName)?.Schema ?? [] : [];
            return new PendingRequest(id, r["asset"]!, r["consumer_project"]!, r["requested_by"], r["requested_at"], r["justification"], canDecide, columns);
        }).ToList();
        return (requests, null);
    }

    public async Task<SqlAnswer> ApproveAsync(PortalUser user, long id, ApprovalForm form, CancellationToken ct) =>
        await sql.AdminAsync(user, form.ToSql(id), ct).ConfigureAwait(false);

    public async Task<SqlAnswer> RejectAsync(PortalUser user, long id, string? comment, CancellationToken ct)
    {
        var text = $"REJECT SUBSCRIPTION {id}" + (string.IsNullOrWhiteSpace(comment) ? "" : " COMMENT " + SqlText.Literal(comment.Trim()));
        return await sql.AdminAsync(user, text, ct).ConfigureAwait(false);
    }

    /// <summary>Throws the approval's own error (the same SQLSTATE and message APPROVE SUBSCRIPTION would give).</summary>
    public PreviewView Preview(PortalUser user, long id, ApprovalForm form)
    {
        var text = form.ToSql(id);
        var statements = StatementSplitter.Split(text);
        if (statements.Count != 1) throw new PgErrorException(SqlState.SyntaxError, "the approval must be one statement");
        ApproveSubscription approve;
        try
        {
            approve = AdminParser.TryParse(statements[0], out var parsed) && parsed is ApproveSubscription a
                ? a : throw new PgErrorException(SqlState.SyntaxError, "not an approval");
        }
        catch (AdminSyntaxException e)
        {
            throw new PgErrorException(SqlState.SyntaxError, e.Message, position: e.Offset + 1);
        }
        var proposal = services.Admin.ProposeApproval(approve, user.Caller, PortalSql.HomeDatabase, text);
        var rows = services.Server.Previews.Run(proposal.Approved, user.Identity, "preview of: " + text, PreviewRows, out var count);
        return new PreviewView(rows, count, proposal.VisibleColumns, text);
    }
}
