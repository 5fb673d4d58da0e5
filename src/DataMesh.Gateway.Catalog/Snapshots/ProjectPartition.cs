using DataMesh.Gateway.Catalog.Model;

namespace DataMesh.Gateway.Catalog.Snapshots;

/// <summary>
/// The part of a snapshot that belongs to one project and is loaded on first use: the assets it owns (by name) and
/// its approved subscriptions as a consumer (by id; the stored status, so an expired grant is still here and
/// <see cref="SubscriptionRecord.StatusAt"/> decides). Pending, rejected and revoked subscriptions are not kept:
/// nothing on the query path reads them. Immutable: a change makes a new partition sharing the unchanged records.
/// </summary>
internal sealed class ProjectPartition
{
    public static readonly ProjectPartition Empty = new([], []);

    private readonly AssetRecord[] _assets;
    private readonly SubscriptionRecord[] _approved;

    private ProjectPartition(AssetRecord[] assetsByName, SubscriptionRecord[] approvedById)
    {
        _assets = assetsByName;
        _approved = approvedById;
    }

    public static ProjectPartition From(IEnumerable<AssetRecord> assets, IEnumerable<SubscriptionRecord> subscriptions)
    {
        var byName = assets.OrderBy(a => a.Name, StringComparer.Ordinal).ToArray();
        var approved = subscriptions.Where(s => s.StoredStatus == SubscriptionStatus.Approved).OrderBy(s => s.Id).ToArray();
        return byName.Length == 0 && approved.Length == 0 ? Empty : new ProjectPartition(byName, approved);
    }

    public IReadOnlyList<AssetRecord> Assets => _assets;

    public IReadOnlyList<SubscriptionRecord> Approved => _approved;

    public AssetRecord? Asset(string name)
    {
        int lo = 0, hi = _assets.Length - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            var c = string.CompareOrdinal(_assets[mid].Name, name);
            if (c == 0) return _assets[mid];
            if (c < 0) lo = mid + 1;
            else hi = mid - 1;
        }
        return null;
    }

    /// <summary>The partition with <paramref name="asset"/> as it is now (added, or replacing the asset of the same id).</summary>
    public ProjectPartition WithAsset(AssetRecord asset) =>
        new(_assets.Where(a => a.Id != asset.Id).Append(asset).OrderBy(a => a.Name, StringComparer.Ordinal).ToArray(), _approved);

    /// <summary>The partition with the subscription as it is now: kept while approved, dropped otherwise.</summary>
    public ProjectPartition WithSubscription(SubscriptionRecord subscription)
    {
        var others = _approved.Where(s => s.Id != subscription.Id);
        var approved = subscription.StoredStatus == SubscriptionStatus.Approved ? others.Append(subscription).OrderBy(s => s.Id) : others;
        return new ProjectPartition(_assets, approved.ToArray());
    }

    public bool HoldsSubscription(long id) => Array.Exists(_approved, s => s.Id == id);
}

/// <summary>
/// A project's partition in one snapshot, loaded at most once, when first needed (or by the background loader).
/// A loaded partition reflects the store at or after the snapshot's version; the patcher never reuses an unloaded cell
/// for a project a change touched (it makes a fresh one), so a load that began before the change cannot fill the
/// newer snapshot with older data.
/// </summary>
internal sealed class PartitionCell
{
    private ProjectPartition? _partition;
    private readonly Lock _gate = new();

    public PartitionCell()
    {
    }

    public PartitionCell(ProjectPartition partition) => _partition = partition;

    public ProjectPartition? Loaded => Volatile.Read(ref _partition);

    public ProjectPartition Get(ISnapshotSource source, string project)
    {
        if (Loaded is { } loaded) return loaded;
        lock (_gate)
        {
            if (_partition is { } raced) return raced;
            var partition = source.LoadPartitions([project])[0];
            Volatile.Write(ref _partition, partition);
            return partition;
        }
    }

    /// <summary>Installs a partition read by a batch load, unless one is there already.</summary>
    public void Offer(ProjectPartition partition) => Interlocked.CompareExchange(ref _partition, partition, null);
}

/// <summary>Where a snapshot reads what it loads lazily (the store, in one read transaction per call).</summary>
internal interface ISnapshotSource
{
    /// <summary>The partitions of <paramref name="projects"/>, in the same order.</summary>
    IReadOnlyList<ProjectPartition> LoadPartitions(IReadOnlyList<string> projects);

    /// <summary>The assets of these (project, name) keys (null where there is none), in the same order, in one read.</summary>
    IReadOnlyList<AssetRecord?> LoadAssets(IReadOnlyList<(string Project, string Name)> keys);

    IReadOnlyList<AssetRecord> PublishedAssetsNamed(string name);
}
