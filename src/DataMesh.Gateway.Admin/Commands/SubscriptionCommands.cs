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
            return w.InsertSubscription(new SubscriptionRecord(0, asset.Id, asset.Project, asset.Name, s.ConsumerProject, s.Justification,
                SubscriptionStatus.Pending, ctx.User, ctx.Now, null, null, null, null, null, null, [], null));
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
        }, assets: [$"{proposal.Approved.AssetProject}.{proposal.Approved.AssetName}"], subscriptionIds: [s.Id]);
        var approved = proposal.Approved;
        return AdminResult.Row("APPROVE SUBSCRIPTION", ("subscription", s.Id), ("status", "approved"), ("row_filter", approved.RowFilter),
            ("columns", string.Join(", ", proposal.VisibleColumns)), ("masks", string.Join(", ", approved.Masks.Select(DescribeMask))),
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

        var columns = asset.Schema.Select(c => c.Name).ToList();
        string? filter = s.RowFilter is null ? null : FilterValidator.Validate(ctx.Services.Metadata, s.RowFilter, columns, statementOffset);
        if (filter is not null) FilterValidator.RequireBoolean(ctx.Services.Metadata, filter, asset.Schema.Select(c => (c.Name, c.Type)).ToList());
        var include = s.IncludeColumns?.Select(c => Column(asset, c)).ToList();
        var exclude = s.ExcludeColumns?.Select(c => Column(asset, c)).ToList();
        if (exclude is not null && exclude.Count == columns.Count) throw AdminErrors.Invalid("the column filter excludes every column of the asset");
        var visible = include ?? columns.Where(c => exclude is null || !exclude.Contains(c)).ToList();
        var masks = s.Masks.Select(m => Mask(asset, m, visible)).ToList();
        var expires = Expiry(ctx, s.ExpiresAt, s.ExpiresIn);
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
                string.Join(", ", x.Masks.Select(DescribeMask)), Format.Time(x.ExpiresAt), x.Comment,
            }).ToList(),
            $"SHOW SUBSCRIPTIONS {subscriptions.Count}");
    }

    /// <summary>
    /// The grant's column list as its consumer sees it: its filter, and the columns a later revision added that its
    /// owner has not approved (they are hidden until then).
    /// </summary>
    private static string? Columns(SubscriptionRecord x, AssetRecord? asset)
    {
        var filter = x.IncludeColumns is { } inc ? "only " + Format.List(inc)
            : x.ExcludeColumns is { } exc ? "all except " + Format.List(exc)
            : x.StoredStatus == SubscriptionStatus.Approved ? "all" : null;
        var withheld = asset?.Schema.Select(c => c.Name).Where(x.Withholds).ToList() ?? [];
        return withheld.Count == 0 ? filter : $"{filter}; not approved yet: {Format.List(withheld)}";
    }

    private static (SubscriptionRecord, AssetRecord) Load(AdminContext ctx, long id) => ctx.Read(r =>
    {
        var s = r.GetSubscription(id) ?? throw AdminErrors.Unknown("subscription", id.ToString(CultureInfo.InvariantCulture));
        return (s, r.GetAsset(s.AssetId)!);
    });

    private static void RequirePending(AdminContext ctx, SubscriptionRecord s, string verb)
    {
        var status = s.StatusAt(ctx.Now);
        if (status == SubscriptionStatus.Pending) return;
        throw AdminErrors.WrongState($"cannot {verb} subscription {s.Id}: it is already {status.ToString().ToLowerInvariant()}",
            status is SubscriptionStatus.Revoked or SubscriptionStatus.Rejected or SubscriptionStatus.Expired
                ? $"the consumer project can run REQUEST SUBSCRIPTION TO {s.AssetProject}.{s.AssetName} FOR PROJECT {s.ConsumerProject} JUSTIFICATION '…' again"
                : null);
    }

    public static string Column(AssetRecord asset, string name) =>
        asset.Schema.FirstOrDefault(c => c.Name.Equals(name, StringComparison.OrdinalIgnoreCase))?.Name
        ?? throw new Protocol.Errors.PgErrorException(Protocol.Errors.SqlState.UndefinedColumn, $"asset \"{asset.QualifiedName}\" has no column \"{name}\"");

    private static MaskRecord Mask(AssetRecord asset, ColumnMask m, IReadOnlyList<string> visible)
    {
        var column = Column(asset, m.Column);
        if (!visible.Contains(column)) throw AdminErrors.Invalid($"column \"{column}\" is masked but not included by the column filter");
        var type = asset.Schema.First(c => c.Name == column).Type.ToUpperInvariant();
        switch (m.Kind)
        {
            case MaskKind.Year when !(type.StartsWith("DATE", StringComparison.Ordinal) || type.StartsWith("TIMESTAMP", StringComparison.Ordinal)):
                throw AdminErrors.Invalid($"the year mask applies to dates and timestamps; column \"{column}\" is {type}");
            case MaskKind.Partial when !type.StartsWith("VARCHAR", StringComparison.Ordinal):
                throw AdminErrors.Invalid($"the partial mask applies to text columns; column \"{column}\" is {type}");
        }
        return new MaskRecord(column, m.Kind.ToString().ToLowerInvariant(), m.KeepFirst, m.KeepLast);
    }

    private static string DescribeMask(MaskRecord m) =>
        m.Kind == "partial" ? $"{m.Column} USING partial({m.KeepFirst}, {m.KeepLast})" : $"{m.Column} USING {m.Kind}";

    private static DateTimeOffset? Expiry(AdminContext ctx, string? at, string? interval)
    {
        DateTimeOffset? expires = null;
        if (at is not null)
        {
            if (!DateTimeOffset.TryParse(at, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t))
                throw AdminErrors.Invalid($"invalid expiry time \"{at}\"", "use an ISO date or timestamp such as '2027-06-30'");
            expires = t;
        }
        else if (interval is not null)
        {
            PgInterval parsed;
            try
            {
                parsed = IntervalCodec.ParseText(interval);
            }
            catch (Protocol.Errors.PgErrorException)
            {
                throw AdminErrors.Invalid($"invalid interval \"{interval}\"", "use an interval such as '30 days' or '1 year'");
            }
            expires = ctx.Now.AddMonths(parsed.Months).AddDays(parsed.Days).AddTicks(parsed.Micros * 10);
        }
        if (expires is { } e && e <= ctx.Now) throw AdminErrors.Invalid($"the expiry {Format.Time(e)} is not in the future");
        return expires;
    }
}
