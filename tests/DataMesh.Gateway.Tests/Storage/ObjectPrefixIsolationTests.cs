using DataMesh.Gateway.Storage.Accounts;
using DataMesh.Gateway.Storage.Objects;
using DataMesh.Gateway.Tests.Admin;

namespace DataMesh.Gateway.Tests.Storage;

/// <summary>
/// Projects that share an account on an object store own separate prefixes: <c>CREATE ASSET p.a FROM 'x'</c> lists and
/// reads objects under p's prefix only. Attempts to reach another project's objects by '..', a leading '/', a scheme,
/// a wildcard in the first segment or a prefix that is a string prefix of another project's name are refused or
/// find nothing. The probe is shown to work: the same pattern finds the producer's own objects.
/// </summary>
[Collection(S3GatewayCollection.Name)]
public sealed class ObjectPrefixIsolationTests(S3GatewayFixture fixture)
{
    [Fact]
    public async Task A_project_reads_objects_under_its_own_prefix_only()
    {
        var s = await S3Scenario.CreateAsync(fixture);
        // The consumer project (same account) is also a contributor's own project: it tries to take the producer's objects.
        await using var consumer = await fixture.OpenAsync(s.Consumer);
        // Attempts to leave the prefix are 42501, exactly as on a local account; malformed keys are 22023.
        foreach (var source in new[] { $"../{s.Producer}/orders/*.parquet", $"/{s.Prefix}{s.Producer}/orders/part-1.parquet",
                     $"s3://{S3GatewayFixture.Bucket}/{s.ProducerPrefix}orders/part-1.parquet", "orders\\x.parquet", $"\u2025/{s.Producer}/orders/*.parquet" })
            await consumer.FailsAsync($"CREATE ASSET {s.ConsumerProject}.stolen FROM {AdminSql.Quote(source)}", "42501");
        foreach (var source in new[] { "./orders/*.parquet", "orders//x.parquet", "[a-z]*/orders/*.parquet", "{a,b}/x.parquet" })
            await consumer.FailsAsync($"CREATE ASSET {s.ConsumerProject}.stolen FROM {AdminSql.Quote(source)}", "22023");
        foreach (var source in new[] { "*/orders/*.parquet", "**/*.parquet", "**", "orders/*.parquet", "*" })
        {
            var e = await consumer.FailsAsync($"CREATE ASSET {s.ConsumerProject}.stolen FROM {AdminSql.Quote(source)}", "22023");
            Assert.Equal($"asset source \"{source}\" matches no objects under the prefix of project \"{s.ConsumerProject}\"", e.MessageText);
        }

        // A project whose name starts with the producer's: its prefix is prod_x2/, never prod_x/.
        await using (var carol = await fixture.OpenAsync("carol"))
        {
            await carol.ExecAsync($"CREATE PROJECT {s.Producer}2 ACCOUNT {s.Account} PROFILE {s.Profile}");
            await carol.ExecAsync($"ADD MEMBER {s.Consumer} TO PROJECT {s.Producer}2 AS OWNER");
        }
        await consumer.FailsAsync($"CREATE ASSET {s.Producer}2.stolen FROM 'orders/*.parquet'", "22023");

        // The probe works: the owner's own pattern finds the two objects.
        await using var owner = await fixture.OpenAsync(s.Owner);
        var created = await owner.QueryAsync($"CREATE ASSET {s.Producer}.all_orders FROM '**/*.parquet'");
        Assert.Equal(4L, created.Get(0, "columns"));
        await using var read = await fixture.OpenAsync(s.Owner, s.Producer);
        Assert.Equal(60L, await S3Scenario.ScalarAsync(read, "SELECT count(*) FROM all_orders"));
    }

    [Theory]
    [InlineData("orders/*.parquet", "acct/p/orders/a.parquet", true)]
    [InlineData("orders/*.parquet", "acct/p/orders/x/a.parquet", false)]
    [InlineData("orders/**/*.parquet", "acct/p/orders/a.parquet", true)]
    [InlineData("orders/**/*.parquet", "acct/p/orders/x/y/a.parquet", true)]
    [InlineData("**", "acct/p2/a.parquet", false)]
    [InlineData("*", "acct/p/a.parquet", true)]
    [InlineData("o?.parquet", "acct/p/o1.parquet", true)]
    [InlineData("o?.parquet", "acct/p/o/.parquet", false)]
    [InlineData("a+b(1).parquet", "acct/p/a+b(1).parquet", true)]
    public void Patterns_match_keys_below_the_project_prefix(string source, string key, bool matches)
    {
        var pattern = ObjectPattern.Below(new S3Location("lake", "acct/p/"), source, out var error)!;
        Assert.Null(error);
        Assert.StartsWith("acct/p/", pattern.ListPrefix);
        Assert.Equal(matches, pattern.Matches(key));
        Assert.Equal(pattern.KeyPattern, ObjectPattern.Parse(pattern.ToString()).KeyPattern);
    }

    [Theory]
    [InlineData("s3://lake/acct/", "lake", "acct/")]
    [InlineData("s3://lake/acct", "lake", "acct/")]
    [InlineData("s3://lake", "lake", "")]
    [InlineData("s3://Lake/acct/", null, null)]
    [InlineData("s3://lake/../x/", null, null)]
    [InlineData("s3://lake//x/", null, null)]
    [InlineData("s3://la/x/", null, null)]
    public void Account_locations_are_a_bucket_and_a_plain_prefix(string text, string? bucket, string? prefix)
    {
        var location = S3Location.TryParse(text, out var error);
        Assert.Equal(bucket, location?.Bucket);
        Assert.Equal(prefix, location?.Prefix);
        Assert.Equal(bucket is null, error is not null);
    }
}
