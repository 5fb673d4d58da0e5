using DataMesh.Gateway.Tests.Infrastructure;

namespace DataMesh.Gateway.Tests.Clients;

/// <summary>
/// pgjdbc (Debian libpostgresql-jdbc-java) through tests/clients/java/JdbcProbe.java, compiled once per run with
/// javac. The probe prints key=value facts; every assertion compares them with values known from the demo data.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class JdbcTests(GatewayFixture gateway)
{
    private const string Jar = "/usr/share/java/postgresql.jar";
    private static readonly Lazy<Task<string>> Compiled = new(CompileAsync);

    private static async Task<string> CompileAsync()
    {
        var output = Directory.CreateTempSubdirectory("datamesh-jdbc-").FullName;
        var result = await ClientProcess.RunAsync("javac", ["-cp", Jar, "-d", output, Path.Combine(ClientProcess.Root, "java", "JdbcProbe.java")]);
        Assert.True(result.ExitCode == 0, "javac failed: " + result.StdErr);
        return output;
    }

    private async Task<ILookup<string, string>> RunAsync(string section)
    {
        var classes = await Compiled.Value;
        var result = await ClientProcess.RunAsync("java", ["-cp", $"{Jar}:{classes}", "JdbcProbe",
            $"jdbc:postgresql://127.0.0.1:{gateway.Port}/ml_research", "bob", "bob", section]);
        Assert.True(result.ExitCode == 0, $"JdbcProbe {section} exited {result.ExitCode}\n{result.StdOut}\n{result.StdErr}");
        return result.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split('=', 2)).Where(p => p.Length == 2).ToLookup(p => p[0], p => p[1]);
    }

    [Fact]
    public async Task Connects_is_valid_and_describes_results()
    {
        var facts = await RunAsync("connect");
        Assert.Equal("true", facts["valid"].Single());
        Assert.Equal("250000", facts["count"].Single());
        Assert.Equal("Europe", facts["max_region"].Single());
        Assert.Equal("2", facts["rsmd.count"].Single());
        Assert.Equal("n:-5:int8", facts["rsmd.1"].Single());     // java.sql.Types.BIGINT
        Assert.Equal("r:12:text", facts["rsmd.2"].Single());     // VARCHAR
        Assert.Equal("item_id:-5:int8:19:0:java.lang.Long", facts["rsmd.col.1"].Single());
        Assert.Equal("sales_qty_sld:4:int4:10:0:java.lang.Integer", facts["rsmd.col.2"].Single());
        Assert.Equal("sale_date:91:date:13:0:java.sql.Date", facts["rsmd.col.4"].Single());
        Assert.Equal("amount:2:numeric:12:2:java.math.BigDecimal", facts["rsmd.col.5"].Single()); // DECIMAL(12,2)
    }

    [Fact]
    public async Task A_prepared_statement_past_prepareThreshold_switches_to_server_prepare_and_binary_with_identical_values()
    {
        var facts = await RunAsync("prepared");
        Assert.Equal("5", facts["threshold"].Single());
        Assert.Equal("false", facts["server_prepared.0"].Single());
        Assert.Equal("true", facts["server_prepared.9"].Single());
        // Before the threshold every column arrives as text; after it pgjdbc asks for binary: int4, numeric, date,
        // timestamptz, uuid and int8 (it keeps bool and text in text).
        Assert.Equal("00000000", facts["formats.0"].Single());
        Assert.Equal("11110011", facts["formats.9"].Single());
        for (var k = 0; k < 10; k++)
        {
            var expected = $"{42 + k}|12345.67|2024-02-29|2024-03-01T12:34:56.789Z|{(k % 2 == 0 ? "true" : "false")}|héllo ✓ {k}|6f1c1a9e-3c5b-4d0e-9a7f-2b8e4c6d1f20|250";
            Assert.Equal(expected, facts["row." + k].Single());
        }
        // The binary result of the last execution equals the same values read in text mode.
        Assert.Equal(facts["text.9"].Single(), facts["row.9"].Single());
        // Table columns (int8, int4, text, date, numeric(12,2)) read through the binary path equal the text path.
        var binary = facts["table.binary"].Single();
        Assert.Equal(facts["table.text"].Single(), binary);
        Assert.StartsWith("4,27,Europe,2023-05-05,189.16;8,3,Europe,2023-09-06,378.32;", binary);
        Assert.Equal(14, binary.Count(ch => ch == ';')); // item_id 4, 8, …, 56: the European rows only
    }

    [Fact]
    public async Task FetchSize_with_autocommit_off_streams_every_row_in_order_through_suspended_portals()
    {
        var facts = await RunAsync("fetch");
        // European rows are the multiples of 4: 12,000 of them up to 48,000, summing to 4 · (12000 · 12001 / 2).
        Assert.Equal("12000", facts["rows"].Single());
        Assert.Equal((4L * 12000 * 12001 / 2).ToString(System.Globalization.CultureInfo.InvariantCulture), facts["sum"].Single());
        Assert.Equal("true", facts["ordered"].Single());
        // 120 pages of 100 rows: Execute(limit=100) each time, PortalSuspended after all but the last.
        Assert.Contains("100", facts["limits"].Single());
        Assert.Equal("119", facts["suspended"].Single());
        Assert.Equal("7", facts["after"].Single());
    }

    [Fact]
    public async Task An_error_in_a_transaction_then_rollback_leaves_the_connection_usable()
    {
        var facts = await RunAsync("errors");
        Assert.Equal("42703", facts["first_error"].Single());
        Assert.Equal("25P02", facts["in_failed"].Single());
        Assert.Equal("25", facts["after_rollback"].Single());
        Assert.Equal("42703", facts["hidden"].Single()); // customer_email is excluded from bob's grant
        Assert.Equal("true", facts["valid_after"].Single());
    }

    [Fact]
    public async Task DatabaseMetaData_lists_only_what_the_grants_show()
    {
        var facts = await RunAsync("metadata");
        Assert.Equal(["ml_research"], facts["catalog"]);
        Assert.Contains("marketing", facts["schema"]);
        Assert.DoesNotContain("finance", facts["schema"]);
        var tables = facts["table"].ToList();
        Assert.Contains(tables, t => t.StartsWith("marketing.mkt_sls_table:TABLE:Daily sales transactions", StringComparison.Ordinal));
        Assert.DoesNotContain(tables, t => t.Contains("draft_forecast", StringComparison.Ordinal) || t.Contains("campaigns", StringComparison.Ordinal));
        var columns = facts["column"].ToList();
        Assert.Equal(5, columns.Count);
        Assert.DoesNotContain(columns, c => c.StartsWith("customer_email", StringComparison.Ordinal));
        Assert.Contains("item_id:-5:int8:19:0:null", columns);
        Assert.Contains("amount:2:numeric:12:2:Sale amount in EUR", columns);
        Assert.Contains("region:12:text:2147483647:0:Sales region", columns);
        Assert.Equal("0", facts["primary_keys"].Single());
        Assert.Equal("true", facts["type_info.has_int8"].Single());
        Assert.Equal("true", facts["type_info.has_numeric"].Single());
    }
}
