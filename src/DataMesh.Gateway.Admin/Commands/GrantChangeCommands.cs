using DataMesh.Gateway.Catalog.Model;
using DataMesh.Gateway.Sql.Admin;

namespace DataMesh.Gateway.Admin.Commands;

/// <summary>
/// Changing an approved grant without revoking it: ALTER SUBSCRIPTION (the owner), APPROVE SUBSCRIPTION … ADD COLUMNS
/// (the same change, its columns only) and an approved change request all go through <see cref="Apply"/>, one model with
/// APPROVE: the grant's policy with the changes applied, checked by <see cref="GrantPolicy"/> exactly as an approval.
/// The grant's fingerprint changes, so open sessions plan under the new policy at their next statement (a new policy
/// version in their audit records). Also the consumer's WITHDRAW SUBSCRIPTION REQUEST.
/// </summary>
internal static class GrantChangeCommands
{
    public static AdminResult Alter(AdminContext ctx, AlterSubscription s, int offset)
    {
        var (updated, shown) = Apply(ctx, s.Id, s.Changes, s.Comment, offset);
        return AdminResult.Row("ALTER SUBSCRIPTION", ("subscription", s.Id), ("status", "approved"), ("row_filter", updated.RowFilter),
            ("columns", Format.List(shown)), ("masks", string.Join(", ", updated.Masks.Select(GrantPolicy.Describe))), ("expires_at", Format.Time(updated.ExpiresAt)));
    }

    /// <summary>APPROVE SUBSCRIPTION n ADD COLUMNS (…): ALTER SUBSCRIPTION n ADD COLUMNS (…), answered as before.</summary>
    public static AdminResult AddColumns(AdminContext ctx, ApproveSubscriptionColumns s)
    {
        var changes = new GrantChanges { AddColumns = s.Columns, AddMasks = s.Masks ?? [] };
        var (_, shown) = Apply(ctx, s.Id, changes, s.Comment, 0);
        var (_, asset) = SubscriptionCommands.Load(ctx, s.Id);
        return AdminResult.Row("APPROVE SUBSCRIPTION", ("subscription", s.Id), ("status", "approved"),
            ("added_columns", Format.List(s.Columns.Select(c => GrantPolicy.Column(asset, c)).Distinct())), ("columns", Format.List(shown)));
    }

    /// <summary>The owner's change of an approved grant, checked as an approval, stored with a "changed" event.</summary>
    public static (SubscriptionRecord Updated, List<string> Shown) Apply(AdminContext ctx, long id, GrantChanges changes, string? comment, int offset,
        Action<Catalog.Store.ICatalogWriter>? alongside = null)
    {
        var (subscription, asset) = SubscriptionCommands.Load(ctx, id);
        Permissions.RequireRole(ctx, subscription.AssetProject, MemberRole.Owner, $"decide on subscriptions to assets of project \"{subscription.AssetProject}\"");
        RequireApproved(ctx, subscription);
        var proposed = Changed(ctx, subscription, asset, changes, comment, offset);
        var shown = asset.Schema.Select(c => c.Name).Where(proposed.Shows).ToList();
        ctx.Change(w =>
        {
            var current = w.GetSubscription(id)!;
            RequireApproved(ctx, current); // again under the write lock: a revocation may have won
            w.UpdateSubscription(proposed);
            alongside?.Invoke(w);
            AdminContext.Event(w, ctx, EventKinds.Changed, proposed, GrantPolicy.Summary(proposed, shown));
        }, assets: [asset.QualifiedName], subscriptionIds: [id]);
        return (proposed, shown);
    }

    /// <summary>The grant with <paramref name="changes"/> applied, every part checked as APPROVE checks it.</summary>
    internal static SubscriptionRecord Changed(AdminContext ctx, SubscriptionRecord current, AssetRecord asset, GrantChanges changes, string? comment, int offset)
    {
        var filter = changes.SetsRowFilter ? (changes.RowFilter is { } f ? GrantPolicy.Filter(ctx, asset, f, offset) : null) : current.RowFilter;
        var include = current.IncludeColumns?.ToList();
        var exclude = current.ExcludeColumns?.ToList();
        var approved = current.ApprovedColumns?.ToList() ?? asset.Schema.Select(c => c.Name).Where(current.Shows).ToList();
        var revision = current.ApprovedRevision;
        if (changes.Columns is { } columns)
        {
            (include, exclude) = GrantPolicy.Columns(asset, columns.Include, columns.Exclude);
            // The owner decided the columns again, over the schema as it is now: that is what the grant pins.
            approved = GrantPolicy.Visible(asset, include, exclude);
            revision = asset.LatestRevision;
        }
        var masks = current.Masks.ToList();
        if (changes.AddColumns is { } added)
        {
            var draft = current with { IncludeColumns = include, ExcludeColumns = exclude, ApprovedColumns = approved };
            foreach (var column in added.Select(c => GrantPolicy.Column(asset, c)).Distinct())
            {
                if (exclude?.Contains(column) == true)
                    throw AdminErrors.Invalid($"column \"{column}\" is excluded by the column filter of subscription {current.Id}",
                        "change the column filter with ALTER SUBSCRIPTION … SET COLUMNS");
                if (draft.Shows(column)) throw AdminErrors.WrongState($"subscription {current.Id} already shows column \"{column}\"");
                approved.Add(column);
                include?.Add(column);
            }
            revision = asset.LatestRevision;
        }
        var proposed = current with { RowFilter = filter, IncludeColumns = include, ExcludeColumns = exclude, ApprovedColumns = approved, ApprovedRevision = revision };
        var shown = asset.Schema.Select(c => c.Name).Where(proposed.Shows).ToList();
        if (changes.Masks is { } replaced) masks = replaced.Select(m => GrantPolicy.Mask(asset, m, shown)).ToList();
        foreach (var mask in changes.AddMasks)
        {
            var record = GrantPolicy.Mask(asset, mask, shown);
            if (masks.Any(m => m.Column == record.Column)) throw AdminErrors.Invalid($"column \"{record.Column}\" is masked already");
            masks.Add(record);
        }
        // A mask on a column the new column filter hides would be a mask on nothing: refused as APPROVE refuses it.
        if (masks.FirstOrDefault(m => !shown.Contains(m.Column)) is { } orphan)
            throw AdminErrors.Invalid($"column \"{orphan.Column}\" is masked but not included by the column filter");
        var expires = changes.Expiry is { } e ? GrantPolicy.Expiry(ctx, e.At, e.In) : current.ExpiresAt;
        return proposed with { Masks = masks, ExpiresAt = expires, DecidedBy = ctx.User, DecidedAt = ctx.Now, Comment = comment ?? current.Comment };
    }

    /// <summary>WITHDRAW SUBSCRIPTION REQUEST n: a member (contributor or owner) of the requesting project takes it back.</summary>
    public static AdminResult Withdraw(AdminContext ctx, WithdrawSubscriptionRequest s)
    {
        var (subscription, _) = SubscriptionCommands.Load(ctx, s.Id);
        Permissions.RequireRole(ctx, subscription.ConsumerProject, MemberRole.Contributor,
            $"withdraw requests of project \"{subscription.ConsumerProject}\"");
        ctx.Change(w =>
        {
            var current = w.GetSubscription(s.Id)!;
            var status = current.StatusAt(ctx.Now);
            if (status != SubscriptionStatus.Pending)
                throw AdminErrors.WrongState($"cannot withdraw subscription request {s.Id}: it is already {status.ToString().ToLowerInvariant()}",
                    status == SubscriptionStatus.Approved ? "an approved subscription ends when an owner revokes it or it expires" : null);
            w.UpdateSubscription(current with { StoredStatus = SubscriptionStatus.Withdrawn, DecidedBy = ctx.User, DecidedAt = ctx.Now });
            AdminContext.Event(w, ctx, EventKinds.Withdrawn, current);
        }, assets: [$"{subscription.AssetProject}.{subscription.AssetName}"], subscriptionIds: [s.Id]);
        return AdminResult.Row("WITHDRAW SUBSCRIPTION REQUEST", ("subscription", s.Id), ("status", "withdrawn"));
    }

    internal static void RequireApproved(AdminContext ctx, SubscriptionRecord s)
    {
        var status = s.StatusAt(ctx.Now);
        if (status != SubscriptionStatus.Approved)
            throw AdminErrors.WrongState($"subscription {s.Id} is {status.ToString().ToLowerInvariant()}; only an approved subscription can be changed",
                status == SubscriptionStatus.Pending ? $"decide on it with APPROVE SUBSCRIPTION {s.Id} or REJECT SUBSCRIPTION {s.Id}" : null);
    }
}
