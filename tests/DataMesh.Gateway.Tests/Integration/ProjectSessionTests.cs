using DataMesh.Gateway.Tests.Infrastructure;
using Npgsql;

namespace DataMesh.Gateway.Tests.Integration;

/// <summary>
/// The connection's database names the project, and the project's grants decide what its queries read: the demo's
/// ml_research holds an approved subscription to marketing.mkt_sls_table with row filter region = 'Europe' and
/// customer_email excluded; finance's request is still pending.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class ProjectSessionTests(GatewayFixture gateway)
{
    private async Task<NpgsqlConnection> OpenAsync(string user, string database)
    {
        var connection = new NpgsqlConnection(gateway.ConnectionString(user, database: database, extra: "Include Error Detail=true"));
        await connection.OpenAsync();
        return connection;
    }

    private static async Task<object?> ScalarAsync(NpgsqlConnection connection, string sql)
    {
        await using var cmd = new NpgsqlCommand(sql, connection);
        return await cmd.ExecuteScalarAsync();
    }

    [Fact]
    public async Task A_non_member_is_refused_at_startup_with_42501()
    {
        var e = await Assert.ThrowsAsync<PostgresException>(() => OpenAsync("bob", "marketing"));
        Assert.Equal("42501", e.SqlState);
        Assert.Equal("FATAL", e.Severity);
        Assert.Contains("not a member", e.Detail);
    }

    [Fact]
    public async Task An_unknown_database_is_3D000()
    {
        var e = await Assert.ThrowsAsync<PostgresException>(() => OpenAsync("alice", "no_such_project"));
        Assert.Equal("3D000", e.SqlState);
    }

    [Fact]
    public async Task A_group_member_may_connect_and_the_home_database_is_open_to_everyone()
    {
        await using (var bob = await OpenAsync("bob", "ml_research")) Assert.Equal(1, await ScalarAsync(bob, "SELECT 1"));
        await using var carol = await OpenAsync("carol", "postgres");
        Assert.Equal(5L, await ScalarAsync(carol, "SELECT count(*) FROM generate_series(1, 5)"));
        var e = await Assert.ThrowsAsync<PostgresException>(() => ScalarAsync(carol, "SELECT count(*) FROM marketing.mkt_sls_table"));
        Assert.Equal("42501", e.SqlState);
    }

    [Fact]
    public async Task A_subscriber_sees_only_the_granted_rows_and_columns()
    {
        await using var bob = await OpenAsync("bob", "ml_research");
        await using (var cmd = new NpgsqlCommand("SELECT * FROM marketing.mkt_sls_table LIMIT 1", bob))
        await using (var reader = await cmd.ExecuteReaderAsync())
        {
            var names = Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).ToList();
            Assert.Equal(["item_id", "sales_qty_sld", "region", "sale_date", "amount"], names);
        }
        Assert.Equal(["Europe"], await RegionsAsync(bob, "SELECT DISTINCT region FROM mkt_sls_table"));

        await using var alice = await OpenAsync("alice", "marketing");
        var all = (long)(await ScalarAsync(alice, "SELECT count(*) FROM mkt_sls_table"))!;
        var europe = (long)(await ScalarAsync(alice, "SELECT count(*) FROM mkt_sls_table WHERE region = 'Europe'"))!;
        Assert.Equal(europe, await ScalarAsync(bob, "SELECT count(*) FROM marketing.mkt_sls_table"));
        Assert.True(all > europe);
    }

    private static async Task<List<string>> RegionsAsync(NpgsqlConnection connection, string sql)
    {
        await using var cmd = new NpgsqlCommand(sql, connection);
        await using var reader = await cmd.ExecuteReaderAsync();
        var regions = new List<string>();
        while (await reader.ReadAsync()) regions.Add(reader.GetString(0));
        return regions;
    }

    [Theory]
    [InlineData("SELECT customer_email FROM mkt_sls_table", "42703")]
    [InlineData("SELECT count(*) FROM mkt_sls_table t WHERE t.customer_email LIKE 'a%'", "42703")]
    [InlineData("SELECT * FROM marketing.campaigns", "42501")]
    [InlineData("SELECT * FROM marketing.draft_forecast", "42P01")]
    [InlineData("SELECT * FROM read_parquet('/etc/passwd')", "42501")]
    [InlineData("SELECT * FROM '/etc/passwd'", "42501")]
    [InlineData("SELECT current_setting('memory_limit')", "42501")]
    [InlineData("SELECT name FROM system.pg_catalog.pg_settings", "42501")]
    public async Task What_the_grant_does_not_allow_is_refused_without_leaking(string sql, string state)
    {
        await using var bob = await OpenAsync("bob", "ml_research");
        var e = await Assert.ThrowsAsync<PostgresException>(() => ScalarAsync(bob, sql));
        Assert.Equal(state, e.SqlState);
        var text = e.MessageText + e.Detail + e.Hint;
        Assert.DoesNotContain(gateway.Host.DataDirectory, text);
        Assert.DoesNotContain("__datamesh", text);
        Assert.DoesNotContain("read_parquet('/", text);
        Assert.DoesNotContain("'Europe'", text);
        Assert.Equal(1, await ScalarAsync(bob, "SELECT 1")); // the connection stays usable
    }

    [Fact]
    public async Task No_subscription_says_how_to_request_one()
    {
        await using var dave = await OpenAsync("dave", "finance");
        var e = await Assert.ThrowsAsync<PostgresException>(() => ScalarAsync(dave, "SELECT count(*) FROM marketing.mkt_sls_table"));
        Assert.Equal("42501", e.SqlState);
        Assert.Contains("no approved subscription", e.MessageText);
        Assert.Contains("REQUEST SUBSCRIPTION TO marketing.mkt_sls_table FOR PROJECT finance", e.Hint);
    }

    [Fact]
    public async Task Copy_to_stdout_is_governed_like_its_query()
    {
        await using var bob = await OpenAsync("bob", "ml_research");
        using var reader = await bob.BeginTextExportAsync("COPY (SELECT DISTINCT region FROM mkt_sls_table) TO STDOUT");
        Assert.Equal("Europe", (await reader.ReadToEndAsync()).Trim());
    }

    [Fact]
    public async Task Every_query_is_audited_with_its_assets_and_subscription()
    {
        await using var bob = await OpenAsync("bob", "ml_research");
        var marker = "audit_marker_" + Guid.NewGuid().ToString("N")[..8];
        await ScalarAsync(bob, $"SELECT count(*) AS {marker} FROM marketing.mkt_sls_table");
        await using var carol = await OpenAsync("carol", "postgres");
        for (var attempt = 0; attempt < 50; attempt++)
        {
            await using var cmd = new NpgsqlCommand("SHOW AUDIT LIMIT 200", carol);
            await using var reader = await cmd.ExecuteReaderAsync();
            var statement = reader.GetOrdinal("statement");
            while (await reader.ReadAsync())
            {
                if (reader.GetValue(statement) is not string text || !text.Contains(marker)) continue;
                var row = Enumerable.Range(0, reader.FieldCount).ToDictionary(reader.GetName, i => reader.IsDBNull(i) ? "" : Convert.ToString(reader.GetValue(i))!);
                Assert.Equal("bob", row["user"]);
                Assert.Equal("ml_research", row["project"]);
                Assert.Equal("query", row["kind"]);
                Assert.Equal("ok", row["outcome"]);
                Assert.Equal("marketing.mkt_sls_table", row["assets"]);
                Assert.Equal("1", row["subscriptions"]); // the demo's approved subscription
                Assert.Equal("1", row["rows"]);
                Assert.NotEqual("", row["policy_version"]);
                Assert.True(double.Parse(row["duration_ms"], System.Globalization.CultureInfo.InvariantCulture) >= 0);
                Assert.DoesNotContain("read_parquet", text);
                return;
            }
            await Task.Delay(100);
        }
        Assert.Fail("the query's audit record never appeared");
    }

    private static async Task<List<string>> TextColumnAsync(NpgsqlConnection connection, string sql)
    {
        await using var cmd = new NpgsqlCommand(sql, connection);
        await using var reader = await cmd.ExecuteReaderAsync();
        var values = new List<string>();
        while (await reader.ReadAsync()) values.Add(Convert.ToString(reader.GetValue(0))!);
        return values;
    }

    [Fact]
    public async Task Metadata_shows_only_the_visible_assets_and_columns()
    {
        await using var bob = await OpenAsync("bob", "ml_research");
        // Assets only: the project's workspace tables (schema workspace, made by other tests too) are listed as well.
        var tables = await TextColumnAsync(bob, "SELECT table_schema || '.' || table_name FROM information_schema.tables WHERE table_schema NOT IN ('main', 'pg_catalog', 'information_schema', 'workspace') ORDER BY 1");
        Assert.Equal(["marketing.mkt_sls_table"], tables);
        var columns = await TextColumnAsync(bob, "SELECT column_name FROM information_schema.columns WHERE table_name = 'mkt_sls_table' ORDER BY ordinal_position");
        Assert.Equal(["item_id", "sales_qty_sld", "region", "sale_date", "amount"], columns);
        var described = await TextColumnAsync(bob, "DESCRIBE marketing.mkt_sls_table");
        Assert.Equal(columns, described);
        var shown = await TextColumnAsync(bob, "SHOW TABLES");
        Assert.DoesNotContain("campaigns", shown);
        Assert.DoesNotContain("draft_forecast", shown);
        var attributes = await TextColumnAsync(bob, "SELECT a.attname FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid WHERE c.relname = 'mkt_sls_table' ORDER BY a.attnum");
        Assert.Equal(columns, attributes);
    }

    [Fact]
    public async Task The_owner_sees_the_whole_inventory_in_metadata()
    {
        await using var alice = await OpenAsync("alice", "marketing");
        var tables = await TextColumnAsync(alice, "SELECT table_name FROM information_schema.tables WHERE table_schema = 'marketing' ORDER BY 1");
        Assert.Equal(["campaigns", "draft_forecast", "mkt_sls_table"], tables);
        Assert.Contains("customer_email", await TextColumnAsync(alice, "SELECT column_name FROM information_schema.columns WHERE table_name = 'mkt_sls_table'"));
    }

    private async Task AdminAsync(string user, string sql)
    {
        await using var connection = await OpenAsync(user, "postgres");
        await using var cmd = new NpgsqlCommand(sql, connection);
        await cmd.ExecuteNonQueryAsync();
    }

    [Fact]
    public async Task The_projects_query_limits_apply_to_its_queries()
    {
        var n = Guid.NewGuid().ToString("N")[..8];
        await AdminAsync("carol", $"CREATE PROJECT PROFILE tight_{n} BLUEPRINTS (query_limits WITH (memory = '64MB', threads = 1, timeout = '1s'))");
        await AdminAsync("carol", $"CREATE PROJECT limits_{n} ACCOUNT acct_research PROFILE tight_{n}");
        await AdminAsync("carol", $"ADD MEMBER alice TO PROJECT limits_{n} AS CONTRIBUTOR");
        await using var alice = await OpenAsync("alice", $"limits_{n}");

        var started = System.Diagnostics.Stopwatch.StartNew();
        var timeout = await Assert.ThrowsAsync<PostgresException>(() => ScalarAsync(alice, "SELECT count(*) FROM range(100000000000) t(x) WHERE x % 3 = 1"));
        Assert.Equal("57014", timeout.SqlState);
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(30), "the blueprint's 1s timeout, not the server's, stopped the query");

        Assert.Equal(1, await ScalarAsync(alice, "SELECT 1")); // the session survives

        await AdminAsync("carol", $"CREATE PROJECT PROFILE small_{n} BLUEPRINTS (query_limits WITH (memory = '64MB', threads = 1, timeout = '120s'))");
        await AdminAsync("carol", $"CREATE PROJECT memory_{n} ACCOUNT acct_research PROFILE small_{n}");
        await AdminAsync("carol", $"ADD MEMBER alice TO PROJECT memory_{n} AS CONTRIBUTOR");
        await using var small = await OpenAsync("alice", $"memory_{n}");
        // A list aggregate of ~1 GB cannot spill to disk: over the 64 MB limit it fails with DuckDB's out-of-memory error.
        var memory = await Assert.ThrowsAsync<PostgresException>(() => ScalarAsync(small, "SELECT length(list(repeat('x', 1000))) FROM range(1000000)"));
        Assert.Equal("53200", memory.SqlState);
        // Npgsql closes its connection after a 53xxx error; the gateway and the project's instance keep serving.
        await using var again = await OpenAsync("alice", $"memory_{n}");
        Assert.Equal(1, await ScalarAsync(again, "SELECT 1"));
    }
}
