using DataMesh.Gateway.Tests.Admin;
using DataMesh.Gateway.Tests.Infrastructure;
using Npgsql;

namespace DataMesh.Gateway.Tests.Integration;

/// <summary>
/// The gateway's own session settings through the calls clients use besides SET/SHOW: set_config (pg_dump, ORMs,
/// pools), current_setting with a computed name (psql's \dconfig), pg_settings, and PostgreSQL's transaction
/// semantics for settings (ROLLBACK and ROLLBACK TO SAVEPOINT undo a SET, SET LOCAL ends with its block). None of
/// them reaches DuckDB's settings.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class SessionSettingsTests(GatewayFixture gateway)
{
    private static async Task<object?> ScalarAsync(NpgsqlConnection connection, string sql)
    {
        await using var cmd = new NpgsqlCommand(sql, connection);
        var value = await cmd.ExecuteScalarAsync();
        return value is DBNull ? null : value;
    }

    private static async Task<List<object?[]>> RowsAsync(NpgsqlConnection connection, string sql) => (await connection.QueryAsync(sql)).Rows;

    [Fact]
    public async Task Set_config_sets_a_session_setting_and_returns_it()
    {
        await using var connection = await gateway.OpenAsync();
        await using (var cmd = new NpgsqlCommand("SELECT pg_catalog.set_config('search_path', 'marketing', false)", connection))
        await using (var reader = await cmd.ExecuteReaderAsync())
        {
            Assert.Equal("set_config", reader.GetName(0));
            Assert.True(await reader.ReadAsync());
            Assert.Equal("marketing", reader.GetString(0));
        }
        Assert.Equal("marketing", await ScalarAsync(connection, "SHOW search_path"));
        Assert.Equal("marketing", await ScalarAsync(connection, "SELECT current_setting('search_path')"));

        // A reportable parameter changed through set_config is reported like after SET.
        Assert.Equal("tool-a", await ScalarAsync(connection, "SELECT set_config('application_name', 'tool-a', false) AS app"));
        Assert.Equal("tool-a", connection.PostgresParameters["application_name"]);
        // Custom placeholders, as in PostgreSQL.
        Assert.Equal("42", await ScalarAsync(connection, "SELECT set_config('myapp.tenant', '42', false);"));
        Assert.Equal("42", await ScalarAsync(connection, "SHOW myapp.tenant"));
    }

    [Fact]
    public async Task Set_config_refuses_what_set_refuses_and_keeps_the_connection()
    {
        await using var connection = await gateway.OpenAsync();
        var unknown = await Assert.ThrowsAsync<PostgresException>(() => ScalarAsync(connection, "SELECT set_config('no_such_setting', 'x', false)"));
        Assert.Equal("42704", unknown.SqlState);
        var engine = await Assert.ThrowsAsync<PostgresException>(() => ScalarAsync(connection, "SELECT set_config('memory_limit', '100GB', false)"));
        Assert.Equal("42501", engine.SqlState);
        var readOnly = await Assert.ThrowsAsync<PostgresException>(() => ScalarAsync(connection, "SELECT set_config('server_version', '1', false)"));
        Assert.Equal("55P02", readOnly.SqlState); // PostgreSQL's cant_change_runtime_param
        var local = await Assert.ThrowsAsync<PostgresException>(() => ScalarAsync(connection, "SELECT set_config('threads', '64', true)"));
        Assert.Equal("42501", local.SqlState);
        Assert.Equal(1, Convert.ToInt32(await ScalarAsync(connection, "SELECT 1")));
    }

    [Theory]
    [InlineData("SELECT set_config('search_path', 'marketing', false), 1")]
    [InlineData("SELECT x FROM (SELECT set_config('search_path', 'marketing', false) AS x)")]
    [InlineData("SELECT set_config('search' || '_path', 'marketing', false)")]
    [InlineData("SELECT set_config(name, 'marketing', false) FROM (VALUES ('search_path')) v(name)")]
    [InlineData("SELECT 1 WHERE set_config('threads', '64', false) IS NOT NULL")]
    public async Task Set_config_anywhere_but_on_its_own_is_refused(string sql)
    {
        await using var connection = await gateway.OpenAsync();
        var e = await Assert.ThrowsAsync<PostgresException>(() => ScalarAsync(connection, sql));
        Assert.Equal("42501", e.SqlState);
        Assert.Contains("set_config", e.MessageText + e.Detail);
        Assert.Equal("\"$user\", public", await ScalarAsync(connection, "SHOW search_path"));
    }

    [Fact]
    public async Task Set_config_with_parameters_is_refused_not_run()
    {
        await using var connection = await gateway.OpenAsync();
        await using var cmd = new NpgsqlCommand("SELECT set_config(@n, @v, false)", connection);
        cmd.Parameters.AddWithValue("n", "search_path");
        cmd.Parameters.AddWithValue("v", "marketing");
        var e = await Assert.ThrowsAsync<PostgresException>(() => cmd.ExecuteScalarAsync());
        Assert.Equal("42501", e.SqlState);
        Assert.Equal("\"$user\", public", await ScalarAsync(connection, "SHOW search_path"));
    }

    [Fact]
    public async Task Rollback_undoes_settings_and_set_local_ends_with_its_block()
    {
        await using var connection = await gateway.OpenAsync();
        // ROLLBACK restores what SET and set_config changed in the block, and reports it.
        await using (var tx = await connection.BeginTransactionAsync())
        {
            await ScalarAsync(connection, "SET application_name = 'in-rolled-back-block'");
            await ScalarAsync(connection, "SELECT set_config('search_path', 'marketing', false)");
            Assert.Equal("in-rolled-back-block", connection.PostgresParameters["application_name"]);
            await tx.RollbackAsync();
        }
        Assert.Equal("\"$user\", public", await ScalarAsync(connection, "SHOW search_path"));
        Assert.Equal("", await ScalarAsync(connection, "SHOW application_name"));
        Assert.Equal("", connection.PostgresParameters["application_name"]);

        // COMMIT keeps session-level changes and drops SET LOCAL / set_config(…, true) ones.
        await using (var tx = await connection.BeginTransactionAsync())
        {
            await ScalarAsync(connection, "SET search_path = marketing");
            await ScalarAsync(connection, "SET LOCAL statement_timeout = '5s'");
            Assert.Equal("tool-local", await ScalarAsync(connection, "SELECT set_config('application_name', 'tool-local', true)"));
            Assert.Equal("5s", await ScalarAsync(connection, "SHOW statement_timeout"));
            Assert.Equal("tool-local", await ScalarAsync(connection, "SELECT current_setting('application_name')"));
            await tx.CommitAsync();
        }
        Assert.Equal("marketing", await ScalarAsync(connection, "SHOW search_path"));
        Assert.Equal("0", await ScalarAsync(connection, "SHOW statement_timeout"));
        Assert.Equal("", await ScalarAsync(connection, "SELECT current_setting('application_name')"));
        Assert.Equal("", connection.PostgresParameters["application_name"]);
    }

    [Fact]
    public async Task Rollback_to_savepoint_undoes_the_settings_changed_after_it_and_release_keeps_them()
    {
        await using var connection = await gateway.OpenAsync();
        await using (var tx = await connection.BeginTransactionAsync())
        {
            await ScalarAsync(connection, "SET search_path = marketing");
            await tx.SaveAsync("outer");
            await ScalarAsync(connection, "SET search_path = public");
            await ScalarAsync(connection, "SET LOCAL statement_timeout = '5s'");
            await ScalarAsync(connection, "SET application_name = 'after-the-savepoint'");
            Assert.Equal("after-the-savepoint", connection.PostgresParameters["application_name"]);
            await tx.RollbackAsync("outer");
            Assert.Equal("marketing", await ScalarAsync(connection, "SHOW search_path"));
            Assert.Equal("0", await ScalarAsync(connection, "SHOW statement_timeout"));
            Assert.Equal("", await ScalarAsync(connection, "SELECT current_setting('application_name')"));
            Assert.Equal("", connection.PostgresParameters["application_name"]);

            // RELEASE keeps what was set after the savepoint; the block's COMMIT then keeps the session-level value.
            await tx.SaveAsync("inner");
            await ScalarAsync(connection, "SET application_name = 'released'");
            await tx.ReleaseAsync("inner");
            Assert.Equal("released", await ScalarAsync(connection, "SHOW application_name"));
            await tx.CommitAsync();
        }
        Assert.Equal("marketing", await ScalarAsync(connection, "SHOW search_path"));
        Assert.Equal("released", await ScalarAsync(connection, "SHOW application_name"));

        // A savepoint taken before any change: rolling back to it restores the block's starting values, and the
        // ROLLBACK of the block afterwards still restores them.
        await using (var tx = await connection.BeginTransactionAsync())
        {
            await tx.SaveAsync("first");
            await ScalarAsync(connection, "SET search_path = public");
            await tx.RollbackAsync("first");
            Assert.Equal("marketing", await ScalarAsync(connection, "SHOW search_path"));
            await ScalarAsync(connection, "SET search_path = public");
            await tx.RollbackAsync();
        }
        Assert.Equal("marketing", await ScalarAsync(connection, "SHOW search_path"));
    }

    [Fact]
    public async Task Set_local_outside_a_block_warns_and_changes_nothing()
    {
        await using var connection = await gateway.OpenAsync();
        var notices = new List<PostgresNotice>();
        connection.Notice += (_, e) => notices.Add(e.Notice);
        await ScalarAsync(connection, "SET LOCAL search_path = marketing");
        Assert.Contains(notices, n => n.SqlState == "25P01" && n.MessageText.Contains("SET LOCAL", StringComparison.Ordinal));
        Assert.Equal("\"$user\", public", await ScalarAsync(connection, "SHOW search_path"));
        // set_config(…, true) outside a block answers the value but keeps nothing (it would end with the statement).
        Assert.Equal("marketing", await ScalarAsync(connection, "SELECT set_config('search_path', 'marketing', true)"));
        Assert.Equal("\"$user\", public", await ScalarAsync(connection, "SHOW search_path"));
    }

    [Fact]
    public async Task Current_setting_with_a_computed_name_answers_gateway_settings_only()
    {
        await using var connection = await gateway.OpenAsync();
        await ScalarAsync(connection, "SET application_name = 'computed'");
        var rows = await RowsAsync(connection,
            "SELECT name, current_setting(name) FROM (VALUES ('application_name'), ('threads'), ('memory_limit'), ('allowed_directories'), ('temp_directory')) v(name) ORDER BY name");
        var values = rows.ToDictionary(r => (string)r[0]!, r => r[1]);
        Assert.Equal("computed", values["application_name"]);
        // DuckDB's settings are never answered, whatever the name is computed from.
        foreach (var engineSetting in new[] { "threads", "memory_limit", "allowed_directories", "temp_directory" }) Assert.Null(values[engineSetting]);
        Assert.Equal("computed", await ScalarAsync(connection, "SELECT current_setting('application' || '_name')"));
    }

    [Fact]
    public async Task Pg_settings_lists_the_session_settings_with_their_defaults()
    {
        await using var connection = await gateway.OpenAsync();
        await ScalarAsync(connection, "SET search_path = marketing");
        await ScalarAsync(connection, "SET extra_float_digits = 3");
        // psql 15's \dconfig, as it sends it.
        var changed = await RowsAsync(connection,
            "SELECT s.name AS \"Parameter\", pg_catalog.current_setting(s.name) AS \"Value\" FROM pg_catalog.pg_settings s " +
            "WHERE s.source <> 'default' AND s.setting IS DISTINCT FROM s.boot_val ORDER BY 1");
        var byName = changed.ToDictionary(r => (string)r[0]!, r => (string?)r[1]);
        Assert.Equal("marketing", byName["search_path"]);
        Assert.Equal("3", byName["extra_float_digits"]);
        Assert.DoesNotContain("server_version", byName.Keys);
        var all = (await RowsAsync(connection, "SELECT name, setting, boot_val, source FROM pg_catalog.pg_settings")).ToDictionary(r => (string)r[0]!);
        Assert.Equal("\"$user\", public", all["search_path"][2]);
        Assert.Equal("default", all["server_version"][3]);
        Assert.Contains("max_index_keys", all.Keys);
        Assert.DoesNotContain(all.Keys, n => n is "threads" or "memory_limit" or "temp_directory" or "allowed_directories");
    }
}
