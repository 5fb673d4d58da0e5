using DataMesh.Gateway.Tests.Infrastructure;
using Npgsql;
using NpgsqlTypes;

namespace DataMesh.Gateway.Tests.Integration;

/// <summary>
/// The settings that change what a client sees change it as in PostgreSQL: IntervalStyle (interval text in four
/// styles), extra_float_digits (rounded floats at 0 and below), bytea_output (escape) and client_min_messages (which
/// notices arrive). Expected texts are PostgreSQL 15.18's answers to the same values.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class SettingsOutputTests(GatewayFixture gateway)
{
    private async Task<NpgsqlConnection> OpenAsync()
    {
        var connection = new NpgsqlConnection(gateway.ConnectionString("bob", database: "ml_research"));
        await connection.OpenAsync();
        return connection;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>The first row of a query with its values sent and read as the server wrote them in text format.</summary>
    private static async Task<string[]> TextRowAsync(NpgsqlConnection connection, string sql, params NpgsqlParameter[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection) { AllResultTypesAreUnknown = true };
        command.Parameters.AddRange(parameters);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        return Enumerable.Range(0, reader.FieldCount).Select(i => reader.GetString(i)).ToArray();
    }

    [Theory]
    [InlineData("postgres", "1 year 2 mons 3 days 04:05:06.7", "-1 days", "00:00:00", "-1 years -2 mons +3 days -04:05:06")]
    [InlineData("iso_8601", "P1Y2M3DT4H5M6.7S", "P-1D", "PT0S", "P-1Y-2M3DT-4H-5M-6S")]
    [InlineData("sql_standard", "+1-2 +3 +4:05:06.7", "-1 0:00:00", "0", "-1-2 +3 -4:05:06")]
    [InlineData("postgres_verbose", "@ 1 year 2 mons 3 days 4 hours 5 mins 6.7 secs", "@ 1 day ago", "@ 0", "@ 1 year 2 mons -3 days 4 hours 5 mins 6 secs ago")]
    public async Task IntervalStyle_changes_how_intervals_are_written(string style, string a, string b, string c, string d)
    {
        await using var connection = await OpenAsync();
        await ExecuteAsync(connection, $"SET intervalstyle = {style}");
        // Sent in binary (months, days, microseconds exactly), written back as text in the session's style.
        NpgsqlInterval[] values = [new(14, 3, 14_706_700_000), new(0, -1, 0), new(0, 0, 0), new(-14, 3, -14_706_000_000)];
        var row = await TextRowAsync(connection, "SELECT $1, $2, $3, $4, ARRAY[$1, $2]",
            values.Select(v => new NpgsqlParameter { Value = v, NpgsqlDbType = NpgsqlDbType.Interval }).ToArray());
        Assert.Equal([a, b, c, d], row[..4]);
        static string Element(string text) => text.Contains(' ') ? $"\"{text}\"" : text; // quoted when they hold spaces
        Assert.Equal($"{{{Element(a)},{Element(b)}}}", row[4]); // array elements too
    }

    [Fact]
    public async Task Extra_float_digits_at_zero_or_below_rounds_floats_as_PostgreSQL_does()
    {
        await using var connection = await OpenAsync();
        var sql = "SELECT $1::float8 + $2::float8, $3::float8, $4::float8, $5::real";
        NpgsqlParameter[] P() => [new() { Value = 0.1 }, new() { Value = 0.2 }, new() { Value = 1.0 / 3 }, new() { Value = 123456789.123456789 }, new() { Value = 1f / 3 }];
        // The default (1): the shortest exact form, PostgreSQL 12+.
        Assert.Equal(["0.30000000000000004", "0.3333333333333333", "123456789.12345679", "0.33333334"], await TextRowAsync(connection, sql, P()));
        await ExecuteAsync(connection, "SET extra_float_digits = 0");
        Assert.Equal(["0.3", "0.333333333333333", "123456789.123457", "0.333333"], await TextRowAsync(connection, sql, P()));
        await ExecuteAsync(connection, "SET extra_float_digits = -3");
        Assert.Equal(["0.3", "0.333333333333", "123456789.123", "0.333"], await TextRowAsync(connection, sql, P()));
    }

    [Fact]
    public async Task Bytea_output_escape_writes_octal_escapes()
    {
        await using var connection = await OpenAsync();
        var value = new NpgsqlParameter { Value = new byte[] { 0, 1, 0x7f, 0x80, (byte)'\\', (byte)'\'', (byte)'a' } };
        Assert.Equal(["\\x00017f805c2761"], await TextRowAsync(connection, "SELECT $1::bytea", value.Clone()));
        await ExecuteAsync(connection, "SET bytea_output = escape");
        Assert.Equal(["\\000\\001\\177\\200\\\\'a"], await TextRowAsync(connection, "SELECT $1::bytea", value.Clone()));
    }

    [Fact]
    public async Task Client_min_messages_decides_which_notices_arrive()
    {
        await using var connection = await OpenAsync();
        var notices = new List<string>();
        connection.Notice += (_, e) => notices.Add($"{e.Notice.Severity} {e.Notice.SqlState} {e.Notice.MessageText}");
        await ExecuteAsync(connection, "BEGIN");
        await ExecuteAsync(connection, "BEGIN");
        await ExecuteAsync(connection, "COMMIT");
        Assert.Equal(["WARNING 25001 there is already a transaction in progress"], notices);
        await ExecuteAsync(connection, "SET client_min_messages = error");
        await ExecuteAsync(connection, "BEGIN");
        await ExecuteAsync(connection, "BEGIN");
        await ExecuteAsync(connection, "COMMIT");
        await ExecuteAsync(connection, "COMMIT");
        Assert.Single(notices); // the warnings of this round (nested BEGIN, stray COMMIT) were not sent
    }
}
