using System.Globalization;
using DataMesh.Gateway.Tests.Infrastructure;
using DuckDB.NET.Data;

namespace DataMesh.Gateway.Tests.Governance;

/// <summary>
/// The oracle of the governance tests: a plain in-process DuckDB holding exactly what a grant lets through, built
/// from the producer's Parquet files (never through the gateway). ml_research's grant on mkt_sls_table is
/// <c>region = 'Europe'</c> without customer_email; campaigns is materialised with the grant the differential
/// scenario approves (<see cref="CampaignsFilter"/>, <see cref="CampaignsColumns"/>).
/// </summary>
public sealed class TruthDatabase : IDisposable
{
    public const string SalesColumns = "item_id, sales_qty_sld, region, sale_date, amount";
    public const string CampaignsFilter = "channel <> 'email'";
    public const string CampaignsColumns = "campaign_id, name, channel, budget";

    private readonly DuckDBConnection _connection;
    private readonly object _gate = new();

    public TruthDatabase(GatewayFixture gateway)
    {
        var root = MarketingRoot(gateway);
        _connection = new DuckDBConnection("DataSource=:memory:;autoinstall_known_extensions=false;autoload_known_extensions=false");
        _connection.Open();
        Execute($"CREATE TABLE mkt_sls_table AS SELECT {SalesColumns} FROM read_parquet('{root}/sales/*.parquet') WHERE region = 'Europe'");
        Execute($"CREATE TABLE campaigns AS SELECT {CampaignsColumns} FROM read_parquet('{root}/campaigns/*.parquet') WHERE {CampaignsFilter}");
        // The gateway's names: schema = the owning project.
        Execute("CREATE SCHEMA marketing");
        Execute("CREATE VIEW marketing.mkt_sls_table AS SELECT * FROM main.mkt_sls_table");
        Execute("CREATE VIEW marketing.campaigns AS SELECT * FROM main.campaigns");
        // The unfiltered table, for tests that must show the hidden rows exist (so that hiding them is meaningful).
        Execute($"CREATE TABLE all_sales AS SELECT * FROM read_parquet('{root}/sales/*.parquet')");
    }

    /// <summary>The marketing project's storage (DemoSetup: {data}/accounts/acct_marketing/marketing/{sales,campaigns,drafts}).</summary>
    public static string MarketingRoot(GatewayFixture gateway) => DataMesh.Gateway.Demo.DemoSetup.MarketingStorage(gateway.Host.DataDirectory);

    public void Execute(string sql)
    {
        lock (_gate)
        {
            using var cmd = _connection.CreateCommand();
            cmd.CommandText = sql;
            cmd.ExecuteNonQuery();
        }
    }

    /// <summary>The result of <paramref name="sql"/>, or the DuckDB error it raised.</summary>
    public (List<string> Columns, List<object?[]> Rows, DuckDBException? Error) Run(string sql)
    {
        lock (_gate)
        {
            var rows = new List<object?[]>();
            var columns = new List<string>();
            try
            {
                using var cmd = _connection.CreateCommand();
                cmd.CommandText = sql;
                using var reader = cmd.ExecuteReader();
                for (var i = 0; i < reader.FieldCount; i++) columns.Add(reader.GetName(i));
                while (reader.Read())
                {
                    var row = new object?[reader.FieldCount];
                    for (var i = 0; i < row.Length; i++) row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
                    rows.Add(row);
                }
                return (columns, rows, null);
            }
            catch (DuckDBException e)
            {
                return (columns, rows, e);
            }
        }
    }

    public long Count(string sql)
    {
        var (_, rows, error) = Run(sql);
        if (error is not null) throw new Xunit.Sdk.XunitException($"truth query [{sql}] failed: {error.Message}");
        return Convert.ToInt64(Assert.Single(rows)[0], CultureInfo.InvariantCulture);
    }

    public void Dispose() => _connection.Dispose();
}

/// <summary>One truth database per test run (building it reads the 1M-row file once).</summary>
public static class Truth
{
    private static TruthDatabase? _instance;
    private static readonly object Gate = new();

    public static TruthDatabase For(GatewayFixture gateway)
    {
        lock (Gate) return _instance ??= new TruthDatabase(gateway);
    }
}
