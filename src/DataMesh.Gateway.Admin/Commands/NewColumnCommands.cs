using DataMesh.Gateway.Catalog.Model;

namespace DataMesh.Gateway.Admin.Commands;

/// <summary>
/// Columns a revision adds after a grant was approved. A grant shows only the columns its owner approved
/// (<see cref="SubscriptionRecord.ApprovedColumns"/>), so PUBLISH ASSET tells the owner which grants do not get the new
/// columns, and APPROVE SUBSCRIPTION n ADD COLUMNS (…) approves them for one grant, keeping its filter, masks and expiry.
/// </summary>
internal static class NewColumnCommands
{
    /// <summary>The active grants of <paramref name="assetId"/> that withhold some of <paramref name="added"/>, with those columns.</summary>
    public static List<(SubscriptionRecord Grant, List<string> Columns)> Withheld(
        IEnumerable<SubscriptionRecord> subscriptions, long assetId, IReadOnlyList<string> added, DateTimeOffset now) =>
        subscriptions
            .Where(x => x.AssetId == assetId && x.StatusAt(now) == SubscriptionStatus.Approved)
            .Select(x => (Grant: x, Columns: added.Where(x.Withholds).ToList()))
            .Where(x => x.Columns.Count > 0)
            .OrderBy(x => x.Grant.Id)
            .ToList();

    /// <summary>PUBLISH's answer: the publish row, then one row and one NOTICE per grant that does not get the new columns.</summary>
    public static AdminResult PublishResult(AssetRecord asset, int revision, IReadOnlyList<string> added,
        IReadOnlyList<(SubscriptionRecord Grant, List<string> Columns)> withheld)
    {
        var rows = new List<object?[]> { new object?[] { asset.QualifiedName, (long)revision, "published", null, null, added.Count == 0 ? null : Format.List(added) } };
        rows.AddRange(withheld.Select(w => new object?[] { asset.QualifiedName, (long)revision, "withheld", w.Grant.Id, w.Grant.ConsumerProject, Format.List(w.Columns) }));
        var notices = withheld.Select(w => new AdminNotice(
            $"subscription {w.Grant.Id} of project {w.Grant.ConsumerProject} does not see the new column(s) {Format.List(w.Columns)} of {asset.QualifiedName}",
            "a grant shows only the columns its owner approved",
            $"approve them with: APPROVE SUBSCRIPTION {w.Grant.Id} ADD COLUMNS ({Format.List(w.Columns)})")).ToList();
        return new AdminResult(
            [new("asset"), new("revision", AdminColumnType.BigInt), new("status"), new("subscription", AdminColumnType.BigInt), new("consumer_project"), new("columns")],
            rows, "PUBLISH ASSET") { Notices = notices };
    }
}
