using DataMesh.Gateway.Catalog.Model;
using DataMesh.Gateway.Catalog.Snapshots;

namespace DataMesh.Gateway.Admin;

/// <summary>One column of an asset as a consumer project's queries see it: visible (perhaps masked) or hidden.</summary>
internal sealed record EffectiveColumn(string Name, string Type, bool Visible, MaskRecord? Mask, bool Withheld = false);

/// <summary>
/// What one consumer project may read of one asset, from the catalog snapshot the query path also reads. The rules
/// mirror the query-time grants (Policy's GrantSet.For), which Admin must not reference: a project reads its own
/// assets in full; otherwise the newest approved, unexpired subscription counts, and only while the asset is
/// published; columns are those its owner approved (pinned at approval), within its include/exclude filter (exact
/// names, <see cref="SubscriptionRecord.Shows"/>), and carry its masks. EffectivePolicyAgreementTests
/// compares the two over every project and asset, so a rule changed on one side only fails there.
/// </summary>
internal sealed record EffectivePolicy(
    AssetRecord Asset,
    IReadOnlyList<EffectiveColumn> Columns,
    bool OwnProject,
    SubscriptionRecord? Grant,
    SubscriptionRecord? Latest)
{
    /// <summary>True when the consumer's queries can read the asset at all.</summary>
    public bool HasAccess => OwnProject || Grant is not null;

    /// <param name="latest">The consumer's newest subscription to the asset in any status (the snapshot holds approved
    /// ones only; the store has the rest); null: the newest approved one.</param>
    public static EffectivePolicy For(CatalogSnapshot snapshot, string consumer, AssetRecord asset, DateTimeOffset now, SubscriptionRecord? latest = null)
    {
        var subscriptions = snapshot.SubscriptionsOf(consumer)
            .Where(s => s.AssetProject == asset.Project && s.AssetName == asset.Name)
            .ToList();
        // Unpublished assets of other projects do not exist for the query path, approved subscription or not.
        var grant = asset.Published ? subscriptions.LastOrDefault(s => s.StatusAt(now) == SubscriptionStatus.Approved) : null;
        // A subscription replaces the own-project grant in GrantSet (it is written last), so own counts only without one.
        var own = grant is null && asset.Project == consumer;
        var columns = asset.Schema.Select(c => grant is not null ? Column(c, grant)
            : new EffectiveColumn(c.Name, c.Type, Visible: own, Mask: null)).ToList();
        return new EffectivePolicy(asset, columns, own, grant, latest ?? subscriptions.LastOrDefault());
    }

    private static EffectiveColumn Column(ColumnRecord c, SubscriptionRecord s)
    {
        var visible = s.Shows(c.Name);
        return new EffectiveColumn(c.Name, c.Type, visible, visible ? s.Masks.FirstOrDefault(m => m.Column == c.Name) : null, s.Withholds(c.Name));
    }
}
