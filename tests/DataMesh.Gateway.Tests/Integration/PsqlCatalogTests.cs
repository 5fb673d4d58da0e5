using DataMesh.Gateway.Tests.Infrastructure;

namespace DataMesh.Gateway.Tests.Integration;

/// <summary>
/// psql 15's describe commands against the gateway as the demo consumer bob (project ml_research): his approved
/// subscription shows marketing.mkt_sls_table without customer_email and only European rows; marketing's other
/// assets are invisible to him. Each command runs psql's own catalog queries through the pg_catalog emulation.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class PsqlCatalogTests(GatewayFixture fixture) : IDisposable
{
    private readonly string _workDir = Directory.CreateTempSubdirectory("datamesh-psqlcat-").FullName;

    public void Dispose()
    {
        try
        {
            Directory.Delete(_workDir, recursive: true);
        }
        catch (IOException)
        {
            // best effort
        }
    }

    private async Task<Psql.Result> BobAsync(params string[] arguments)
    {
        var result = await Psql.RunAsync(fixture, ["-X", "-v", "ON_ERROR_STOP=1", .. arguments], user: "bob", database: "ml_research",
            workingDirectory: _workDir);
        Assert.True(result.ExitCode == 0, $"psql {string.Join(' ', arguments)} failed: {result.StdErr}");
        Assert.DoesNotContain("ERROR", result.StdErr, StringComparison.Ordinal);
        return result;
    }

    private static List<string[]> Rows(string unaligned) =>
        unaligned.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('|')).ToList();

    [Fact]
    public async Task BackslashL_ListsTheProjectsTheUserBelongsTo()
    {
        var result = await BobAsync("-At", "-c", "\\l");
        var names = Rows(result.StdOut).Select(r => r[0]).ToList();
        // bob's demo project and the home database; other tests may add him to projects of their own, never to these.
        Assert.Contains("ml_research", names);
        Assert.Contains("postgres", names);
        Assert.DoesNotContain("marketing", names);
        Assert.DoesNotContain("finance", names);
        Assert.All(Rows(result.StdOut), r => Assert.Equal("UTF8", r[2]));
    }

    [Fact]
    public async Task BackslashDn_ListsTheVisibleSchemas()
    {
        var result = await BobAsync("-At", "-c", "\\dn");
        var names = Rows(result.StdOut).Select(r => r[0]).ToList();
        Assert.Equal(["marketing", "public"], names);
    }

    [Theory]
    [InlineData("\\dt")]
    [InlineData("\\dt marketing.*")]
    [InlineData("\\dt+")]
    [InlineData("\\d")]
    public async Task BackslashDt_ListsExactlyTheVisibleAssets(string command)
    {
        var result = await BobAsync("-At", "-c", command);
        var rows = Rows(result.StdOut);
        var row = Assert.Single(rows);
        Assert.Equal(["marketing", "mkt_sls_table", "table"], row[..3]);
        Assert.DoesNotContain("campaigns", result.StdOut, StringComparison.Ordinal);
        Assert.DoesNotContain("draft_forecast", result.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BackslashDt_OfAHiddenAsset_FindsNothing()
    {
        var result = await Psql.RunAsync(fixture, ["-X", "-c", "\\d marketing.campaigns"], user: "bob", database: "ml_research");
        Assert.Contains("Did not find any relation named \"marketing.campaigns\"", result.StdErr, StringComparison.Ordinal);
        Assert.DoesNotContain("ERROR", result.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BackslashD_ShowsTheAllowedColumnsWithTheirTypes_NeverTheHiddenOne()
    {
        var result = await BobAsync("-A", "-c", "\\d mkt_sls_table");
        var lines = result.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("Table \"marketing.mkt_sls_table\"", lines[0]);
        Assert.Equal("Column|Type|Collation|Nullable|Default", lines[1]);
        var columns = lines.Skip(2).Where(l => l.Contains('|', StringComparison.Ordinal)).Select(l => string.Join('|', l.Split('|')[..2])).ToList();
        Assert.Equal(["item_id|bigint", "sales_qty_sld|integer", "region|text", "sale_date|date", "amount|numeric(12,2)"], columns);
        Assert.DoesNotContain("customer_email", result.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BackslashDPlus_ShowsColumnDescriptions()
    {
        var result = await BobAsync("-A", "-c", "\\d+ marketing.mkt_sls_table");
        var rows = Rows(result.StdOut).Where(r => r.Length == 9).ToDictionary(r => r[0], r => r[8]);
        Assert.Equal("Description", rows["Column"]);
        Assert.Equal("Sales region", rows["region"]);
        Assert.Equal("Sale amount in EUR", rows["amount"]);
        Assert.DoesNotContain("customer_email", rows.Keys);
        Assert.DoesNotContain("customer_email", result.StdOut, StringComparison.Ordinal);

        var tables = await BobAsync("-At", "-c", "\\dt+ mkt_sls_table");
        Assert.EndsWith("Daily sales transactions by region, with quantity sold and amount", tables.StdOut.Trim(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExpandedOutput_Conninfo_AndCopyWithCountColumn()
    {
        var expanded = await BobAsync("-c", "\\x", "-c", "select count(*) from mkt_sls_table where region = 'Europe'");
        Assert.Contains("-[ RECORD 1 ]", expanded.StdOut, StringComparison.Ordinal);
        Assert.Matches(@"count \| \d+", expanded.StdOut);

        var conninfo = await BobAsync("-c", "\\conninfo");
        Assert.Contains("You are connected to database \"ml_research\" as user \"bob\"", conninfo.StdOut, StringComparison.Ordinal);

        var file = Path.Combine(_workDir, "regions.csv");
        await BobAsync("-c", $"\\copy (select region, count(*) from mkt_sls_table group by region) to '{file}' csv header");
        var lines = File.ReadAllLines(file);
        Assert.Equal("region,count", lines[0]);
        Assert.Equal(["Europe"], lines.Skip(1).Select(l => l.Split(',')[0]));
    }

    /// <summary>The rest of the \d family: objects the gateway never has (conversions, foreign servers, text search,
    /// large objects, subscriptions, default privileges …) are listed as none instead of failing.</summary>
    [Theory]
    [InlineData("\\dv")]
    [InlineData("\\dm")]
    [InlineData("\\di")]
    [InlineData("\\ds")]
    [InlineData("\\dE")]
    [InlineData("\\df")]
    [InlineData("\\dT")]
    [InlineData("\\du")]
    [InlineData("\\dx")]
    [InlineData("\\dn+")]
    [InlineData("\\d+ mkt_sls_table")]
    [InlineData("\\dc")]
    [InlineData("\\dd")]
    [InlineData("\\des+")]
    [InlineData("\\det+")]
    [InlineData("\\deu+")]
    [InlineData("\\dew+")]
    [InlineData("\\dF")]
    [InlineData("\\dFd+")]
    [InlineData("\\dFp")]
    [InlineData("\\dFt+")]
    [InlineData("\\dl")]
    [InlineData("\\lo_list")]
    [InlineData("\\dL+")]
    [InlineData("\\dO+")]
    [InlineData("\\dRs+")]
    [InlineData("\\dRp")]
    [InlineData("\\dX")]
    [InlineData("\\ddp")]
    [InlineData("\\dA+")]
    [InlineData("\\dAc")]
    [InlineData("\\dAf")]
    [InlineData("\\dAo")]
    [InlineData("\\dAp")]
    [InlineData("\\dconfig+")]
    [InlineData("\\drds")]
    [InlineData("\\dD+")]
    [InlineData("\\dC+")]
    [InlineData("\\do+")]
    [InlineData("\\dy+")]
    [InlineData("\\dP+")]
    [InlineData("\\dg+")]
    [InlineData("\\dp")]
    public async Task OtherDescribeCommands_RunWithoutError(string command) => await BobAsync("-c", command);

    [Fact]
    public async Task BackslashDb_ListsTheBuiltInTablespaces_WithoutLocationOrSize()
    {
        var result = await BobAsync("-A", "-t", "-c", "\\db+");
        var rows = Rows(result.StdOut);
        Assert.Equal(["pg_default", "pg_global"], rows.Select(r => r[0]));
        Assert.All(rows, r => Assert.Equal("", r[2]));
        Assert.All(rows, r => Assert.Equal("", r[5]));
    }

    [Fact]
    public async Task BackslashDconfig_ListsTheSettingsThisSessionChanged()
    {
        var result = await BobAsync("-A", "-t", "-c", "SET search_path = marketing", "-c", "\\dconfig", "-c", "\\dconfig server_*");
        var rows = Rows(result.StdOut);
        Assert.Contains(rows, r => r is ["search_path", "marketing"]);
        Assert.Contains(rows, r => r is ["server_version", _]);
        Assert.DoesNotContain(rows, r => r[0] is "threads" or "memory_limit" or "temp_directory");
    }
}
