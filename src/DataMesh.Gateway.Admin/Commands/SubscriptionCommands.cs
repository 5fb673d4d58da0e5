using System.Globalization;
using DataMesh.Gateway.Catalog.Model;
using DataMesh.Gateway.Protocol.Types.Codecs;
using DataMesh.Gateway.Sql.Admin;

namespace DataMesh.Gateway.Admin.Commands;

/// <summary>
/// Subscriptions: a consumer project requests, the owner project decides. The state machine:
/// pending → approved | rejected; approved → revoked; approved → expired (derived from the expiry time).
/// Rejected, revoked and expired are final: the consumer requests again.
/// </summary>
internal static class SubscriptionCommands
{
    public static AdminResult Request(AdminContext ctx, RequestSubscription s)
    {
        Permissions.RequireRole(ctx, s.ConsumerProject, MemberRole.Contributor, $"request subscriptions for project \"{s.ConsumerProject}\"");
        if (string.IsNullOrWhiteSpace(s.Justification)) throw AdminErrors.Invalid("a justification is required");
        var id = ctx.Change(w =>
        {
            if (w.GetProject(s.ConsumerProject) is null) throw AdminErrors.Unknown("project", s.ConsumerProject);
            var asset = w.GetAsset(s.Asset.Project, s.Asset.Asset);
            if (asset is null || !asset.Published) throw AdminErrors.Unknown("published asset", s.Asset.ToString());
            if (asset.Project == s.ConsumerProject) throw AdminErrors.WrongState("a project does not subscribe to its own assets: its members already read them");
            var open = w.OpenSubscriptions(s.ConsumerProject, asset.Id)
                .FirstOrDefault(x => x.StatusAt(ctx.Now) is SubscriptionStatus.Pending or SubscriptionStatus.Approved);
            if (open is not null)
                throw AdminErrors.Duplicate($"{open.StatusAt(ctx.Now).ToString().ToLowerInvariant()} subscription of project {s.ConsumerProject} to", s.Asset.ToString());
            var id = w.InsertSubscription(new SubscriptionRecord(0, asset.Id, asset.Project, asset.Name, s.ConsumerProject, s.Justification,
                SubscriptionStatus.Pending, ctx.User, ctx.Now, null, null, null, null, null, null, [], null));
            AdminContext.Event(w, ctx, EventKinds.Requested, w.GetSubscription(id)!, s.Justification);
            return id;
        }, assets: [s.Asset.ToString()]);
        return AdminResult.Row("REQUEST SUBSCRIPTION", ("subscription", id), ("asset", s.Asset.ToString()), ("project", s.ConsumerProject), ("status", "pending"));
    }

    public static AdminResult ShowRequests(AdminContext ctx, ShowSubscriptionRequests _)
    {
        var pending = ctx.Read(r => r.PendingSubscriptions())
            .Where(x => Permissions.HasRole(ctx, x.AssetProject, MemberRole.Owner) || Permissions.HasRole(ctx, x.ConsumerProject, MemberRole.Viewer))
            .ToList();
        return new AdminResult(
            [new("subscription", AdminColumnType.BigInt), new("asset"), new("consumer_project"), new("requested_by"), new("requested_at"), new("justification"), new("you_can_decide", AdminColumnType.Bool)],
            pending.Select(x => new object?[] { x.Id, $"{x.AssetProject}.{x.AssetName}", x.ConsumerProject, x.RequestedBy, Format.Time(x.RequestedAt), x.Justification,
                Permissions.HasRole(ctx, x.AssetProject, MemberRole.Owner) }).ToList(),
            $"SHOW SUBSCRIPTION REQUESTS {pending.Count}");
    }

    public static AdminResult Approve(AdminContext ctx, ApproveSubscription s, int statementOffset)
    {
        var proposal = Propose(ctx, s, statementOffset);
        ctx.Change(w =>
        {
            var current = w.GetSubscription(s.Id)!;
            RequirePending(ctx, current, "approve"); // re-checked inside the write lock: a concurrent decision may have won
            w.UpdateSubscription(Decide(current, proposal.Approved));
            AdminContext.Event(w, ctx, EventKinds.Approved, proposal.Approved, GrantPolicy.Summary(proposal.Approved, proposal.VisibleColumns));
        }, assets: [$"{proposal.Approved.AssetProject}.{proposal.Approved.AssetName}"], subscriptionIds: [s.Id]);
        var approved = proposal.Approved;
        return AdminResult.Row("APPROVE SUBSCRIPTION", ("subscription", s.Id), ("status", "approved"), ("row_filter", approved.RowFilter),
            ("columns", string.Join(", ", proposal.VisibleColumns)), ("masks", string.Join(", ", approved.Masks.Select(GrantPolicy.Describe))),
            ("expires_at", Format.Time(approved.ExpiresAt)));
    }

    /// <summary>
    /// Everything APPROVE SUBSCRIPTION checks (the owner role, a pending request, the row filter, the column lists, the
    /// masks, the expiry), without deciding: the subscription as it would be once approved. The approval itself and
    /// the portal's preview of what the consumer would see both start here, so they cannot disagree.
    /// </summary>
    public static ApprovalProposal Propose(AdminContext ctx, ApproveSubscription s, int statementOffset)
    {
        var (subscription, asset) = Load(ctx, s.Id);
        Permissions.RequireRole(ctx, subscription.AssetProject, MemberRole.Owner, $"decide on subscriptions to assets of project \"{subscription.AssetProject}\"");
        RequirePending(ctx, subscription, "approve");

        string? filter = s.RowFilter is null ? null : GrantPolicy.Filter(ctx, asset, s.RowFilter, statementOffset);
        var (include, exclude) = GrantPolicy.Columns(asset, s.IncludeColumns, s.ExcludeColumns);
        var visible = GrantPolicy.Visible(asset, include, exclude);
        var masks = s.Masks.Select(m => GrantPolicy.Mask(asset, m, visible)).ToList();
        var expires = GrantPolicy.Expiry(ctx, s.ExpiresAt, s.ExpiresIn);
        var approved = subscription with
        {
            StoredStatus = SubscriptionStatus.Approved, DecidedBy = ctx.User, DecidedAt = ctx.Now, Comment = s.Comment,
            RowFilter = filter, IncludeColumns = include, ExcludeColumns = exclude, Masks = masks, ExpiresAt = expires,
            // The grant pins what the owner saw: a column a later revision adds stays hidden until approved.
            ApprovedColumns = visible, ApprovedRevision = asset.LatestRevision,
        };
        return new ApprovalProposal(approved, visible);
    }

    private static SubscriptionRecord Decide(SubscriptionRecord current, SubscriptionRecord approved) => current with
    {
        StoredStatus = approved.StoredStatus, DecidedBy = approved.DecidedBy, DecidedAt = approved.DecidedAt, Comment = approved.Comment,
        RowFilter = approved.RowFilter, IncludeColumns = approved.IncludeColumns, ExcludeColumns = approved.ExcludeColumns,
        Masks = approved.Masks, ExpiresAt = approved.ExpiresAt, ApprovedColumns = approved.ApprovedColumns, ApprovedRevision = approved.ApprovedRevision,
    };

    public static AdminResult Reject(AdminContext ctx, RejectSubscription s)
    {
        var (subscription, _) = Load(ctx, s.Id);
        Permissions.RequireRole(ctx, subscription.AssetProject, MemberRole.Owner, $"decide on subscriptions to assets of project \"{subscription.AssetProject}\"");
        RequirePending(ctx, subscription, "reject");
        ctx.Change(w =>
        {
            var current = w.GetSubscription(s.Id)!;
            RequirePending(ctx, current, "reject");
            w.UpdateSubscription(current with { StoredStatus = SubscriptionStatus.Rejected, DecidedBy = ctx.User, DecidedAt = ctx.Now, Comment = s.Comment });
            AdminContext.Event(w, ctx, EventKinds.Rejected, current, s.Comment);
        }, assets: [$"{subscription.AssetProject}.{subscription.AssetName}"], subscriptionIds: [s.Id]);
        return AdminResult.Row("REJECT SUBSCRIPTION", ("subscription", s.Id), ("status", "rejected"));
    }

    public static AdminResult Revoke(AdminContext ctx, RevokeSubscription s)
    {
        var (subscription, _) = Load(ctx, s.Id);
        Permissions.RequireRole(ctx, subscription.AssetProject, MemberRole.Owner, $"revoke subscriptions to assets of project \"{subscription.AssetProject}\"");
        ctx.Change(w =>
        {
            var current = w.GetSubscription(s.Id)!;
            var status = current.StatusAt(ctx.Now);
            if (status != SubscriptionStatus.Approved)
                throw AdminErrors.WrongState($"subscription {s.Id} is {status.ToString().ToLowerInvariant()}; only approved subscriptions can be revoked");
            w.UpdateSubscription(current with { StoredStatus = SubscriptionStatus.Revoked, DecidedBy = ctx.User, DecidedAt = ctx.Now, Comment = s.Comment ?? current.Comment });
            AdminContext.Event(w, ctx, EventKinds.Revoked, current, s.Comment ?? current.Comment);
        }, assets: [$"{subscription.AssetProject}.{subscription.AssetName}"], subscriptionIds: [s.Id]);
        return AdminResult.Row("REVOKE SUBSCRIPTION", ("subscription", s.Id), ("status", "revoked"));
    }

    public static AdminResult Show(AdminContext ctx, ShowSubscriptions s)
    {
        if (ctx.Snapshot.Project(s.Project) is null) throw AdminErrors.Unknown("project", s.Project);
        Permissions.RequireRole(ctx, s.Project, MemberRole.Viewer, $"see the subscriptions of project \"{s.Project}\"");
        var subscriptions = ctx.Read(r => r.SubscriptionsOf(s.Project));
        var snapshot = ctx.Snapshot;
        return new AdminResult(
            [new("subscription", AdminColumnType.BigInt), new("asset"), new("status"), new("requested_by"), new("decided_by"), new("decided_at"),
             new("row_filter"), new("columns"), new("masks"), new("expires_at"), new("comment")],
            subscriptions.Select(x => new object?[]
            {
                x.Id, $"{x.AssetProject}.{x.AssetName}", x.StatusAt(ctx.Now).ToString().ToLowerInvariant(), x.RequestedBy, x.DecidedBy, Format.Time(x.DecidedAt),
                x.RowFilter, Columns(x, snapshot.Asset(x.AssetProject, x.AssetName)),
                string.Join(", ", x.Masks.Select(GrantPolicy.Describe)), Format.Time(x.ExpiresAt), x.Comment,
            }).ToList(),
            $"SHOW SUBSCRIPTIONS {subscriptions.Count}");
    }

    /// <summary>
    /// The grant's column list as its consumer sees it: its filter, and the columns a later revision added that its
    /// owner has not approved (they are hidden until then).
    /// </summary>
    internal static string? Columns(SubscriptionRecord x, AssetRecord? asset)
    {
        var filter = x.IncludeColumns is { } inc ? "only " + Format.List(inc)
            : x.ExcludeColumns is { } exc ? "all except " + Format.List(exc)
            : x.StoredStatus == SubscriptionStatus.Approved ? "all" : null;
        var withheld = asset?.Schema.Select(c => c.Name).Where(x.Withholds).ToList() ?? [];
        return withheld.Count == 0 ? filter : $"{filter}; not approved yet: {Format.List(withheld)}";
    }

    internal static (SubscriptionRecord, AssetRecord) Load(AdminContext ctx, long id) => ctx.Read(r =>
    {
        var s = r.GetSubscription(id) ?? throw AdminErrors.Unknown("subscription", id.ToString(CultureInfo.InvariantCulture));
        return (s, r.GetAsset(s.AssetId)!);
    });

    internal static void RequirePending(AdminContext ctx, SubscriptionRecord s, string verb)
    {
        var status = s.StatusAt(ctx.Now);
        if (status == SubscriptionStatus.Pending) return;
        throw AdminErrors.WrongState($"cannot {verb} subscription {s.Id}: it is already {status.ToString().ToLowerInvariant()}",
            status is SubscriptionStatus.Revoked or SubscriptionStatus.Rejected or SubscriptionStatus.Expired or SubscriptionStatus.Withdrawn
                ? $"the consumer project can run REQUEST SUBSCRIPTION TO {s.AssetProject}.{s.AssetName} FOR PROJECT {s.ConsumerProject} JUSTIFICATION '…' again"
                : null);
    }
}
