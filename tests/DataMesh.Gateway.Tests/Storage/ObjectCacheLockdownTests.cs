using DataMesh.Gateway.Storage.Objects;
using DataMesh.Gateway.Tests.Admin;

namespace DataMesh.Gateway.Tests.Storage;

/// <summary>
/// The object cache is the gateway's alone: a consumer whose grant reads cached files cannot read them (or any other
/// cached object) by path, by glob or by a file function, so the row filter and the excluded column hold. The probe
/// works: the same files hold the hidden rows (the owner reads them through their own grant).
/// </summary>
[Collection(S3GatewayCollection.Name)]
public sealed class ObjectCacheLockdownTests(S3GatewayFixture fixture)
{
    [Fact]
    public async Task Consumers_cannot_read_cached_objects_by_path()
    {
        // Another project's objects in the cache too.
        var t = await S3Scenario.CreateAsync(fixture);
        await t.PublishAndSubscribeAsync(fixture);
        await using (var elsewhere = await fixture.OpenAsync(t.Consumer, t.ConsumerProject))
            Assert.Equal(20L, await S3Scenario.ScalarAsync(elsewhere, $"SELECT count(*) FROM {t.Producer}.orders"));
        var s = await S3Scenario.CreateAsync(fixture);
        await s.PublishAndSubscribeAsync(fixture);
        await using var consumer = await fixture.OpenAsync(s.Consumer, s.ConsumerProject);
        Assert.Equal(20L, await S3Scenario.ScalarAsync(consumer, $"SELECT count(*) FROM {s.Producer}.orders"));

        var cache = fixture.Host.Catalog.Storage.Cache;
        var pinned = fixture.Host.Catalog.Catalog.Snapshot.Asset(s.Producer, "orders")!.Objects!;
        var granted = cache.PathFor(S3GatewayFixture.Bucket, new ObjectVersion(pinned[0].Key, pinned[0].ETag, pinned[0].Size));
        Assert.True(File.Exists(granted), "the probe needs the granted object in the cache");
        var other = Directory.GetFiles(cache.Directory, "*.parquet").First(f => f != granted && !pinned.Any(p => cache.PathFor(S3GatewayFixture.Bucket, new ObjectVersion(p.Key, p.ETag, p.Size)) == f));

        foreach (var sql in new[]
        {
            $"SELECT count(*) FROM read_parquet('{granted}')",
            $"SELECT count(*) FROM '{granted}'",
            $"SELECT count(*) FROM \"{granted}\"",
            $"SELECT count(*) FROM read_parquet('{other}')",
            $"SELECT count(*) FROM glob('{cache.Directory}/*')",
            $"SELECT count(*) FROM read_blob('{granted}')",
            $"SELECT * FROM parquet_metadata('{granted}')",
        })
        {
            var e = await consumer.FailsAsync(sql, "42501");
            Assert.DoesNotContain(cache.Directory, e.MessageText);
        }
        // The session goes on, and still sees only its grant.
        Assert.Equal(20L, await S3Scenario.ScalarAsync(consumer, $"SELECT count(*) FROM {s.Producer}.orders"));
        await using var owner = await fixture.OpenAsync(s.Owner, s.Producer);
        Assert.Equal(60L, await S3Scenario.ScalarAsync(owner, "SELECT count(*) FROM orders"));
    }
}
