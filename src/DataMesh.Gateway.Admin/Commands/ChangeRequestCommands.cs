using System.Globalization;
using DataMesh.Gateway.Catalog.Model;
using DataMesh.Gateway.Sql.Admin;
using DataMesh.Gateway.Sql.Lexing;

namespace DataMesh.Gateway.Admin.Commands;

/// <summary>
/// A consumer project asks for a change of its approved grant (REQUEST SUBSCRIPTION CHANGE n …); an owner of the
/// asset's project applies it (APPROVE SUBSCRIPTION CHANGE n, exactly as ALTER SUBSCRIPTION n with the same changes) or
/// turns it down; the consumer may take it back. At most one change request per subscription is pending.
/// </summary>
internal static class ChangeRequestCommands
{
    public static AdminResult Request(AdminContext ctx, RequestSubscriptionChange s, int offset)
    {
        var (subscription, asset) = SubscriptionCommands.Load(ctx, s.Id);
        Permissions.RequireRole(ctx, subscription.ConsumerProject, MemberRole.Contributor,
            $"request changes of subscriptions of project \"{subscription.ConsumerProject}\"");
        if (string.IsNullOrWhiteSpace(s.Justification)) throw AdminErrors.Invalid("a justification is required");
        GrantChangeCommands.RequireApproved(ctx, subscription);
        // Checked now as the owner's approval will check it, so a request that could never be applied is refused at once.
        GrantChangeCommands.Changed(ctx, subscription, asset, s.Changes, null, offset);
        var id = ctx.Change(w =>
        {
            if (Pending(w.SubscriptionChanges(s.Id)) is not null) throw AdminErrors.Duplicate("pending change request of subscription", s.Id.ToString(CultureInfo.InvariantCulture));
            var change = w.InsertSubscriptionChange(new SubscriptionChangeRecord(0, s.Id, s.ChangesText, s.Justification, ChangeRequestStatus.Pending,
                ctx.User, ctx.Now, null, null, null));
            AdminContext.Event(w, ctx, EventKinds.ChangeRequested, subscription, s.ChangesText);
            return change;
        }, assets: [asset.QualifiedName], subscriptionIds: [s.Id]);
        return AdminResult.Row("REQUEST SUBSCRIPTION CHANGE", ("subscription", s.Id), ("change", id), ("changes", s.ChangesText), ("status", "pending"));
    }

    public static AdminResult Decide(AdminContext ctx, DecideSubscriptionChange s)
    {
        var (subscription, asset) = SubscriptionCommands.Load(ctx, s.Id);
        Permissions.RequireRole(ctx, subscription.AssetProject, MemberRole.Owner, $"decide on subscriptions to assets of project \"{subscription.AssetProject}\"");
        var change = Pending(ctx.Read(r => r.SubscriptionChanges(s.Id)))
            ?? throw AdminErrors.Unknown("pending change request of subscription", s.Id.ToString(CultureInfo.InvariantCulture));
        if (!s.Approve)
        {
            ctx.Change(w =>
            {
                RequireStillPending(w, change);
                w.DecideSubscriptionChange(change.Id, ChangeRequestStatus.Rejected, ctx.User, ctx.Now, s.Comment);
                AdminContext.Event(w, ctx, EventKinds.ChangeRejected, subscription, s.Comment);
            }, assets: [asset.QualifiedName], subscriptionIds: [s.Id]);
            return AdminResult.Row("REJECT SUBSCRIPTION CHANGE", ("subscription", s.Id), ("change", change.Id), ("status", "rejected"));
        }
        var changes = Parse(s.Id, change.Clauses);
        var (updated, shown) = GrantChangeCommands.Apply(ctx, s.Id, changes, s.Comment, 0, w =>
        {
            RequireStillPending(w, change);
            w.DecideSubscriptionChange(change.Id, ChangeRequestStatus.Approved, ctx.User, ctx.Now, s.Comment);
        });
        return AdminResult.Row("APPROVE SUBSCRIPTION CHANGE", ("subscription", s.Id), ("change", change.Id), ("status", "approved"),
            ("row_filter", updated.RowFilter), ("columns", Format.List(shown)), ("masks", string.Join(", ", updated.Masks.Select(GrantPolicy.Describe))),
            ("expires_at", Format.Time(updated.ExpiresAt)));
    }

    public static AdminResult Withdraw(AdminContext ctx, WithdrawSubscriptionChange s)
    {
        var (subscription, asset) = SubscriptionCommands.Load(ctx, s.Id);
        Permissions.RequireRole(ctx, subscription.ConsumerProject, MemberRole.Contributor,
            $"withdraw change requests of project \"{subscription.ConsumerProject}\"");
        var change = Pending(ctx.Read(r => r.SubscriptionChanges(s.Id)))
            ?? throw AdminErrors.Unknown("pending change request of subscription", s.Id.ToString(CultureInfo.InvariantCulture));
        ctx.Change(w =>
        {
            RequireStillPending(w, change);
            w.DecideSubscriptionChange(change.Id, ChangeRequestStatus.Withdrawn, ctx.User, ctx.Now, null);
            AdminContext.Event(w, ctx, EventKinds.ChangeWithdrawn, subscription, change.Clauses);
        }, assets: [asset.QualifiedName], subscriptionIds: [s.Id]);
        return AdminResult.Row("WITHDRAW SUBSCRIPTION CHANGE", ("subscription", s.Id), ("change", change.Id), ("status", "withdrawn"));
    }

    /// <summary>Pending change requests the caller may decide (owners of the asset's project) or made (the consumer project's members).</summary>
    public static AdminResult Show(AdminContext ctx, ShowSubscriptionChanges _)
    {
        var (changes, subscriptions) = ctx.Read(r => (r.SubscriptionChanges(null), r.Subscriptions().ToDictionary(x => x.Id)));
        var rows = changes.Where(c => c.Status == ChangeRequestStatus.Pending && subscriptions.ContainsKey(c.SubscriptionId))
            .Select(c => (Change: c, Subscription: subscriptions[c.SubscriptionId]))
            .Where(x => Permissions.HasRole(ctx, x.Subscription.AssetProject, MemberRole.Owner) || Permissions.HasRole(ctx, x.Subscription.ConsumerProject, MemberRole.Viewer))
            .Select(x => new object?[]
            {
                x.Subscription.Id, x.Change.Id, $"{x.Subscription.AssetProject}.{x.Subscription.AssetName}", x.Subscription.ConsumerProject, x.Change.Clauses,
                x.Change.Justification, x.Change.RequestedBy, Format.Time(x.Change.RequestedAt), Permissions.HasRole(ctx, x.Subscription.AssetProject, MemberRole.Owner),
            }).ToList();
        return new AdminResult(
            [new("subscription", AdminColumnType.BigInt), new("change", AdminColumnType.BigInt), new("asset"), new("consumer_project"), new("changes"),
             new("justification"), new("requested_by"), new("requested_at"), new("you_can_decide", AdminColumnType.Bool)],
            rows, $"SHOW SUBSCRIPTION CHANGES {rows.Count}");
    }

    private static SubscriptionChangeRecord? Pending(IReadOnlyList<SubscriptionChangeRecord> changes) =>
        changes.LastOrDefault(c => c.Status == ChangeRequestStatus.Pending);

    private static void RequireStillPending(Catalog.Store.ICatalogReader r, SubscriptionChangeRecord change)
    {
        if (r.SubscriptionChanges(change.SubscriptionId).FirstOrDefault(c => c.Id == change.Id) is not { Status: ChangeRequestStatus.Pending } current)
            throw AdminErrors.WrongState($"the change request of subscription {change.SubscriptionId} was decided meanwhile");
        _ = current;
    }

    /// <summary>The stored changes, read again with the grammar of ALTER SUBSCRIPTION (they were checked when requested).</summary>
    private static GrantChanges Parse(long id, string clauses)
    {
        var statement = StatementSplitter.Split($"ALTER SUBSCRIPTION {id.ToString(CultureInfo.InvariantCulture)} {clauses}").Single();
        return AdminParser.TryParse(statement, out var parsed) && parsed is AlterSubscription alter
            ? alter.Changes
            : throw AdminErrors.WrongState($"the change request of subscription {id} can no longer be read");
    }
}
