using DataMesh.Gateway.Tests.Admin;
using DataMesh.Gateway.Tests.Infrastructure;
using DuckDB.NET.Data;
using Npgsql;

namespace DataMesh.Gateway.Tests.Storage;

/// <summary>
/// COPY (query) TO STDOUT (FORMAT parquet) streams the governed rows as one Parquet file: psql's \copy writes it to a
/// local file, Npgsql's raw binary COPY reads it. bob (ml_research) gets the European rows of mkt_sls_table without
/// customer_email, exactly what his SELECT returns.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class CopyParquetTests(GatewayFixture fixture)
{
    [Fact]
    public async Task Psql_copies_the_governed_rows_to_a_parquet_file()
    {
        var dir = Path.Combine(Path.GetTempPath(), "datamesh-tests", "copy-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            var result = await Psql.RunAsync(fixture, ["-v", "ON_ERROR_STOP=1", "-c", @"\copy (SELECT * FROM mkt_sls_table) to 'eu.parquet' (format parquet)"],
                user: "bob", database: "ml_research", workingDirectory: dir);
            Assert.True(result.ExitCode == 0, result.StdErr);
            await using var bob = await fixture.OpenAsync("bob", "Database=ml_research");
            await using var count = new NpgsqlCommand("SELECT count(*) FROM mkt_sls_table", bob);
            var expected = (long)(await count.ExecuteScalarAsync())!;
            Assert.Equal($"COPY {expected}", result.StdOut.Trim());

            using var duck = new DuckDBConnection("DataSource=:memory:");
            duck.Open();
            using var cmd = duck.CreateCommand();
            var file = Path.Combine(dir, "eu.parquet").Replace("'", "''");
            cmd.CommandText = $"SELECT count(*), count(*) FILTER (WHERE region <> 'Europe'), string_agg(DISTINCT region) FROM '{file}'";
            using (var reader = cmd.ExecuteReader())
            {
                Assert.True(reader.Read());
                Assert.Equal(expected, reader.GetInt64(0));
                Assert.Equal(0L, reader.GetInt64(1));
                Assert.Equal("Europe", reader.GetString(2));
            }
            cmd.CommandText = $"SELECT column_name FROM (DESCRIBE SELECT * FROM '{file}')";
            var columns = new List<string>();
            using (var reader = cmd.ExecuteReader()) while (reader.Read()) columns.Add(reader.GetString(0));
            Assert.DoesNotContain("customer_email", columns);
            Assert.Contains("amount", columns);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task A_raw_binary_copy_gets_a_parquet_file_and_hidden_columns_stay_hidden()
    {
        await using var bob = await fixture.OpenAsync("bob", "Database=ml_research");
        using var memory = new MemoryStream();
        await using (var copy = await bob.BeginRawBinaryCopyAsync("COPY (SELECT region, amount FROM mkt_sls_table) TO STDOUT (FORMAT parquet)"))
            await copy.CopyToAsync(memory);
        var bytes = memory.ToArray();
        Assert.Equal("PAR1"u8.ToArray(), bytes[..4]);
        Assert.Equal("PAR1"u8.ToArray(), bytes[^4..]);

        await bob.FailsAsync("COPY (SELECT customer_email FROM mkt_sls_table) TO STDOUT (FORMAT parquet)", "42703");
        await bob.FailsAsync("COPY (SELECT region FROM mkt_sls_table) TO STDOUT (FORMAT parquet, HEADER)", "0A000");
        await using var after = new NpgsqlCommand("SELECT 1", bob);
        Assert.Equal(1, await after.ExecuteScalarAsync());
    }
}
