using DataMesh.Gateway.Tests.Infrastructure;

namespace DataMesh.Gateway.Tests.Clients;

/// <summary>psqlODBC (Debian odbc-postgresql + unixodbc) driven from pyodbc, signed in as bob in ml_research.</summary>
[Collection(GatewayCollection.Name)]
public sealed class OdbcTests(GatewayFixture gateway)
{
    [Fact]
    public async Task Connects_queries_and_binds_parameters()
    {
        var f = (await ClientProcess.PythonAsync(gateway, "pyodbc_probe.py", "query")).Json();
        Assert.Equal("PostgreSQL", f.GetProperty("dbms").GetString());
        Assert.Equal(250_000, f.GetProperty("count").GetInt64());
        Assert.Equal("Europe", f.GetProperty("max_region").GetString());
        Assert.Equal(["12", "29", "Europe", "2024-01-08", "567.48"], PsycopgTests.Strings(f.GetProperty("param_row")));
        Assert.Equal(["int", "int", "str", "date", "Decimal"], PsycopgTests.Strings(f.GetProperty("param_types")));
        Assert.Equal(["42", "abx"], PsycopgTests.Strings(f.GetProperty("param_expr")));
        Assert.Equal("42703", f.GetProperty("hidden").GetString());
        Assert.Equal(1, f.GetProperty("after_error").GetInt32());
    }

    [Fact]
    public async Task Cursor_mode_declares_fetches_in_blocks_and_recovers_through_its_savepoints()
    {
        // UseDeclareFetch=1: psqlODBC reads through DECLARE … CURSOR WITH HOLD / FETCH 100 and wraps each statement
        // in SAVEPOINT _EXEC_SVP_…, rolling back to it when the statement fails.
        var f = (await ClientProcess.PythonAsync(gateway, "pyodbc_probe.py", "declarefetch")).Json();
        Assert.Equal(10_000, f.GetProperty("rows").GetInt32());
        Assert.Equal(4L * 10000 * 10001 / 2, f.GetProperty("sum").GetInt64());
        Assert.Equal(["40000", "600.00"], PsycopgTests.Strings(f.GetProperty("last")));
        Assert.Equal("42703", f.GetProperty("error").GetString());
        Assert.Equal(100, f.GetProperty("after_error").GetInt64());
    }

    [Fact]
    public async Task SQLTables_and_SQLColumns_list_only_the_granted_asset_and_columns()
    {
        var f = (await ClientProcess.PythonAsync(gateway, "pyodbc_probe.py", "catalog")).Json();
        var tables = PsycopgTests.Strings(f.GetProperty("tables"));
        Assert.Contains("marketing.mkt_sls_table:TABLE", tables);
        Assert.DoesNotContain(tables, t => t.Contains("draft_forecast", StringComparison.Ordinal));
        var columns = f.GetProperty("columns").EnumerateArray().Select(c => c[0].GetString()).ToList();
        Assert.Equal(["item_id", "sales_qty_sld", "region", "sale_date", "amount"], columns);
        var amount = f.GetProperty("columns").EnumerateArray().Single(c => c[0].GetString() == "amount");
        Assert.Equal("numeric", amount[1].GetString());
        Assert.Equal(12, amount[2].GetInt32());
        Assert.Equal(2, amount[3].GetInt32());
        // psqlODBC 13 leaves REMARKS empty: its SQLColumns query reads no pg_description (ClientCorpus/psqlodbc-13.02.sql),
        // against PostgreSQL itself too. The description reaches JDBC's REMARKS and psql's \d+ instead.
        Assert.Equal("", amount[4].GetString());
    }
}
