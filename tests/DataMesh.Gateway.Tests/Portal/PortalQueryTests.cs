using System.Net;
using System.Text;
using DataMesh.Gateway.Tests.Infrastructure;
using DuckDB.NET.Data;

namespace DataMesh.Gateway.Tests.Portal;

/// <summary>
/// The query editor over HTTP: the grid's first 1,000 rows and the full count, several statements, errors with their
/// position, and downloads (CSV and Parquet) that carry exactly the governed result the wire gives the same user.
/// </summary>
[Collection(PortalCollection.Name)]
public sealed class PortalQueryTests(PortalFixture fixture)
{
    private static async Task<string> RunAsync(PortalClient client, string project, string sql, string handler = "")
    {
        var response = await client.PostFromPageAsync("/query", "/query" + (handler.Length > 0 ? "?handler=" + handler : ""), ("project", project), ("sql", sql));
        return WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_grid_keeps_the_first_1000_rows_and_stops_the_query_there_audited_so()
    {
        using var bob = new PortalClient(fixture.Portal);
        await bob.SignInAsync("bob");
        var marker = "g" + Guid.NewGuid().ToString("N")[..8];
        var sql = $"SELECT item_id AS {marker}, region FROM mkt_sls_table ORDER BY item_id";
        var html = await RunAsync(bob, "ml_research", sql + "; SELECT 'never runs' AS after");
        Assert.Contains("The first 1,000 rows; the result has more", html);
        Assert.DoesNotContain("id=\"error\"", html); // stopping was the portal's own doing
        Assert.DoesNotContain("<th scope=\"col\">after</th>", html); // the second statement did not run
        var grid = html[html.IndexOf("id=\"result\"", StringComparison.Ordinal)..];
        Assert.Equal(1000, grid.Split("<tr>").Length - 2); // header row + 1,000 rows
        var wire = await fixture.SqlAsync("bob", "ml_research", sql + " LIMIT 1000");
        Assert.Contains($"<td>{wire[^1][0]}</td>", grid);
        await Task.Delay(1000);
        var audit = await fixture.SqlAsync("bob", "postgres", "SHOW AUDIT USER bob LIMIT 20");
        var record = Assert.Single(audit, r => r[11] == sql + "; SELECT 'never runs' AS after" || r[11] == sql);
        Assert.Equal(new string?[] { "error", "57014", "canceling statement: the portal shows the first 1,000 rows of a result" }, new[] { record[8], record[9], record[10] });
    }

    [Fact]
    public async Task Several_statements_and_errors_show_as_psql_would()
    {
        using var bob = new PortalClient(fixture.Portal);
        await bob.SignInAsync("bob");
        var html = await RunAsync(bob, "ml_research", "SELECT 1 AS one; SHOW statement_timeout; SEARCH CATALOG 'campaign'");
        Assert.Contains("id=\"result-0\"", html);
        Assert.Contains("id=\"result-1\"", html);
        Assert.Contains("<th scope=\"col\">statement_timeout</th>", html);
        Assert.Contains("<th scope=\"col\">score</th>", html); // the admin command's result, the last one

        var refused = await RunAsync(bob, "ml_research", "SELECT customer_email FROM mkt_sls_table");
        var wire = await Assert.ThrowsAsync<Npgsql.PostgresException>(() => fixture.SqlAsync("bob", "ml_research", "SELECT customer_email FROM mkt_sls_table"));
        Assert.Contains($"<span class=\"sqlstate\">{wire.SqlState}</span>", refused);
        Assert.Contains($"<span class=\"message\">{wire.MessageText}</span>", refused);

        var syntax = await RunAsync(bob, "ml_research", "SELECT region FROM mkt_sls_table WHERE");
        Assert.Contains("<span class=\"sqlstate\">42601</span>", syntax);
        Assert.Contains("<pre class=\"position\"", syntax);
    }

    [Fact]
    public async Task The_csv_download_is_the_wires_result_quoted_as_postgresql_quotes_csv()
    {
        using var bob = new PortalClient(fixture.Portal);
        await bob.SignInAsync("bob");
        const string sql = "SELECT * FROM (VALUES (1, 'a,b', NULL), (2, 'say \"hi\"', ''), (3, 'two' || chr(10) || 'lines', 'x')) t(id, s, n) ORDER BY id";
        var response = await bob.PostFromPageAsync("/query", "/query?handler=Csv", ("project", "ml_research"), ("sql", sql));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv; charset=utf-8", response.Content.Headers.ContentType!.ToString());
        Assert.StartsWith("attachment; filename=\"ml_research-", response.Content.Headers.ContentDisposition!.ToString());
        var csv = await response.Content.ReadAsStringAsync();
        Assert.Equal("id,s,n\r\n1,\"a,b\",\r\n2,\"say \"\"hi\"\"\",\"\"\r\n3,\"two\nlines\",x\r\n", csv);

        // A governed result: the same rows, masks and filter as the wire gives bob.
        const string governed = "SELECT item_id, region, sale_date, amount FROM mkt_sls_table ORDER BY item_id LIMIT 500";
        var download = await (await bob.PostFromPageAsync("/query", "/query?handler=Csv", ("project", "ml_research"), ("sql", governed))).Content.ReadAsStringAsync();
        var wire = await fixture.SqlAsync("bob", "ml_research", "SELECT item_id::text, region, sale_date::text, amount::text FROM mkt_sls_table ORDER BY item_id LIMIT 500");
        Assert.Equal(["item_id,region,sale_date,amount", .. wire.Select(r => string.Join(",", r))], download.TrimEnd('\n', '\r').Split("\r\n"));
    }

    [Fact]
    public async Task The_parquet_download_has_the_results_types_and_values()
    {
        using var bob = new PortalClient(fixture.Portal);
        await bob.SignInAsync("bob");
        const string sql = "SELECT item_id, sales_qty_sld, region, sale_date, amount FROM mkt_sls_table ORDER BY item_id LIMIT 100";
        var response = await bob.PostFromPageAsync("/query", "/query?handler=Parquet", ("project", "ml_research"), ("sql", sql));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/vnd.apache.parquet", response.Content.Headers.ContentType!.ToString());
        var file = Path.Combine(Path.GetTempPath(), "datamesh-tests", Guid.NewGuid().ToString("N") + ".parquet");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        await File.WriteAllBytesAsync(file, await response.Content.ReadAsByteArrayAsync());
        try
        {
            using var duck = new DuckDBConnection("DataSource=:memory:");
            duck.Open();
            using var describe = duck.CreateCommand();
            describe.CommandText = $"DESCRIBE SELECT * FROM read_parquet('{file}')";
            var types = new List<string>();
            using (var reader = describe.ExecuteReader())
                while (reader.Read()) types.Add($"{reader.GetString(0)} {reader.GetString(1)}");
            // The wire's types (int8, int4, text, date, numeric(12,2)) as Parquet's.
            var wireTypes = await fixture.SqlAsync("bob", "ml_research",
                "SELECT data_type, numeric_precision, numeric_scale FROM information_schema.columns WHERE table_name = 'mkt_sls_table' ORDER BY ordinal_position");
            Assert.Equal(["bigint||0", "integer||0", "text||", "date||", "numeric|12|2"], wireTypes.Select(r => $"{r[0]}|{(r[0] == "numeric" ? r[1] : "")}|{r[2]}"));
            Assert.Equal(["item_id BIGINT", "sales_qty_sld INTEGER", "region VARCHAR", "sale_date DATE", "amount DECIMAL(12,2)"], types);
            using var rows = duck.CreateCommand();
            rows.CommandText = $"SELECT item_id::VARCHAR, sales_qty_sld::VARCHAR, region, sale_date::VARCHAR, amount::VARCHAR FROM read_parquet('{file}')";
            var values = new List<string>();
            using (var reader = rows.ExecuteReader())
                while (reader.Read()) values.Add(string.Join("|", Enumerable.Range(0, 5).Select(i => reader.IsDBNull(i) ? "" : reader.GetString(i))));
            var wire = await fixture.SqlAsync("bob", "ml_research",
                "SELECT item_id::text, sales_qty_sld::text, region, sale_date::text, amount::text FROM mkt_sls_table ORDER BY item_id LIMIT 100");
            Assert.Equal(wire.Select(r => string.Join("|", r.Select(v => v ?? ""))), values);
        }
        finally
        {
            File.Delete(file);
        }
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(fixture.DataDirectory, "tmp", "portal-exports"), "*.parquet")); // staged files are gone
    }

    [Fact]
    public async Task Downloads_hold_one_statement_and_say_why_when_they_cannot()
    {
        using var bob = new PortalClient(fixture.Portal);
        await bob.SignInAsync("bob");
        foreach (var handler in new[] { "Csv", "Parquet" })
        {
            var two = await bob.PostFromPageAsync("/query", $"/query?handler={handler}", ("project", "ml_research"), ("sql", "SELECT 1; SELECT 2"));
            Assert.Equal((HttpStatusCode)422, two.StatusCode);
            Assert.Contains("a download holds the result of exactly one statement", await two.Content.ReadAsStringAsync());
            var refused = await bob.PostFromPageAsync("/query", $"/query?handler={handler}", ("project", "ml_research"), ("sql", "SELECT customer_email FROM mkt_sls_table"));
            Assert.Equal((HttpStatusCode)422, refused.StatusCode);
            Assert.StartsWith("text/html", refused.Content.Headers.ContentType!.ToString());
        }
    }
}
