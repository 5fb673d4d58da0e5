using System.Diagnostics;
using DataMesh.Gateway.Tests.Admin;
using Npgsql;

namespace DataMesh.Gateway.Tests.Storage;

/// <summary>
/// Faults of the object store, each with a real server: wrong credentials (s3rver refuses an unknown key id), a store
/// stopped mid-session, throttling and a store that never answers (a TCP stub in front of s3rver). Each gives 58030
/// naming the account, transient ones are retried with backoff, and the gateway keeps serving other projects.
/// </summary>
[Collection(S3GatewayCollection.Name)]
public sealed class ObjectStoreFaultTests(S3GatewayFixture fixture)
{
    [Fact]
    public async Task Wrong_credentials_are_refused_at_association_and_a_failed_rotation_keeps_the_working_ones()
    {
        var account = AdminSql.Unique("acct");
        var e = await (await fixture.OpenAsync("carol")).FailsAsync(
            $"ASSOCIATE ACCOUNT {account} LOCATION 's3://{S3GatewayFixture.Bucket}/{account}/' ADMIN carol {fixture.With(keyId: "NOSUCHKEY")}", "58030");
        Assert.Equal($"account \"{account}\" cannot be associated: the object store of account \"{account}\" refused the gateway's credentials (InvalidAccessKeyId)", e.MessageText);
        Assert.Equal($"an account admin can set the credentials again with ALTER ACCOUNT {account} SET CREDENTIALS (…)", e.Hint);
        // Npgsql closes its connection after a class-58 error (it does so for PostgreSQL's own I/O errors too).
        await using var again = await fixture.OpenAsync("carol");
        Assert.Empty((await again.QueryAsync("SHOW ACCOUNTS")).RowsWhere("account", account));

        var s = await S3Scenario.CreateAsync(fixture);
        await s.PublishAndSubscribeAsync(fixture);
        await using (var owner = await fixture.OpenAsync(s.Owner))
        {
            e = await owner.FailsAsync($"ALTER ACCOUNT {s.Account} SET CREDENTIALS (access_key_id = 'NOSUCHKEY', secret_access_key = 'whatever')", "58030");
            Assert.StartsWith($"account \"{s.Account}\" keeps its credentials: ", e.MessageText);
        }
        await using var consumer = await fixture.OpenAsync(s.Consumer, s.ConsumerProject);
        Assert.Equal(20L, await S3Scenario.ScalarAsync(consumer, $"SELECT count(*) FROM {s.Producer}.orders"));
    }

    [Fact]
    public async Task Credentials_that_stop_working_fail_the_query_with_58030_and_a_rotated_file_is_picked_up()
    {
        var s = AdminSql.Unique("f");
        await using (var carol = await fixture.OpenAsync("carol"))
        {
            await carol.ExecAsync($"ASSOCIATE ACCOUNT acct_{s} LOCATION 's3://{S3GatewayFixture.Bucket}/acct_{s}/' ADMIN carol " +
                $"WITH (endpoint = '{fixture.S3.Endpoint}', url_style = 'path', credentials = 'file:lakefile')");
            await carol.ExecAsync($"ACCEPT ACCOUNT acct_{s}");
            await carol.ExecAsync($"CREATE PROJECT PROFILE prof_{s} BLUEPRINTS (producer_storage)");
            await carol.ExecAsync($"CREATE PROJECT p_{s} ACCOUNT acct_{s} PROFILE prof_{s}");
            await carol.ExecAsync($"ADD MEMBER carol TO PROJECT p_{s} AS OWNER");
            var file = ParquetFiles.Orders(Path.Combine(fixture.Scratch, s), "o.parquet", 9);
            await fixture.S3.PutAsync(S3GatewayFixture.Bucket, $"acct_{s}/p_{s}/o.parquet", file);
            await carol.ExecAsync($"CREATE ASSET p_{s}.o FROM 'o.parquet'");
        }
        await using (var owner = await fixture.OpenAsync("carol", $"p_{s}"))
            Assert.Equal(9L, await S3Scenario.ScalarAsync(owner, "SELECT count(*) FROM o"));
        try
        {
            fixture.WriteCredentialsFile("NOSUCHKEY");
            File.SetLastWriteTimeUtc(fixture.CredentialsFile, DateTime.UtcNow.AddSeconds(5));
            await using var owner = await fixture.OpenAsync("carol", $"p_{s}");
            var e = await owner.FailsAsync("SELECT count(*) FROM o", "58030");
            Assert.Equal($"could not read asset \"p_{s}.o\": the object store of account \"acct_{s}\" refused the gateway's credentials (InvalidAccessKeyId)", e.MessageText);
        }
        finally
        {
            fixture.WriteCredentialsFile(S3Server.AccessKeyId);
            File.SetLastWriteTimeUtc(fixture.CredentialsFile, DateTime.UtcNow.AddSeconds(10));
        }
        await using (var owner = await fixture.OpenAsync("carol", $"p_{s}"))
            Assert.Equal(9L, await S3Scenario.ScalarAsync(owner, "SELECT count(*) FROM o"));
    }

    [Fact]
    public async Task A_store_stopped_mid_session_fails_its_queries_with_58030_while_other_projects_are_served()
    {
        var s = await S3Scenario.CreateAsync(fixture);
        await s.PublishAndSubscribeAsync(fixture);
        var local = await LocalProjectAsync();
        await using var consumer = await fixture.OpenAsync(s.Consumer, s.ConsumerProject);
        await using var other = await fixture.OpenAsync("carol", local);
        Assert.Equal(20L, await S3Scenario.ScalarAsync(consumer, $"SELECT count(*) FROM {s.Producer}.orders"));

        fixture.S3.Stop();
        try
        {
            var clock = Stopwatch.StartNew();
            var e = await consumer.FailsAsync($"SELECT count(*) FROM {s.Producer}.orders", "58030");
            Assert.Equal($"could not read asset \"{s.Producer}.orders\": the object store of account \"{s.Account}\" is unreachable (ConnectionRefused)", e.MessageText);
            Assert.Equal("the query can be repeated when the object store is available again", e.Hint);
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"a refused connection took {clock.Elapsed} to report");
            Assert.Equal(5L, await S3Scenario.ScalarAsync(other, "SELECT count(*) FROM t"));
        }
        finally
        {
            await fixture.S3.RestartAsync();
        }
        await using var reconnected = await fixture.OpenAsync(s.Consumer, s.ConsumerProject);
        Assert.Equal(20L, await S3Scenario.ScalarAsync(reconnected, $"SELECT count(*) FROM {s.Producer}.orders"));
    }

    [Fact]
    public async Task Throttling_is_retried_with_backoff_and_persistent_throttling_is_58030()
    {
        await using var stub = StoreStub.Throttling(fixture.S3.Port, 0);
        var s = await AssetBehindStubAsync(stub, "t");
        var owner = await fixture.OpenAsync("carol", $"p_{s}");
        Assert.Equal(12L, await S3Scenario.ScalarAsync(owner, "SELECT count(*) FROM o"));

        var retries = fixture.Host.Catalog.Storage.Retry.Retries;
        stub.ThrottleNext(2);
        Assert.Equal(12L, await S3Scenario.ScalarAsync(owner, "SELECT count(*) FROM o"));
        Assert.Equal(2, stub.Throttled);
        Assert.True(fixture.Host.Catalog.Storage.Retry.Retries >= retries + 2);

        stub.ThrottleNext(1000);
        var e = await owner.FailsAsync("SELECT count(*) FROM o", "58030");
        Assert.Equal($"could not read asset \"p_{s}.o\": the object store of account \"acct_{s}\" is throttling requests (SlowDown)", e.MessageText);
        Assert.Equal(2 + 3, stub.Throttled); // three attempts (Storage:MaxAttempts), then the error
        await owner.DisposeAsync();
        stub.ThrottleNext(0);
        await using var again = await fixture.OpenAsync("carol", $"p_{s}");
        Assert.Equal(12L, await S3Scenario.ScalarAsync(again, "SELECT count(*) FROM o"));
    }

    [Fact]
    public async Task A_store_that_never_answers_holds_up_only_its_own_query_and_a_cancel_stops_the_wait()
    {
        await using var stub = StoreStub.Throttling(fixture.S3.Port, 0);
        var s = await AssetBehindStubAsync(stub, "h");
        var other = await S3Scenario.CreateAsync(fixture);
        await other.PublishAndSubscribeAsync(fixture);
        await using var otherConsumer = await fixture.OpenAsync(other.Consumer, other.ConsumerProject);

        stub.Hang();
        await using var owner = await fixture.OpenAsync("carol", $"p_{s}");
        await using var stuck = new NpgsqlCommand("SELECT count(*) FROM o", owner);
        var running = stuck.ExecuteScalarAsync();
        var waited = Stopwatch.StartNew();
        while (stub.Hanging == 0 && waited.Elapsed < TimeSpan.FromSeconds(10)) await Task.Delay(20);
        Assert.True(stub.Hanging > 0, "the query never reached the store");

        // Another project on another store path is served while that fetch waits.
        var clock = Stopwatch.StartNew();
        Assert.Equal(20L, await S3Scenario.ScalarAsync(otherConsumer, $"SELECT count(*) FROM {other.Producer}.orders"));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"another project waited {clock.Elapsed}");

        stuck.Cancel();
        var e = await Assert.ThrowsAsync<OperationCanceledException>(() => running);
        Assert.Equal("57014", Assert.IsType<PostgresException>(e.InnerException).SqlState);
        Assert.Equal(1, await S3Scenario.ScalarAsync(owner, "SELECT 1"));
    }

    /// <summary>A project on a local-directory account with table t (5 rows), owned by carol.</summary>
    private async Task<string> LocalProjectAsync()
    {
        var s = AdminSql.Unique("loc");
        var root = Path.Combine(fixture.Scratch, s);
        AdminSql.WriteParquet(Path.Combine(root, s, "t.parquet"), "SELECT * FROM range(5) r(i)");
        await using var carol = await fixture.OpenAsync("carol");
        await carol.ExecAsync($"ASSOCIATE ACCOUNT a_{s} LOCATION '{root}' ADMIN carol");
        await carol.ExecAsync($"ACCEPT ACCOUNT a_{s}");
        await carol.ExecAsync($"CREATE PROJECT PROFILE pr_{s} BLUEPRINTS (producer_storage)");
        await carol.ExecAsync($"CREATE PROJECT {s} ACCOUNT a_{s} PROFILE pr_{s}");
        await carol.ExecAsync($"ADD MEMBER carol TO PROJECT {s} AS OWNER");
        await carol.ExecAsync($"CREATE ASSET {s}.t FROM 't.parquet'"); // relative to the project's prefix, <account>/{s}/
        return s;
    }

    /// <summary>
    /// An account whose endpoint is <paramref name="stub"/> (which passes requests on to s3rver until told otherwise),
    /// a project on it owned by carol, and its 12-row asset <c>p_&lt;s&gt;.o</c>; returns the unique suffix s.
    /// </summary>
    private async Task<string> AssetBehindStubAsync(StoreStub stub, string prefix)
    {
        var s = AdminSql.Unique(prefix);
        await using (var carol = await fixture.OpenAsync("carol"))
        {
            await carol.ExecAsync($"ASSOCIATE ACCOUNT acct_{s} LOCATION 's3://{S3GatewayFixture.Bucket}/acct_{s}/' ADMIN carol " +
                $"WITH (endpoint = '{stub.Endpoint}', url_style = 'path', access_key_id = 'S3RVER', secret_access_key = 'S3RVER')");
            await carol.ExecAsync($"ACCEPT ACCOUNT acct_{s}");
            await carol.ExecAsync($"CREATE PROJECT PROFILE prof_{s} BLUEPRINTS (producer_storage)");
            await carol.ExecAsync($"CREATE PROJECT p_{s} ACCOUNT acct_{s} PROFILE prof_{s}");
            await carol.ExecAsync($"ADD MEMBER carol TO PROJECT p_{s} AS OWNER");
            var file = ParquetFiles.Orders(Path.Combine(fixture.Scratch, s), "o.parquet", 12);
            await fixture.S3.PutAsync(S3GatewayFixture.Bucket, $"acct_{s}/p_{s}/o.parquet", file);
            await carol.ExecAsync($"CREATE ASSET p_{s}.o FROM 'o.parquet'");
        }
        return s;
    }
}
