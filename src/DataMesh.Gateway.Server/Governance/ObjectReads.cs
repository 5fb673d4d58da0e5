using System.Collections.Concurrent;
using System.Globalization;
using DataMesh.Gateway.Admin.ObjectStores;
using DataMesh.Gateway.Catalog;
using DataMesh.Gateway.Catalog.Model;
using DataMesh.Gateway.Policy.Rewrite;
using DataMesh.Gateway.Protocol.Errors;
using DataMesh.Gateway.Storage;
using DataMesh.Gateway.Storage.Caching;
using DataMesh.Gateway.Storage.Objects;

namespace DataMesh.Gateway.Server.Governance;

/// <summary>
/// What a query on assets on object stores needs before the engine sees it: the objects its grants pin, in the local
/// cache, held for as long as the query reads them. Before it runs, the asset's objects are listed and compared with
/// the pinned ETags (every query, or once per <see cref="StorageOptions.RevalidateAfter"/>): a changed object is drift
/// (55000, as a changed local file's schema is), a deleted one 58030, a store fault 58030 naming the account. The
/// engine only ever reads the exact cached files its grants list.
/// </summary>
public sealed class ObjectReads(CatalogService catalog, ObjectStorage storage, TimeProvider? time = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly ConcurrentDictionary<(long Asset, string Pin), DateTimeOffset> _validated = new();

    /// <summary>The cached files an asset on an object store is read from, in its pinned order; null for a local asset.</summary>
    public IReadOnlyList<string>? FilesOf(AssetRecord asset)
    {
        if (asset.Objects is not { } objects) return null;
        var bucket = ObjectPattern.Parse(asset.ResolvedPath).Bucket;
        return objects.Select(o => storage.Cache.PathFor(bucket, new ObjectVersion(o.Key, o.ETag, o.Size))).ToList();
    }

    /// <summary>
    /// Fetches what the plan's grants read into the cache and holds it; <paramref name="validate"/> also lists each
    /// asset's objects first (before a query runs; a prepare only needs the files). Null when no grant is on an object store.
    /// </summary>
    public async Task<CacheLease?> AcquireAsync(string project, RewriteResult plan, bool validate, CancellationToken cancel = default)
    {
        if (plan.Grants.All(g => g.Files is null)) return null;
        var snapshot = catalog.Snapshot;
        var objects = new List<CachedObject>();
        var accounts = new Dictionary<string, (AccountRecord Account, AssetRecord Asset)>(StringComparer.Ordinal);
        foreach (var grant in plan.Grants.Where(g => g.Files is not null))
        {
            var asset = snapshot.Asset(grant.Project, grant.Asset);
            var account = asset is null ? null : snapshot.Project(asset.Project) is { } p ? snapshot.Account(p.Account) : null;
            if (asset?.Objects is null || account?.ObjectStore is null)
                throw new PgErrorException(SqlState.ObjectNotInPrerequisiteState, $"asset \"{grant.QualifiedName}\" changed while the query was planned; run it again");
            if (validate) await ValidateAsync(account, asset, cancel).ConfigureAwait(false);
            var bucket = ObjectPattern.Parse(asset.ResolvedPath).Bucket;
            foreach (var o in asset.Objects)
            {
                var cached = new CachedObject(bucket, new ObjectVersion(o.Key, o.ETag, o.Size));
                objects.Add(cached);
                accounts[o.Key + "\n" + bucket] = (account, asset);
            }
        }
        try
        {
            return await storage.Cache.AcquireAsync(project, objects, (o, path, c) =>
            {
                var (account, _) = accounts[o.Version.Key + "\n" + o.Bucket];
                return storage.Store.DownloadAsync(AccountConnections.ToAccount(account), o.Bucket, o.Version, path, c);
            }, cancel).ConfigureAwait(false);
        }
        catch (ObjectStoreException e)
        {
            var asset = accounts.Values.FirstOrDefault(a => a.Account.Name == e.Account).Asset;
            throw Translate(e, asset);
        }
    }

    /// <summary>
    /// Lists the objects of every asset on an object store the plan reads and compares them with the pinned ETags
    /// (55000 changed, 58030 deleted or a store fault), alongside the engine's work: the caller lets no row out before
    /// it completes (<see cref="Engine.Execution.QueryCursor.Gate"/>). Null when the plan reads no such asset. Its
    /// errors are marked so that the query's error translation keeps them as they are.
    /// </summary>
    public Task? StartValidation(RewriteResult plan, CancellationToken cancel)
    {
        if (plan.Grants.All(g => g.Files is null)) return null;
        var snapshot = catalog.Snapshot;
        var checks = new List<Task>();
        foreach (var grant in plan.Grants.Where(g => g.Files is not null))
        {
            var asset = snapshot.Asset(grant.Project, grant.Asset);
            var account = asset is null ? null : snapshot.Project(asset.Project) is { } p ? snapshot.Account(p.Account) : null;
            if (asset?.Objects is null || account?.ObjectStore is null) continue;
            checks.Add(ValidateAsync(account, asset, cancel));
        }
        return Marked(Task.WhenAll(checks));
    }

    public const string StorageErrorKey = "datamesh.storage";

    private static async Task Marked(Task check)
    {
        try
        {
            await check.ConfigureAwait(false);
        }
        catch (PgErrorException e)
        {
            e.Data[StorageErrorKey] = true;
            throw;
        }
    }

    /// <summary>The same, for the synchronous prepare and start of a statement (the engine call that follows blocks too).</summary>
    public CacheLease? Acquire(string project, RewriteResult plan, bool validate, CancellationToken cancel) =>
        AcquireAsync(project, plan, validate, cancel).GetAwaiter().GetResult();

    private async Task ValidateAsync(AccountRecord account, AssetRecord asset, CancellationToken cancel)
    {
        var pin = asset.Objects!;
        var key = (asset.Id, pin.Count == 0 ? "" : pin[0].ETag + pin.Count.ToString(CultureInfo.InvariantCulture) + asset.LatestRevision);
        var now = _time.GetUtcNow();
        if (storage.Options.RevalidateAfter > TimeSpan.Zero && _validated.TryGetValue(key, out var at) && now - at < storage.Options.RevalidateAfter) return;
        IReadOnlyList<ObjectVersion> listed;
        try
        {
            listed = await storage.Store.ListAsync(AccountConnections.ToAccount(account), ObjectPattern.Parse(asset.ResolvedPath),
                storage.Options.MaxObjectsPerAsset + pin.Count, cancel).ConfigureAwait(false);
        }
        catch (ObjectStoreException e)
        {
            throw Translate(e, asset);
        }
        var current = listed.ToDictionary(o => o.Key, o => o.ETag, StringComparer.Ordinal);
        var deleted = pin.Count(o => !current.ContainsKey(o.Key));
        var changed = pin.Count(o => current.TryGetValue(o.Key, out var etag) && etag != o.ETag);
        if (changed > 0) throw Drift(asset, changed);
        if (deleted > 0)
            throw new PgErrorException(SqlState.IoError,
                $"could not read asset \"{asset.QualifiedName}\": {Count(deleted)} of its {Count(pin.Count)} object(s) in account \"{account.Name}\" were deleted since {Revision(asset)}",
                hint: "the asset's owners see which in DESCRIBE ASSET; publishing it again pins the objects there are now");
        _validated[key] = now;
    }

    private static PgErrorException Translate(ObjectStoreException e, AssetRecord? asset) => e.Fault switch
    {
        StoreFault.ObjectChanged when asset is not null => Drift(asset, 1),
        StoreFault.ObjectMissing when asset is not null => new PgErrorException(SqlState.IoError,
            $"could not read asset \"{asset.QualifiedName}\": an object in account \"{e.Account}\" was deleted since {Revision(asset)}",
            hint: "the asset's owners see which in DESCRIBE ASSET; publishing it again pins the objects there are now"),
        _ => e.ToPgError(asset is null ? null : $"could not read asset \"{asset.QualifiedName}\""),
    };

    private static PgErrorException Drift(AssetRecord asset, int changed) => new(SqlState.ObjectNotInPrerequisiteState,
        $"asset \"{asset.QualifiedName}\" no longer matches {Revision(asset)}: {Count(changed)} of its objects changed since",
        hint: "the producer replaced the asset's objects; its owners see which in DESCRIBE ASSET and publish it again");

    private static string Revision(AssetRecord asset) =>
        asset.LatestRevision is { } r ? $"its published revision {r.ToString(CultureInfo.InvariantCulture)}" : "it was created";

    private static string Count(int n) => n.ToString(CultureInfo.InvariantCulture);
}
