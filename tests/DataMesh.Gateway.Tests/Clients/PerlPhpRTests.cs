using DataMesh.Gateway.Tests.Infrastructure;

namespace DataMesh.Gateway.Tests.Clients;

/// <summary>
/// Perl DBD::Pg, PHP PDO_pgsql and R RPostgreSQL (Debian libdbd-pg-perl, php-pgsql, r-cran-rpostgresql) through
/// tests/clients/{perl,php,r}, signed in as bob in ml_research: connect, metadata, parameters, 100,000 rows, an error.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class PerlPhpRTests(GatewayFixture gateway)
{
    [Fact]
    public async Task Dbd_pg_reads_column_and_statistics_info_binds_every_common_type_and_streams()
    {
        var f = (await ClientProcess.ProbeAsync(gateway, "perl", "perl", "dbd_pg_probe.pl")).Json();
        Assert.Equal(150018, f.GetProperty("server_version").GetInt32());
        Assert.Equal(["item_id bigint", "sales_qty_sld integer", "region text", "sale_date date", "amount numeric"],
            AsyncpgTests.Pairs(f.GetProperty("columns")));
        // statistics_info asks pg_index_column_has_property; a Parquet asset has no index, so only the table's own row.
        Assert.Equal(["mkt_sls_table table "], AsyncpgTests.Pairs(f.GetProperty("statistics")));
        var p = f.GetProperty("params");
        Assert.Equal(42, p.GetProperty("i").GetInt32());
        Assert.Equal(9007199254740993, p.GetProperty("b").GetInt64());
        Assert.Equal("1234567.125", p.GetProperty("n").GetString());
        Assert.Equal(1.5, p.GetProperty("f").GetDouble());
        Assert.Equal("héllo wörld", p.GetProperty("t").GetString());
        Assert.Equal(1, p.GetProperty("o").GetInt32());
        Assert.Equal("2024-02-29", p.GetProperty("d").GetString());
        Assert.Equal("2024-02-29 13:45:10.123456", p.GetProperty("ts").GetString());
        Assert.Equal("2024-02-29 13:45:10.123+00", p.GetProperty("tz").GetString());
        Assert.Equal("0001ff", p.GetProperty("by").GetString());
        Assert.Equal("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", p.GetProperty("u").GetString());
        Assert.Equal("""{"a": [1, "x"]}""", p.GetProperty("j").GetString());
        Assert.Equal("[1,2,null]", p.GetProperty("ai").GetRawText());
        Assert.Equal("""["a","b c"]""", p.GetProperty("at").GetRawText());
        Assert.Equal(["int4", "int8", "numeric", "float8", "text", "bool", "date", "timestamp", "timestamptz", "bytea", "uuid", "json", "_int4", "_text"],
            PsycopgTests.Strings(f.GetProperty("types")));
        RubyClientTests.AssertRowsAndError(f);
    }

    [Fact]
    public async Task Pdo_pgsql_reads_column_meta_binds_server_side_copies_to_an_array_and_streams()
    {
        var f = (await ClientProcess.ProbeAsync(gateway, "php", "php", "pdo_pgsql_probe.php")).Json();
        Assert.Equal("15.18", f.GetProperty("server_version").GetString());
        // getColumnMeta names the table from RowDescription's table OID.
        Assert.Equal(["item_id int8 mkt_sls_table", "region text mkt_sls_table", "sale_date date mkt_sls_table", "amount numeric mkt_sls_table"],
            AsyncpgTests.Pairs(f.GetProperty("columns")));
        Assert.Equal(["4", "Europe", "2023-05-05", "189.16"], PsycopgTests.Strings(f.GetProperty("first")));
        var p = f.GetProperty("params");
        Assert.Equal(42, p.GetProperty("i").GetInt32());
        Assert.Equal(9007199254740993, p.GetProperty("b").GetInt64());
        Assert.Equal("1234567.125", p.GetProperty("n").GetString());
        Assert.Equal("1.5", p.GetProperty("f").GetString());
        Assert.Equal("héllo wörld", p.GetProperty("t").GetString());
        Assert.True(p.GetProperty("o").GetBoolean());
        Assert.Equal("2024-02-29", p.GetProperty("d").GetString());
        Assert.Equal("2024-02-29 13:45:10.123456", p.GetProperty("ts").GetString());
        Assert.Equal("2024-02-29 13:45:10.123+00", p.GetProperty("tz").GetString());
        Assert.Equal("0001ff", p.GetProperty("by").GetString());
        Assert.Equal("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", p.GetProperty("u").GetString());
        Assert.Equal("""{"a": [1, "x"]}""", p.GetProperty("j").GetString());
        Assert.Equal("{1,2,NULL}", p.GetProperty("ai").GetString());
        Assert.Equal("""{a,"b c"}""", p.GetProperty("at").GetString());
        // pgsqlCopyToArray sends COPY (…) TO STDIN with its own delimiter.
        Assert.Equal(["4,Europe\n", "8,Europe\n", "12,Europe\n"], PsycopgTests.Strings(f.GetProperty("copy")));
        RubyClientTests.AssertRowsAndError(f);
    }

    [Fact]
    public async Task Rpostgresql_lists_fields_binds_parameters_fetches_in_chunks_and_reports_the_error()
    {
        var f = (await ClientProcess.ProbeAsync(gateway, "Rscript", "r", "rpostgresql_probe.R")).Json();
        Assert.Equal(["item_id", "sales_qty_sld", "region", "sale_date", "amount"], PsycopgTests.Strings(f.GetProperty("fields")));
        Assert.Equal(["item_id double", "region character", "sale_date Date", "amount double"], PsycopgTests.Strings(f.GetProperty("columns")));
        Assert.Equal(["4", "Europe", "2023-05-05", "189.16"], PsycopgTests.Strings(f.GetProperty("first")));
        // R has no 64-bit integer: the bigint arrives as a double, rounded as R rounds it.
        Assert.Equal(["42", "9007199254740992", "1234567.125", "1.5", "héllo wörld", "TRUE", "2024-02-29", "2024-02-29 13:45:10.123456",
            "\\x0001ff", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"], PsycopgTests.Strings(f.GetProperty("params")));
        Assert.Equal(100_000, f.GetProperty("rows").GetProperty("count").GetInt64());
        Assert.Equal(AsyncpgTests.FirstHundredThousandSum, f.GetProperty("rows").GetProperty("sum").GetInt64());
        // RPostgreSQL exposes the server's message, not the SQLSTATE.
        Assert.Contains("ERROR:  column \"customer_email\" does not exist", f.GetProperty("error").GetString());
        Assert.Equal(1, f.GetProperty("after").GetInt32());
    }
}
