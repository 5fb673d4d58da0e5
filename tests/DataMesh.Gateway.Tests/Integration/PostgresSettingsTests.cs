using DataMesh.Gateway.Tests.Infrastructure;
using Npgsql;

namespace DataMesh.Gateway.Tests.Integration;

/// <summary>
/// SET and SHOW answer as PostgreSQL 15 does, for the statements ORMs and tools send at connect time (ActiveRecord,
/// Sequel, Sequelize, pgAdmin, DBeaver, Metabase) and around them. Every expected value, SQLSTATE, message, detail and
/// hint here is what PostgreSQL 15.18 answered to the same statement as a non-superuser (psql -v VERBOSITY=verbose);
/// the few places the gateway answers differently on purpose say so.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class PostgresSettingsTests(GatewayFixture gateway)
{
    private async Task<NpgsqlConnection> OpenAsync()
    {
        var connection = new NpgsqlConnection(gateway.ConnectionString("bob", database: "ml_research", extra: "Include Error Detail=true"));
        await connection.OpenAsync();
        return connection;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<int> OneAsync(NpgsqlConnection connection)
    {
        await using var command = new NpgsqlCommand("SELECT 1", connection);
        return Convert.ToInt32(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    [Theory]
    [InlineData("SET client_min_messages TO 'warning'", "client_min_messages", "warning")]
    [InlineData("SET client_min_messages = 'WARNING'", "client_min_messages", "warning")]
    [InlineData("SET client_min_messages = debug", "client_min_messages", "debug2")]
    [InlineData("SET client_min_messages = info", "client_min_messages", "info")]
    [InlineData("SET intervalstyle = iso_8601", "IntervalStyle", "iso_8601")]
    [InlineData("SET IntervalStyle TO sql_standard", "IntervalStyle", "sql_standard")]
    [InlineData("SET TIME ZONE INTERVAL '+00:00' HOUR TO MINUTE", "TimeZone", "<+00>-00")]
    [InlineData("SET TIME ZONE INTERVAL '0' HOUR", "TimeZone", "<+00>-00")]
    [InlineData("SET TIME ZONE 0", "TimeZone", "<+00>-00")]
    [InlineData("SET TIME ZONE 'UTC'", "TimeZone", "UTC")]
    [InlineData("SET TIME ZONE 'utc'", "TimeZone", "UTC")]
    [InlineData("SET TIME ZONE 'zulu'", "TimeZone", "Zulu")]
    [InlineData("SET TIME ZONE 'Etc/GMT+0'", "TimeZone", "Etc/GMT+0")]
    [InlineData("SET TIME ZONE '-00:00'", "TimeZone", "-00:00")]
    [InlineData("SET TIME ZONE 'UTC0'", "TimeZone", "UTC0")]
    [InlineData("SET SESSION timezone TO 'UTC'", "TimeZone", "UTC")]
    // PostgreSQL answers LOCAL with its server's zone (Etc/UTC on the machine compared); the gateway's is UTC.
    [InlineData("SET TIME ZONE LOCAL", "TimeZone", "UTC")]
    [InlineData("SET work_mem = '64MB'", "work_mem", "64MB")]
    [InlineData("SET work_mem = 65536", "work_mem", "64MB")]
    [InlineData("SET work_mem = '1.5MB'", "work_mem", "1536kB")]
    [InlineData("SET work_mem = 1e3", "work_mem", "1000kB")]
    [InlineData("SET work_mem = ' 2048 '", "work_mem", "2MB")]
    [InlineData("SET maintenance_work_mem = '256MB'", "maintenance_work_mem", "256MB")]
    [InlineData("SET statement_timeout = '1.5s'", "statement_timeout", "1500ms")]
    [InlineData("SET statement_timeout = 5000", "statement_timeout", "5s")]
    [InlineData("SET statement_timeout = '90min'", "statement_timeout", "90min")]
    [InlineData("SET statement_timeout = '0x10'", "statement_timeout", "16ms")]
    [InlineData("SET idle_in_transaction_session_timeout = 60000", "idle_in_transaction_session_timeout", "1min")]
    [InlineData("SET tcp_keepalives_idle = 60", "tcp_keepalives_idle", "60")]
    [InlineData("SET jit = off", "jit", "off")]
    [InlineData("SET jit = 'tr'", "jit", "on")]
    [InlineData("SET jit = 'of'", "jit", "off")]
    [InlineData("SET synchronous_commit = off", "synchronous_commit", "off")]
    [InlineData("SET synchronous_commit TO local", "synchronous_commit", "local")]
    [InlineData("SET synchronous_commit = true", "synchronous_commit", "on")]
    [InlineData("SET row_security = off", "row_security", "off")]
    [InlineData("SET extra_float_digits = 3", "extra_float_digits", "3")]
    [InlineData("SET random_page_cost = 1.23456789012345", "random_page_cost", "1.23457")]
    [InlineData("SET random_page_cost = '1e1'", "random_page_cost", "10")]
    [InlineData("SET search_path = 'My Schema', public, \"X\"", "search_path", "\"My Schema\", public, \"X\"")]
    [InlineData("SET search_path = Marketing", "search_path", "marketing")]
    [InlineData("SET search_path = ''", "search_path", "\"\"")]
    [InlineData("SET application_name = Foo", "application_name", "foo")]
    [InlineData("SET application_name = 1.5", "application_name", "1.5")]
    [InlineData("SET default_transaction_isolation = 'SERIALIZABLE'", "default_transaction_isolation", "serializable")]
    [InlineData("SET bytea_output = 'ESCAPE'", "bytea_output", "escape")]
    [InlineData("SET DateStyle = 'iso, dmy'", "DateStyle", "ISO, DMY")]
    [InlineData("SET DateStyle = 'YMD'", "DateStyle", "ISO, YMD")]
    [InlineData("SET DateStyle = 'ISO'", "DateStyle", "ISO, MDY")]
    [InlineData("SET client_encoding = 'utf-8'", "client_encoding", "UTF8")]
    [InlineData("SET NAMES 'utf8'", "client_encoding", "UTF8")]
    [InlineData("SET standard_conforming_strings = on", "standard_conforming_strings", "on")]
    [InlineData("SET seed = 0.5", "seed", "unavailable")]
    [InlineData("SET role = none", "role", "none")]
    [InlineData("SET default_with_oids = false", "default_with_oids", "off")]
    [InlineData("SET foo.bar = 'x'", "foo.bar", "x")]
    [InlineData("SELECT set_config('work_mem', '8MB', false)", "work_mem", "8MB")]
    // PostgreSQL lets only superusers set lc_messages (42501); the gateway's messages are English only, so an English or
    // C locale is accepted and changes nothing (docs/CLIENTS.md).
    [InlineData("SET lc_messages = 'C'", "lc_messages", "C")]
    [InlineData("SET lc_messages = 'en_US.UTF-8'", "lc_messages", "en_US.UTF-8")]
    [InlineData("SET lc_monetary = 'C'", "lc_monetary", "C")]
    public async Task A_set_is_accepted_and_shown_as_PostgreSQL_shows_it(string set, string name, string shown)
    {
        await using var connection = await OpenAsync();
        await ExecuteAsync(connection, set);
        await using var show = new NpgsqlCommand($"SHOW {name}", connection);
        await using var reader = await show.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal(name.Contains('.') ? name : Canonical(name), reader.GetName(0));
        Assert.Equal(shown, reader.GetString(0));
    }

    private static string Canonical(string name) => name switch
    {
        "TimeZone" or "IntervalStyle" or "DateStyle" => name,
        _ => name.ToLowerInvariant(),
    };

    [Theory]
    [InlineData("SET client_min_messages = bogus", "22023", "invalid value for parameter \"client_min_messages\": \"bogus\"", null,
        "Available values: debug5, debug4, debug3, debug2, debug1, log, notice, warning, error.")]
    [InlineData("SET intervalstyle = 'bogus'", "22023", "invalid value for parameter \"intervalstyle\": \"bogus\"", null,
        "Available values: postgres, postgres_verbose, sql_standard, iso_8601.")]
    [InlineData("SET work_mem = 'lots'", "22023", "invalid value for parameter \"work_mem\": \"lots\"", null, null)]
    [InlineData("SET work_mem = '64mb'", "22023", "invalid value for parameter \"work_mem\": \"64mb\"", null,
        "Valid units for this parameter are \"B\", \"kB\", \"MB\", \"GB\", and \"TB\".")]
    [InlineData("SET statement_timeout = '5 parsecs'", "22023", "invalid value for parameter \"statement_timeout\": \"5 parsecs\"", null,
        "Valid units for this parameter are \"us\", \"ms\", \"s\", \"min\", \"h\", and \"d\".")]
    [InlineData("SET work_mem = 10", "22023", "10 kB is outside the valid range for parameter \"work_mem\" (64 .. 2147483647)", null, null)]
    [InlineData("SET statement_timeout = '-1'", "22023", "-1 ms is outside the valid range for parameter \"statement_timeout\" (0 .. 2147483647)", null, null)]
    [InlineData("SET extra_float_digits = 4", "22023", "4 is outside the valid range for parameter \"extra_float_digits\" (-15 .. 3)", null, null)]
    [InlineData("SET random_page_cost = -1", "22023", "-1 is outside the valid range for parameter \"random_page_cost\" (0 .. 1.79769e+308)", null, null)]
    [InlineData("SET cursor_tuple_fraction = 2", "22023", "2 is outside the valid range for parameter \"cursor_tuple_fraction\" (0 .. 1)", null, null)]
    [InlineData("SET jit = maybe", "22023", "parameter \"jit\" requires a Boolean value", null, null)]
    [InlineData("SET jit = 'o'", "22023", "parameter \"jit\" requires a Boolean value", null, null)]
    [InlineData("SET row_security = 'maybe'", "22023", "parameter \"row_security\" requires a Boolean value", null, null)]
    [InlineData("SET synchronous_commit = bogus", "22023", "invalid value for parameter \"synchronous_commit\": \"bogus\"", null,
        "Available values: local, remote_write, remote_apply, on, off.")]
    [InlineData("SET application_name = a, b", "22023", "SET application_name takes only one argument", null, null)]
    [InlineData("SET DateStyle = 'bogus'", "22023", "invalid value for parameter \"DateStyle\": \"bogus\"", "Unrecognized key word: \"bogus\".", null)]
    [InlineData("SET DateStyle = 'ISO, SQL'", "22023", "invalid value for parameter \"DateStyle\": \"ISO, SQL\"", "Conflicting \"datestyle\" specifications.", null)]
    [InlineData("SET timezone = 'Bogus/Zone'", "22023", "invalid value for parameter \"TimeZone\": \"Bogus/Zone\"", null, null)]
    [InlineData("SET TIME ZONE 'Z'", "22023", "invalid value for parameter \"TimeZone\": \"Z\"", null, null)]
    [InlineData("SET timezone = 'local'", "22023", "invalid value for parameter \"TimeZone\": \"local\"", null, null)]
    [InlineData("SET TIME ZONE INTERVAL '1 day'", "22023", "invalid value for parameter \"TimeZone\": \"INTERVAL '1 day'\"", "Cannot specify days in time zone interval.", null)]
    [InlineData("SET TIME ZONE INTERVAL '1 mon'", "22023", "invalid value for parameter \"TimeZone\": \"INTERVAL '1 mon'\"", "Cannot specify months in time zone interval.", null)]
    [InlineData("SET max_connections = 5", "55P02", "parameter \"max_connections\" cannot be changed without restarting the server", null, null)]
    [InlineData("SET server_version = '1'", "55P02", "parameter \"server_version\" cannot be changed", null, null)]
    [InlineData("SET autovacuum = off", "55P02", "parameter \"autovacuum\" cannot be changed now", null, null)]
    [InlineData("SET log_connections = on", "55P02", "parameter \"log_connections\" cannot be set after connection start", null, null)]
    [InlineData("RESET max_connections", "55P02", "parameter \"max_connections\" cannot be changed without restarting the server", null, null)]
    [InlineData("SET log_min_duration_statement = 5", "42501", "permission denied to set parameter \"log_min_duration_statement\"", null, null)]
    [InlineData("SET session_replication_role = replica", "42501", "permission denied to set parameter \"session_replication_role\"", null, null)]
    [InlineData("SET nonexistent = 1", "42704", "unrecognized configuration parameter \"nonexistent\"", null, null)]
    [InlineData("SHOW nonexistent", "42704", "unrecognized configuration parameter \"nonexistent\"", null, null)]
    [InlineData("SHOW data_directory", "42501", "must be superuser or have privileges of pg_read_all_settings to examine \"data_directory\"", null, null)]
    [InlineData("SET default_with_oids = true", "0A000", "tables declared WITH OIDS are not supported", null, null)]
    [InlineData("SELECT set_config('jit', 'maybe', false)", "22023", "parameter \"jit\" requires a Boolean value", null, null)]
    public async Task A_refused_set_gets_PostgreSQLs_error_and_the_connection_goes_on(string sql, string state, string message, string? detail, string? hint)
    {
        await using var connection = await OpenAsync();
        var e = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(connection, sql));
        Assert.Equal((state, message, detail, hint), (e.SqlState, e.MessageText, e.Detail, e.Hint));
        Assert.Equal(1, await OneAsync(connection));
    }

    /// <summary>Settings whose effect the gateway cannot give are refused, never accepted and ignored.</summary>
    [Theory]
    [InlineData("SET TIME ZONE 'Europe/Berlin'")]
    [InlineData("SET TIME ZONE INTERVAL '+02:00' HOUR TO MINUTE")]
    [InlineData("SET TIME ZONE 2")]
    [InlineData("SET DateStyle = 'German'")]
    [InlineData("SET DateStyle = 'SQL, DMY'")]
    [InlineData("SET client_encoding = 'LATIN1'")]
    [InlineData("SET standard_conforming_strings = off")]
    [InlineData("SET transform_null_equals = on")]
    public async Task A_setting_the_gateway_cannot_honour_is_0A000(string sql)
    {
        await using var connection = await OpenAsync();
        var e = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(connection, sql));
        Assert.Equal("0A000", e.SqlState);
        Assert.Equal(1, await OneAsync(connection));
    }
}
