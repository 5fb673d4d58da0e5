using System.Globalization;
using DataMesh.Gateway.Tests.Infrastructure;
using Npgsql;

namespace DataMesh.Gateway.Tests.Reliability;

/// <summary>The metrics and health endpoint on its own port, read over real HTTP while real clients use the gateway.</summary>
public sealed class MetricsEndpointTests
{
    private static GatewayHost StartHost() => GatewayFixture.StartDemoHost(s => s.MetricsListen = "127.0.0.1:0");

    private static long Value(string metrics, string series)
    {
        var line = metrics.Split('\n').SingleOrDefault(l => l.StartsWith(series + " ", StringComparison.Ordinal));
        Assert.True(line is not null, $"no series {series} in:\n{metrics}");
        return long.Parse(line![(series.Length + 1)..], CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task Metrics_count_connections_queries_errors_cache_and_bytes_and_health_follows_shutdown()
    {
        await using var host = StartHost();
        var baseUri = new Uri($"http://{host.Metrics!.EndPoint}/");
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };

        await using (var bob = new NpgsqlConnection($"Host=127.0.0.1;Port={host.EndPoint.Port};Username=bob;Password=bob;Database=ml_research;SSL Mode=Disable;Pooling=false"))
        {
            await bob.OpenAsync();
            for (var i = 0; i < 3; i++)
            {
                await using var ok = new NpgsqlCommand("SELECT count(*) FROM mkt_sls_table", bob);
                await ok.ExecuteScalarAsync();
            }
            await using var refused = new NpgsqlCommand("SELECT * FROM marketing.campaigns", bob);
            Assert.Equal("42501", (await Assert.ThrowsAsync<PostgresException>(() => refused.ExecuteScalarAsync())).SqlState);
        }

        var metrics = await http.GetStringAsync(new Uri(baseUri, "metrics"));
        Assert.True(Value(metrics, "datamesh_connections_total") >= 1);
        Assert.True(Value(metrics, "datamesh_queries_total{outcome=\"ok\"}") >= 3);
        Assert.True(Value(metrics, "datamesh_queries_total{outcome=\"error\"}") >= 1);
        Assert.True(Value(metrics, "datamesh_errors_total{sqlstate=\"42501\"}") >= 1);
        Assert.True(Value(metrics, "datamesh_rewrite_cache_hits_total") >= 2); // the same text three times
        Assert.True(Value(metrics, "datamesh_rewrite_cache_misses_total") >= 1);
        Assert.True(Value(metrics, "datamesh_bytes_streamed_total") > 0);
        Assert.Equal(1, Value(metrics, "datamesh_ready"));
        Assert.DoesNotContain("mkt_sls_table", metrics); // counters only, never user text

        using (var health = await http.GetAsync(new Uri(baseUri, "health")))
            Assert.Equal(System.Net.HttpStatusCode.OK, health.StatusCode);
        Assert.Equal(0, await DataMesh.Gateway.Observability.HealthCheck.RunAsync(host.Metrics.EndPoint.ToString()));

        await host.Server.StopAsync();
        using (var health = await http.GetAsync(new Uri(baseUri, "health")))
            Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, health.StatusCode);
        Assert.Equal(1, await DataMesh.Gateway.Observability.HealthCheck.RunAsync(host.Metrics.EndPoint.ToString()));
        using (var missing = await http.GetAsync(new Uri(baseUri, "nothing")))
            Assert.Equal(System.Net.HttpStatusCode.NotFound, missing.StatusCode);
    }

    /// <summary>
    /// Errors sent through the simple protocol (psql's) are counted by SQLSTATE like those of the extended protocol:
    /// a refused query and the 25P02 that follows it in the failed transaction block.
    /// </summary>
    [Fact]
    public async Task Errors_through_the_simple_protocol_are_counted_by_SQLSTATE()
    {
        await using var host = StartHost();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var tcp = new System.Net.Sockets.TcpClient { NoDelay = true };
        await tcp.ConnectAsync(host.EndPoint);
        await using (var bob = RawClient.Wrap(tcp))
        {
            await bob.SendAsync(RawClient.StartupMessage("bob", "ml_research"));
            await RawLogin.AuthenticateAsync(bob, "bob", "bob");
            await bob.SendAsync(RawClient.Query("BEGIN; SELECT * FROM marketing.campaigns"));
            Assert.Equal("42501", RawClient.SqlState(Assert.Single(await bob.ReadUntilAsync('Z'), m => m.Type == 'E').Payload));
            await bob.SendAsync(RawClient.Query("SELECT 1"));
            Assert.Equal("25P02", RawClient.SqlState(Assert.Single(await bob.ReadUntilAsync('Z'), m => m.Type == 'E').Payload));
        }

        var metrics = await http.GetStringAsync(new Uri($"http://{host.Metrics!.EndPoint}/metrics"));
        Assert.Equal(1, Value(metrics, "datamesh_errors_total{sqlstate=\"42501\"}"));
        Assert.Equal(1, Value(metrics, "datamesh_errors_total{sqlstate=\"25P02\"}"));
        Assert.Equal(1, Value(metrics, "datamesh_queries_total{outcome=\"error\"}"));
    }

    /// <summary>
    /// The fenced-query counter moves for a predicate that may fail (ln), and not for point lookups with a typed
    /// parameter, an untyped one (Npgsql's Unknown; pgbench and node-postgres send OID 0) or a literal, which the
    /// leak rules let through unfenced so the scan can prune row groups.
    /// </summary>
    [Fact]
    public async Task Fenced_queries_are_counted_and_untyped_parameter_lookups_are_not_fenced()
    {
        await using var host = StartHost();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var uri = new Uri($"http://{host.Metrics!.EndPoint}/metrics");
        async Task<long> FencedAsync() => Value(await http.GetStringAsync(uri), "datamesh_fenced_queries_total");

        await using var bob = new NpgsqlConnection($"Host=127.0.0.1;Port={host.EndPoint.Port};Username=bob;Password=bob;Database=ml_research;SSL Mode=Disable;Pooling=false");
        await bob.OpenAsync();
        async Task RunAsync(string sql, NpgsqlParameter? parameter = null)
        {
            await using var cmd = new NpgsqlCommand(sql, bob);
            if (parameter is not null) cmd.Parameters.Add(parameter);
            await cmd.ExecuteScalarAsync();
        }

        var before = await FencedAsync();
        await RunAsync("SELECT count(*) FROM mkt_sls_table WHERE item_id = 1");
        await RunAsync("SELECT count(*) FROM mkt_sls_table WHERE item_id = $1", new NpgsqlParameter<long> { TypedValue = 1 });
        for (var i = 0; i < 3; i++)
            await RunAsync("SELECT count(*) FROM mkt_sls_table WHERE item_id = $1", new NpgsqlParameter { NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Unknown, Value = "1" });
        await RunAsync("SELECT count(*) FROM mkt_sls_table WHERE region = $1", new NpgsqlParameter { NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Unknown, Value = "Europe" });
        Assert.Equal(before, await FencedAsync());

        await RunAsync("SELECT count(*) FROM mkt_sls_table WHERE ln(sales_qty_sld) > 0");
        Assert.Equal(before + 1, await FencedAsync());
    }
}
