using DataMesh.Gateway.Tests.Infrastructure;

namespace DataMesh.Gateway.Tests.Clients;

/// <summary>SQLAlchemy 1.4 and pandas (Debian packages), and the example notebook run headless with nbconvert, as docs/CLIENTS.md shows.</summary>
[Collection(GatewayCollection.Name)]
public sealed class DataFrameTests(GatewayFixture gateway)
{
    [Fact]
    public async Task Pandas_read_sql_returns_int64_float64_datetime64_and_object_columns()
    {
        var f = (await ClientProcess.PythonAsync(gateway, "pandas_probe.py")).Json();
        Assert.Equal(100, f.GetProperty("rows").GetInt32()); // item_id 4, 8, …, 400
        var dtypes = f.GetProperty("dtypes");
        Assert.Equal("int64", dtypes.GetProperty("item_id").GetString());
        Assert.Equal("int64", dtypes.GetProperty("sales_qty_sld").GetString());
        Assert.Equal("object", dtypes.GetProperty("region").GetString());
        Assert.Equal("datetime64[ns]", dtypes.GetProperty("sold_at").GetString());
        Assert.Equal("float64", dtypes.GetProperty("amount").GetString());
        Assert.Equal(["4", "27", "Europe", "2023-05-05 00:00:00", "189.16"], PsycopgTests.Strings(f.GetProperty("first")));
        Assert.Equal(["Europe"], PsycopgTests.Strings(f.GetProperty("regions")));
        Assert.Equal(await ScalarAsync("SELECT round(sum(amount), 2)::DOUBLE FROM mkt_sls_table WHERE item_id <= 400"),
            f.GetProperty("amount_sum").GetDouble(), 2);
    }

    [Fact]
    public async Task SqlAlchemy_engine_reflects_the_granted_schema_and_reads_frames()
    {
        var f = (await ClientProcess.PythonAsync(gateway, "sqlalchemy_probe.py")).Json();
        Assert.StartsWith("1.4", f.GetProperty("sqlalchemy").GetString());
        Assert.Equal(100, f.GetProperty("scalar").GetInt64());
        Assert.Equal(100, f.GetProperty("rows").GetInt32());
        var dtypes = f.GetProperty("dtypes");
        Assert.Equal("int64", dtypes.GetProperty("item_id").GetString());
        Assert.Equal("object", dtypes.GetProperty("region").GetString());
        Assert.Equal("datetime64[ns]", dtypes.GetProperty("sold_at").GetString());
        Assert.Equal("float64", dtypes.GetProperty("amount").GetString());
        Assert.Contains("marketing", PsycopgTests.Strings(f.GetProperty("schemas")));
        Assert.DoesNotContain("finance", PsycopgTests.Strings(f.GetProperty("schemas")));
        Assert.Equal(["mkt_sls_table"], PsycopgTests.Strings(f.GetProperty("tables")));
        var columns = f.GetProperty("columns").EnumerateArray().Select(c => c[0].GetString() + ":" + c[1].GetString()).ToList();
        Assert.Equal(["item_id:BIGINT", "sales_qty_sld:INTEGER", "region:TEXT", "sale_date:DATE", "amount:NUMERIC(12, 2)"], columns);
    }

    [Fact]
    public async Task The_example_notebook_runs_headless_searches_queries_and_plots()
    {
        // Exactly the command docs/CLIENTS.md shows (its doc test fails when they differ), in a directory of its own
        // holding examples/consumer-notebook.ipynb, as the repository root does; it writes run.ipynb there.
        var directory = Path.Combine(Path.GetTempPath(), "datamesh-tests", "notebook-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(directory, "examples"));
        try
        {
            File.Copy(Path.Combine(ClientProcess.RepositoryRoot, "examples", "consumer-notebook.ipynb"), Path.Combine(directory, "examples", "consumer-notebook.ipynb"));
            var run = await ClientProcess.RunAsync("bash", [Path.Combine(ClientProcess.Root, "python", "run-notebook.sh")], ClientProcess.Environment(gateway), directory, TimeSpan.FromMinutes(4));
            Assert.True(run.ExitCode == 0, run.StdErr);
            await AssertNotebookRanAsync((await ClientProcess.PythonAsync(gateway, "notebook_outputs.py", Path.Combine(directory, "run.ipynb"))).Json());
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private async Task AssertNotebookRanAsync(System.Text.Json.JsonElement f)
    {
        var cells = f.GetProperty("cells").EnumerateArray().ToList();
        Assert.All(cells, c => Assert.Empty(c.GetProperty("errors").EnumerateArray()));
        Assert.Contains("connected to ml_research as bob", cells[0].GetProperty("text").GetString());
        var search = cells[1].GetProperty("text").GetString()!;
        Assert.Contains("mkt_sls_table", search);
        Assert.DoesNotContain("draft_forecast", search); // unpublished assets are not found
        var query = cells[2].GetProperty("text").GetString()!;
        Assert.Contains("24 months; regions: Europe", query);
        var total = await ScalarAsync("SELECT sum(amount)::DOUBLE FROM mkt_sls_table");
        Assert.Contains($"total revenue: {total.ToString("0.0###", System.Globalization.CultureInfo.InvariantCulture)}", query);
        Assert.Equal(1, cells[3].GetProperty("images").GetInt32()); // the chart, rendered as a PNG
        Assert.Contains("plotted 24 points", cells[3].GetProperty("text").GetString());
    }

    private async Task<double> ScalarAsync(string sql)
    {
        await using var connection = new Npgsql.NpgsqlConnection(gateway.ConnectionString("bob", database: "ml_research"));
        await connection.OpenAsync();
        await using var cmd = new Npgsql.NpgsqlCommand(sql, connection);
        return Convert.ToDouble(await cmd.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
