namespace DataMesh.Gateway.Catalog.Store;

/// <summary>
/// The change log (migration 9): each writer method names what it changed; at commit the write takes the next catalog
/// version as its position and records one row per changed entity in the same transaction, so the log and the data
/// never disagree. A write that changed nothing keeps the version.
/// </summary>
internal abstract partial class CatalogSession
{
    private protected readonly HashSet<CatalogChange> _changes = [];

    private void Changed(string kind, string key) => _changes.Add(new CatalogChange(kind, key));

    private void Changed(string kind, long id) => Changed(kind, id.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>Records a bulk change (seeding, repair): followers reload instead of patching.</summary>
    public void ChangedEverything() => Changed(ChangeKinds.Everything, "");

    /// <summary>At commit: a new position for this write and its change rows, when it changed anything.</summary>
    public void RecordChanges()
    {
        if (_changes.Count == 0) return;
        var position = Scalar<long>(
            "UPDATE meta SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT) WHERE key = 'catalog_version' RETURNING CAST(value AS INTEGER)");
        using var insert = Command("INSERT INTO catalog_changes (position, kind, key) VALUES ($p, $k, $key)", ("$p", position), ("$k", ""), ("$key", ""));
        foreach (var change in _changes)
        {
            insert.Parameters[1].Value = change.Kind;
            insert.Parameters[2].Value = change.Key;
            insert.ExecuteNonQuery();
        }
        _changes.Clear();
        Announce(position);
        // The log keeps the newest positions only: a follower further behind reloads (CatalogService does).
        Execute("DELETE FROM catalog_changes WHERE position <= $p", ("$p", position - RetainedPositions));
    }

    /// <summary>
    /// Tells other nodes that <paramref name="position"/> committed, inside this transaction, so the announcement is
    /// delivered on commit and never for a write that rolled back. Nothing to do for a store no other node shares.
    /// </summary>
    private protected virtual void Announce(long position)
    {
    }

    /// <summary>How many positions the log keeps.</summary>
    public const long RetainedPositions = 100_000;

    public IReadOnlyList<ChangeBatch> ChangesSince(long position, int maxBatches)
    {
        var rows = Query(
            "SELECT position, kind, key FROM catalog_changes WHERE position > $p AND position <= " +
            "(SELECT coalesce(max(w.position), $p) FROM (SELECT DISTINCT position FROM catalog_changes WHERE position > $p ORDER BY position LIMIT $l) AS w) " +
            "ORDER BY position",
            r => (Position: r.GetInt64(0), Change: new CatalogChange(Pool(r.GetString(1)), r.GetString(2))), ("$p", position), ("$l", maxBatches));
        var batches = new List<ChangeBatch>();
        foreach (var group in rows.GroupBy(x => x.Position))
            batches.Add(new ChangeBatch(group.Key, group.Select(x => x.Change).ToList()));
        return batches;
    }

    /// <summary>The oldest position the log still holds (older ones were pruned): a follower behind it must reload.</summary>
    public long OldestChange => Scalar<long>("SELECT coalesce(min(position), 0) FROM catalog_changes");
}
