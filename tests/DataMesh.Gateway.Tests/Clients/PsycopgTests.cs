using System.Text.Json;
using DataMesh.Gateway.Tests.Infrastructure;

namespace DataMesh.Gateway.Tests.Clients;

/// <summary>psycopg2 and psycopg 3 (Debian packages) through tests/clients/python, signed in as bob in ml_research.</summary>
[Collection(GatewayCollection.Name)]
public sealed class PsycopgTests(GatewayFixture gateway)
{
    /// <summary>The European rows are the multiples of 4: the sum of item_id up to 4n.</summary>
    private static long EuropeanSum(long n) => 4 * n * (n + 1) / 2;

    [Fact]
    public async Task Psycopg2_begins_copies_to_stdout_and_streams_named_cursors()
    {
        var f = (await ClientProcess.PythonAsync(gateway, "psycopg2_probe.py")).Json();
        Assert.False(f.GetProperty("autocommit").GetBoolean());
        Assert.True(f.GetProperty("in_transaction").GetBoolean()); // psycopg2 sent BEGIN before the first query
        Assert.Equal(250_000, f.GetProperty("count").GetInt64());
        Assert.Equal("Europe", f.GetProperty("min_region").GetString());
        Assert.Equal("Europe", f.GetProperty("max_region").GetString());
        Assert.Equal(["8", "378.32", "2023-09-06"], Strings(f.GetProperty("param_row")));

        Assert.Equal("item_id,region,amount\n4,Europe,189.16\n8,Europe,378.32\n12,Europe,567.48\n16,Europe,756.64\n20,Europe,945.80\n",
            f.GetProperty("copy_csv").GetString());

        // DECLARE "big" CURSOR … then FETCH FORWARD 1000 until empty: 20,000 European rows up to 80,000.
        Assert.Equal(20_000, f.GetProperty("named_rows").GetInt64());
        Assert.Equal(EuropeanSum(20_000), f.GetProperty("named_sum").GetInt64());
        Assert.Equal([4L, 80_000L], f.GetProperty("named_first_last").EnumerateArray().Select(e => e.GetInt64()));
        // A plain query between two FETCHes of an open cursor does not disturb it.
        Assert.Equal([4L, 8, 12, 42, 16, 20, 24], f.GetProperty("interleaved").EnumerateArray().Select(e => e.GetInt64()));
        Assert.Equal("42703", f.GetProperty("hidden_cursor").GetString());
        Assert.Equal([4L, 8, 12, 16, 20], f.GetProperty("held").EnumerateArray().Select(e => e.GetInt64()));
        Assert.Equal(1, f.GetProperty("after").GetInt32());
    }

    [Fact]
    public async Task Psycopg3_prepares_reads_binary_sends_untyped_strings_and_nests_savepoints()
    {
        var f = (await ClientProcess.PythonAsync(gateway, "psycopg3_probe.py")).Json();
        var prepared = f.GetProperty("prepared_results").EnumerateArray().Select(r => (r[0].GetInt64(), r[1].GetInt64())).ToList();
        Assert.Equal(Enumerable.Range(0, 7).Select(k => (250L + k, 4L)), prepared); // item_id <= 1000 + 4k
        Assert.Equal(1, f.GetProperty("prepared_count").GetInt32()); // psycopg prepared it on the server

        Assert.True(f.GetProperty("binary_equals_text").GetBoolean());
        Assert.Equal(["4", "27", "'Europe'", "datetime.date(2023, 5, 5)", "Decimal('189.16')",
            "datetime.datetime(2024, 3, 1, 12, 34, 56, 789000, tzinfo=datetime.timezone.utc)", "True"], Strings(f.GetProperty("binary_first")));
        Assert.Equal(["int", "int", "str", "date", "Decimal", "datetime", "bool"], Strings(f.GetProperty("binary_types")));

        Assert.Equal(await EuropeanRowsSinceAsync("2024-01-01"), f.GetProperty("untyped_str").GetInt64());
        Assert.Equal("hi!", f.GetProperty("untyped_expr")[0].GetString());
        Assert.Equal(42, f.GetProperty("untyped_expr")[1].GetInt32());

        // The inner transaction() failed and rolled back to its savepoint; the outer block went on.
        Assert.Equal("42703", f.GetProperty("inner_error").GetString());
        Assert.Equal(25, f.GetProperty("outer_rows").GetInt64());
        Assert.Equal(5, f.GetProperty("nested_ok").GetInt32());
        Assert.Equal("IDLE", f.GetProperty("status_after").GetString());

        Assert.Equal(["4", "Europe", "8", "Europe", "12", "Europe"],
            f.GetProperty("copy_rows").EnumerateArray().SelectMany(r => r.EnumerateArray()).Select(e => e.GetString()!));

        Assert.Equal(5000, f.GetProperty("server_cursor_rows").GetInt64());
        Assert.Equal("20000", f.GetProperty("server_cursor_last")[0].ToString());
        Assert.Equal("800.00", f.GetProperty("server_cursor_last")[1].GetString());
    }

    /// <summary>The reference count, asked through Npgsql as bob.</summary>
    private async Task<long> EuropeanRowsSinceAsync(string date)
    {
        await using var connection = new Npgsql.NpgsqlConnection(gateway.ConnectionString("bob", database: "ml_research"));
        await connection.OpenAsync();
        await using var cmd = new Npgsql.NpgsqlCommand($"SELECT count(*) FROM mkt_sls_table WHERE sale_date >= DATE '{date}'", connection);
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    internal static string[] Strings(JsonElement array) => array.EnumerateArray().Select(e => e.ToString()).ToArray();
}
