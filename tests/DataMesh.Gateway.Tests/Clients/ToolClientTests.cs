using DataMesh.Gateway.Tests.Infrastructure;

namespace DataMesh.Gateway.Tests.Clients;

/// <summary>
/// pgcli and pg_dump (Debian pgcli, postgresql-client-15) against the gateway, signed in as bob in ml_research.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class ToolClientTests(GatewayFixture gateway)
{
    [Fact]
    public async Task Pgcli_loads_its_completions_shows_a_function_describes_a_table_and_reports_the_error()
    {
        var f = (await ClientProcess.PythonAsync(gateway, "pgcli_probe.py")).Json();
        Assert.Equal("15.18", f.GetProperty("server_version").GetString());
        Assert.Equal(["information_schema", "marketing", "pg_catalog", "pg_toast", "public"], PsycopgTests.Strings(f.GetProperty("schemata")));
        Assert.Equal(["marketing mkt_sls_table"], AsyncpgTests.Pairs(f.GetProperty("tables")));
        Assert.Equal(["marketing mkt_sls_table item_id 20", "marketing mkt_sls_table sales_qty_sld 23", "marketing mkt_sls_table region 25",
            "marketing mkt_sls_table sale_date 1082", "marketing mkt_sls_table amount 1700"], AsyncpgTests.Pairs(f.GetProperty("columns")));
        // \sf: 'pg_catalog.int4in' bound as $1 and cast to regproc, then pg_get_functiondef, as PostgreSQL 15 prints it.
        Assert.Equal("CREATE OR REPLACE FUNCTION pg_catalog.int4in(cstring)\n RETURNS integer\n LANGUAGE internal\n IMMUTABLE PARALLEL SAFE STRICT\n"
            + "AS $function$int4in$function$\n", f.GetProperty("sf").GetString());
        Assert.Equal(["item_id bigint", "sales_qty_sld integer", "region text", "sale_date date", "amount numeric(12,2)"],
            AsyncpgTests.Pairs(f.GetProperty("describe")));
        Assert.Equal(["42", "9007199254740993", "1234567.125", "1.5", "héllo wörld", "True", "2024-02-29", "2024-02-29 13:45:10.123456"],
            PsycopgTests.Strings(f.GetProperty("literals").GetProperty("row")));
        RubyClientTests.AssertRowsAndError(f);
    }

    [Fact]
    public async Task Pg_dump_schema_only_writes_the_consumer_projects_visible_schema()
    {
        var environment = new Dictionary<string, string> { ["PGPASSWORD"] = "bob", ["PGCONNECT_TIMEOUT"] = "10" };
        var result = await ClientProcess.RunAsync("pg_dump",
            ["--schema-only", "-h", "127.0.0.1", "-p", gateway.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-U", "bob", "ml_research"],
            environment);
        Assert.True(result.ExitCode == 0, result.StdErr);
        var dump = result.StdOut.Replace("\r", "");
        Assert.Contains("CREATE SCHEMA marketing;", dump);
        Assert.Contains("CREATE TABLE marketing.mkt_sls_table (\n    item_id bigint,\n    sales_qty_sld integer,\n    region text,\n"
            + "    sale_date date,\n    amount numeric(12,2)\n);", dump);
        Assert.Contains("COMMENT ON COLUMN marketing.mkt_sls_table.amount IS 'Sale amount in EUR';", dump);
        Assert.DoesNotContain("customer_email", dump); // the column bob's subscription hides
        Assert.DoesNotContain("campaigns", dump); // an asset bob has no subscription to
    }
}
