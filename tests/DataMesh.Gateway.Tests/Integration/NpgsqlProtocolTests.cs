using System.Diagnostics;
using DataMesh.Gateway.Tests.Infrastructure;
using Npgsql;
using NpgsqlTypes;

namespace DataMesh.Gateway.Tests.Integration;

/// <summary>Protocol behaviour as Npgsql exercises it: type loading, prepared statements, batches, cancel, pooling, TLS.</summary>
[Collection(GatewayCollection.Name)]
public sealed class NpgsqlProtocolTests(GatewayFixture gateway)
{
    [Fact]
    public async Task Connects_with_default_settings_and_loads_types()
    {
        await using var connection = await gateway.OpenAsync();
        Assert.Equal(new Version(15, 18), connection.PostgreSqlVersion); // server_version 15.18: pg_dump 15 accepts it
        Assert.Equal("UTF8", connection.PostgresParameters["client_encoding"]);
        Assert.StartsWith("ISO", connection.PostgresParameters["DateStyle"]);
        Assert.Equal("alice", connection.PostgresParameters["session_authorization"]);
        Assert.True(connection.ProcessID > 0);
        await using var cmd = new NpgsqlCommand("SELECT version()", connection);
        var version = (string)(await cmd.ExecuteScalarAsync())!;
        Assert.Matches(@"PostgreSQL (\d+)\.(\d+)", version);
    }

    [Fact]
    public async Task Identity_functions_return_the_session_user_and_database()
    {
        await using var connection = new NpgsqlConnection(gateway.ConnectionString("bob", database: "ml_research"));
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand("SELECT current_user, session_user, current_database(), pg_backend_pid()", connection);
        await using var reader = await cmd.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal("bob", reader.GetString(0));
        Assert.Equal("bob", reader.GetString(1));
        Assert.Equal("ml_research", reader.GetString(2));
        Assert.Equal(connection.ProcessID, Convert.ToInt32(reader.GetValue(3)));
    }

    [Fact]
    public async Task Wrong_password_is_28P01()
    {
        await using var connection = new NpgsqlConnection(gateway.ConnectionString("alice", password: "not-alice"));
        var e = await Assert.ThrowsAsync<PostgresException>(() => connection.OpenAsync());
        Assert.Equal("28P01", e.SqlState);
    }

    [Fact]
    public async Task Unknown_user_is_indistinguishable_from_wrong_password()
    {
        await using var connection = new NpgsqlConnection(gateway.ConnectionString("mallory"));
        var e = await Assert.ThrowsAsync<PostgresException>(() => connection.OpenAsync());
        Assert.Equal("28P01", e.SqlState);
    }

    [Fact]
    public async Task Prepared_statement_is_reused_with_new_parameters()
    {
        await using var connection = await gateway.OpenAsync();
        await using var cmd = new NpgsqlCommand("SELECT region, sales_qty_sld FROM marketing.mkt_sls_table WHERE item_id = @id", connection);
        var id = cmd.Parameters.Add("id", NpgsqlDbType.Bigint);
        await cmd.PrepareAsync();
        Assert.True(cmd.IsPrepared);
        for (long i = 1; i <= 8; i++)
        {
            id.Value = i;
            await using var reader = await cmd.ExecuteReaderAsync();
            Assert.True(await reader.ReadAsync());
            Assert.Equal(new[] { "Europe", "North America", "Asia", "South America" }[(int)(i % 4)], reader.GetString(0));
            Assert.Equal(1 + (int)(i * 7919 % 50), reader.GetInt32(1));
        }
    }

    [Fact]
    public async Task Auto_prepared_statements_survive_many_executions()
    {
        await using var connection = new NpgsqlConnection(gateway.ConnectionString(extra: "Max Auto Prepare=5;Auto Prepare Min Usages=2"));
        await connection.OpenAsync();
        for (var i = 0; i < 10; i++)
        {
            await using var cmd = new NpgsqlCommand("SELECT @x * 2", connection);
            cmd.Parameters.AddWithValue("x", i);
            Assert.Equal(i * 2, Convert.ToInt32(await cmd.ExecuteScalarAsync()));
        }
    }

    [Fact]
    public async Task Batch_with_failing_middle_command_reports_error_and_skips_the_rest()
    {
        await using var connection = await gateway.OpenAsync();
        await using var batch = new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand("SELECT 1"),
                new NpgsqlBatchCommand("SELECT no_such_column FROM marketing.campaigns"),
                new NpgsqlBatchCommand("SELECT 3"),
            },
        };
        await using (var reader = await batch.ExecuteReaderAsync())
        {
            Assert.True(await reader.ReadAsync());
            Assert.Equal(1, reader.GetInt32(0));
            var e = await Assert.ThrowsAsync<PostgresException>(() => reader.NextResultAsync());
            Assert.Equal("42703", e.SqlState);
            Assert.Contains("no_such_column", e.MessageText);
        }
        // The connection is usable afterwards.
        await using var cmd = new NpgsqlCommand("SELECT 42", connection);
        Assert.Equal(42, await cmd.ExecuteScalarAsync());
    }

    [Fact]
    public async Task Batch_returns_every_result_set()
    {
        await using var connection = await gateway.OpenAsync();
        await using var batch = new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand("SELECT count(*) FROM marketing.campaigns"),
                new NpgsqlBatchCommand("SELECT 'two'"),
                new NpgsqlBatchCommand("SELECT * FROM range(3)"),
            },
        };
        await using var reader = await batch.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal(50L, reader.GetInt64(0));
        Assert.True(await reader.NextResultAsync());
        Assert.True(await reader.ReadAsync());
        Assert.Equal("two", reader.GetString(0));
        Assert.True(await reader.NextResultAsync());
        var rows = 0;
        while (await reader.ReadAsync()) rows++;
        Assert.Equal(3, rows);
        Assert.False(await reader.NextResultAsync());
    }

    [Fact]
    public async Task Cancel_interrupts_a_running_query_with_57014_and_the_connection_survives()
    {
        await using var connection = await gateway.OpenAsync();
        await using var cmd = new NpgsqlCommand("SELECT count(*) FROM range(100000000000) a(x) WHERE x % 7 = 3", connection);
        var run = cmd.ExecuteScalarAsync();
        await Task.Delay(800);
        var watch = Stopwatch.StartNew();
        cmd.Cancel();
        var e = await Assert.ThrowsAnyAsync<Exception>(() => run);
        var pg = e as PostgresException ?? e.InnerException as PostgresException;
        Assert.NotNull(pg);
        Assert.Equal("57014", pg.SqlState);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10));
        await using var after = new NpgsqlCommand("SELECT 7", connection);
        Assert.Equal(7, await after.ExecuteScalarAsync());
    }

    [Fact]
    public async Task Statement_timeout_cancels_with_57014()
    {
        await using var connection = await gateway.OpenAsync();
        await using (var set = new NpgsqlCommand("SET statement_timeout = 300", connection)) await set.ExecuteNonQueryAsync();
        await using var cmd = new NpgsqlCommand("SELECT count(*) FROM range(100000000000) a(x) WHERE x % 7 = 3", connection);
        var e = await Assert.ThrowsAsync<PostgresException>(() => cmd.ExecuteScalarAsync());
        Assert.Equal("57014", e.SqlState);
        Assert.Contains("statement timeout", e.MessageText);
        await using (var reset = new NpgsqlCommand("RESET statement_timeout", connection)) await reset.ExecuteNonQueryAsync();
        await using var after = new NpgsqlCommand("SELECT 1", connection);
        Assert.Equal(1, await after.ExecuteScalarAsync());
    }

    [Fact]
    public async Task Pooled_connection_reset_keeps_prepared_statements_and_resets_settings()
    {
        var builder = new NpgsqlDataSourceBuilder(gateway.ConnectionString(extra: "Pooling=true;Maximum Pool Size=1"));
        await using var dataSource = builder.Build();
        int pid;
        await using (var first = await dataSource.OpenConnectionAsync())
        {
            pid = first.ProcessID;
            await using var set = new NpgsqlCommand("SET application_name = 'changed'", first);
            await set.ExecuteNonQueryAsync();
            await using var prepared = new NpgsqlCommand("SELECT @a + 1", first);
            prepared.Parameters.AddWithValue("a", 1);
            await prepared.PrepareAsync();
            Assert.Equal(2, await prepared.ExecuteScalarAsync());
        }
        await using (var second = await dataSource.OpenConnectionAsync())
        {
            Assert.Equal(pid, second.ProcessID); // same physical connection, reset by Npgsql
            await using var show = new NpgsqlCommand("SHOW application_name", second);
            Assert.NotEqual("changed", await show.ExecuteScalarAsync());
            await using var prepared = new NpgsqlCommand("SELECT @a + 1", second);
            prepared.Parameters.AddWithValue("a", 41);
            await prepared.PrepareAsync();
            Assert.Equal(42, await prepared.ExecuteScalarAsync());
        }
    }

    [Fact]
    public async Task Pool_reset_without_prepared_statements_uses_discard_all()
    {
        var builder = new NpgsqlDataSourceBuilder(gateway.ConnectionString(extra: "Pooling=true;Maximum Pool Size=1"));
        await using var dataSource = builder.Build();
        for (var i = 0; i < 3; i++)
        {
            await using var connection = await dataSource.OpenConnectionAsync();
            await using var cmd = new NpgsqlCommand("SELECT count(*) FROM marketing.campaigns", connection);
            Assert.Equal(50L, await cmd.ExecuteScalarAsync());
        }
    }

    [Fact]
    public async Task Tls_connection_with_scram_channel_binding()
    {
        var cs = gateway.ConnectionString().Replace("SSL Mode=Disable", "SSL Mode=Require;Trust Server Certificate=true;Channel Binding=Require");
        await using var connection = new NpgsqlConnection(cs);
        await connection.OpenAsync();
        // SSL Mode=Require fails without TLS and Channel Binding=Require fails unless SCRAM-SHA-256-PLUS was used.
        Assert.Equal(System.Data.ConnectionState.Open, connection.State);
        await using var cmd = new NpgsqlCommand("SELECT count(*) FROM marketing.mkt_sls_table WHERE region = @r", connection);
        cmd.Parameters.AddWithValue("r", "Europe");
        Assert.Equal(250000L, await cmd.ExecuteScalarAsync());
    }

    [Fact]
    public async Task Large_result_streams_completely()
    {
        await using var connection = await gateway.OpenAsync();
        await using var cmd = new NpgsqlCommand("SELECT item_id, region, amount FROM marketing.mkt_sls_table", connection);
        await using var reader = await cmd.ExecuteReaderAsync();
        long rows = 0, sum = 0;
        while (await reader.ReadAsync())
        {
            rows++;
            sum += reader.GetInt64(0);
        }
        Assert.Equal(1_000_000L, rows);
        Assert.Equal(1_000_000L * 1_000_001 / 2, sum);
    }

    [Fact]
    public async Task Error_inside_transaction_gives_25P02_until_rollback()
    {
        await using var connection = await gateway.OpenAsync();
        await using var tx = await connection.BeginTransactionAsync();
        await using (var bad = new NpgsqlCommand("SELECT * FROM no_such_table", connection, tx))
            Assert.Equal("42P01", (await Assert.ThrowsAsync<PostgresException>(() => bad.ExecuteNonQueryAsync())).SqlState);
        await using (var next = new NpgsqlCommand("SELECT 1", connection, tx))
            Assert.Equal("25P02", (await Assert.ThrowsAsync<PostgresException>(() => next.ExecuteScalarAsync())).SqlState);
        await tx.RollbackAsync();
        await using var after = new NpgsqlCommand("SELECT 2", connection);
        Assert.Equal(2, await after.ExecuteScalarAsync());
    }

    [Fact]
    public async Task Nested_begin_and_stray_commit_give_warnings_like_postgres()
    {
        await using var connection = await gateway.OpenAsync();
        var notices = new List<PostgresNotice>();
        connection.Notice += (_, e) => notices.Add(e.Notice);
        await using (var cmd = new NpgsqlCommand("BEGIN; BEGIN READ ONLY; COMMIT; COMMIT", connection)) await cmd.ExecuteNonQueryAsync();
        Assert.Equal(["25001", "25P01"], notices.Select(n => n.SqlState));
        Assert.All(notices, n => Assert.Equal("WARNING", n.InvariantSeverity));
    }

    [Fact]
    public async Task Set_show_reset_are_answered_by_the_gateway()
    {
        await using var connection = await gateway.OpenAsync();
        await using (var set = new NpgsqlCommand("SET application_name TO 'reporting'", connection)) await set.ExecuteNonQueryAsync();
        Assert.Equal("reporting", connection.PostgresParameters["application_name"]); // ParameterStatus after SET
        await using (var show = new NpgsqlCommand("SHOW application_name", connection)) Assert.Equal("reporting", await show.ExecuteScalarAsync());
        await using (var reset = new NpgsqlCommand("RESET application_name", connection)) await reset.ExecuteNonQueryAsync();
        await using (var show = new NpgsqlCommand("SHOW application_name", connection)) Assert.Equal("", await show.ExecuteScalarAsync());
        await using (var chars = new NpgsqlCommand("SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL SERIALIZABLE", connection)) await chars.ExecuteNonQueryAsync();
        await using (var tz = new NpgsqlCommand("SET TIME ZONE 'UTC'", connection)) await tz.ExecuteNonQueryAsync();
        await using (var show = new NpgsqlCommand("SHOW TimeZone", connection)) Assert.Equal("UTC", await show.ExecuteScalarAsync());
    }

    [Theory]
    [InlineData("SET no_such_setting = 1", "42704")]
    [InlineData("SET client_encoding = 'LATIN1'", "0A000")]
    [InlineData("DEALLOCATE nothing_here", "26000")]
    [InlineData("CLOSE no_cursor", "34000")]
    [InlineData("SELECT * FROM missing_table", "42P01")]
    [InlineData("SELEC 1", "42601")]
    [InlineData("SELECT 1/0::INTEGER + 'x'::INTEGER", "22P02")]
    [InlineData("ATTACH '/tmp/x.db' AS x", "42501")]
    [InlineData("INSTALL httpfs", "42501")]
    [InlineData("CREATE TABLE t(i INTEGER)", "42501")]
    [InlineData("PRAGMA enable_profiling", "42501")]
    [InlineData("COPY (SELECT 1) TO '/tmp/out.csv'", "42501")]
    [InlineData("SELECT * FROM read_csv('/etc/passwd')", "42501")]
    [InlineData("DROP TABLE surely_missing", "42501")]
    [InlineData("EXPLAIN SELECT 1", "42501")]
    [InlineData("CALL pragma_version()", "42501")]
    [InlineData("UPDATE t SET x = 1", "42501")]
    public async Task Bad_statements_get_the_right_sqlstate_and_the_connection_survives(string sql, string sqlState)
    {
        await using var connection = await gateway.OpenAsync();
        await using (var cmd = new NpgsqlCommand(sql, connection))
        {
            var e = await Assert.ThrowsAsync<PostgresException>(() => cmd.ExecuteNonQueryAsync());
            Assert.Equal(sqlState, e.SqlState);
        }
        await using var after = new NpgsqlCommand("SELECT 'still here'", connection);
        Assert.Equal("still here", await after.ExecuteScalarAsync());
    }

    [Fact]
    public async Task Engine_configuration_cannot_be_read_or_changed_through_select()
    {
        await using var connection = await gateway.OpenAsync();
        foreach (var sql in new[] { "SELECT current_setting('enable_external_access')", "SELECT set_config('threads', '64', false)" })
        {
            await using var cmd = new NpgsqlCommand(sql, connection);
            var e = await Assert.ThrowsAsync<PostgresException>(() => cmd.ExecuteScalarAsync());
            Assert.Equal("42501", e.SqlState);
        }
    }
}
