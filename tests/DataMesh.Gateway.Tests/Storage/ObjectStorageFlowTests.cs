using DataMesh.Gateway.Tests.Admin;
using Npgsql;

namespace DataMesh.Gateway.Tests.Storage;

/// <summary>
/// The whole subscription flow on a real S3 API (s3rver): associate an account on a bucket prefix, create a project,
/// an asset from objects under the project's prefix, publish, request, approve with a row filter and an excluded
/// column; the consumer reads the filtered rows, the owner all of them; an overwritten object is drift (55000) until
/// the asset is published again; a deleted object is 58030 naming the account.
/// </summary>
[Collection(S3GatewayCollection.Name)]
public sealed class ObjectStorageFlowTests(S3GatewayFixture fixture)
{
    [Fact]
    public async Task Consumer_and_owner_read_an_asset_on_an_object_store_through_the_grant()
    {
        var s = await S3Scenario.CreateAsync(fixture);
        await s.PublishAndSubscribeAsync(fixture);

        await using var consumer = await fixture.OpenAsync(s.Consumer, s.ConsumerProject);
        // ids 1..60, region Europe when id % 3 == 0: 20 rows, amounts 10 * (3 + 6 + … + 60).
        var rows = await consumer.QueryAsync($"SELECT count(*) AS n, sum(amount) AS total, min(region) AS r FROM {s.Producer}.orders");
        Assert.Equal(20L, rows.Get(0, "n"));
        Assert.Equal(6300.0, rows.Get(0, "total"));
        Assert.Equal("Europe", rows.Get(0, "r"));
        var star = await consumer.QueryAsync($"SELECT * FROM {s.Producer}.orders ORDER BY id LIMIT 1");
        Assert.Equal(["id", "region", "amount"], star.Columns);
        Assert.Equal(3L, star.Get(0, "id"));
        await consumer.FailsAsync($"SELECT customer_email FROM {s.Producer}.orders", "42703");

        await using var owner = await fixture.OpenAsync(s.Owner, s.Producer);
        var all = await owner.QueryAsync("SELECT count(*) AS n, count(DISTINCT customer_email) AS e FROM orders");
        Assert.Equal(60L, all.Get(0, "n"));
        Assert.Equal(60L, all.Get(0, "e"));
    }

    [Fact]
    public async Task An_overwritten_object_is_drift_until_the_asset_is_published_again()
    {
        var s = await S3Scenario.CreateAsync(fixture);
        await s.PublishAndSubscribeAsync(fixture);
        await using var consumer = await fixture.OpenAsync(s.Consumer, s.ConsumerProject);
        Assert.Equal(20L, await S3Scenario.ScalarAsync(consumer, $"SELECT count(*) FROM {s.Producer}.orders"));

        // Same key, other rows (ids 101..130): a new ETag.
        await s.UploadOrdersAsync(fixture, "part-1.parquet", 30, 101);
        var drift = await consumer.FailsAsync($"SELECT count(*) FROM {s.Producer}.orders", "55000");
        Assert.Contains($"asset \"{s.Producer}.orders\" no longer matches its published revision 1", drift.MessageText);
        Assert.DoesNotContain(S3GatewayFixture.Bucket, drift.MessageText);
        // The session goes on.
        Assert.Equal(1, await S3Scenario.ScalarAsync(consumer, "SELECT 1"));

        await using (var owner = await fixture.OpenAsync(s.Owner))
        {
            var described = await owner.QueryAsync($"DESCRIBE ASSET {s.Producer}.orders");
            var driftRows = described.RowsWhere("section", "drift");
            Assert.Contains(driftRows, r => Equals(r[1], "status") && Equals(r[2], "objects differ from revision 1"));
            Assert.Contains(driftRows, r => Equals(r[1], "changed objects") && Equals(r[2], "1"));
            await owner.ExecAsync($"PUBLISH ASSET {s.Producer}.orders");
        }
        // Revision 2 pins the new object: Europe rows of 31..60 and 101..130 (10 + 10).
        Assert.Equal(20L, await S3Scenario.ScalarAsync(consumer, $"SELECT count(*) FROM {s.Producer}.orders"));
        Assert.Equal(129L, await S3Scenario.ScalarAsync(consumer, $"SELECT max(id) FROM {s.Producer}.orders"));
    }

    [Fact]
    public async Task A_deleted_object_is_an_io_error_naming_the_account()
    {
        var s = await S3Scenario.CreateAsync(fixture);
        await s.PublishAndSubscribeAsync(fixture);
        await fixture.S3.DeleteAsync(S3GatewayFixture.Bucket, $"{s.ProducerPrefix}orders/part-2.parquet");
        await using var consumer = await fixture.OpenAsync(s.Consumer, s.ConsumerProject);
        // Not cached yet: the fetch finds it gone.
        var e = await consumer.FailsAsync($"SELECT count(*) FROM {s.Producer}.orders", "58030");
        Assert.Equal($"could not read asset \"{s.Producer}.orders\": an object in account \"{s.Account}\" was deleted since its published revision 1", e.MessageText);

        // Cached: the listing before the query finds it gone. (Npgsql closes its connection after a class-58 error.)
        var t = await S3Scenario.CreateAsync(fixture);
        await t.PublishAndSubscribeAsync(fixture);
        await using var reader = await fixture.OpenAsync(t.Consumer, t.ConsumerProject);
        Assert.Equal(20L, await S3Scenario.ScalarAsync(reader, $"SELECT count(*) FROM {t.Producer}.orders"));
        await fixture.S3.DeleteAsync(S3GatewayFixture.Bucket, $"{t.ProducerPrefix}orders/part-2.parquet");
        e = await reader.FailsAsync($"SELECT count(*) FROM {t.Producer}.orders", "58030");
        Assert.Equal($"could not read asset \"{t.Producer}.orders\": 1 of its 2 object(s) in account \"{t.Account}\" were deleted since its published revision 1", e.MessageText);
    }
}
