using DataMesh.Gateway.Tests.Infrastructure;
using Npgsql;

namespace DataMesh.Gateway.Tests.Clients;

/// <summary>
/// Npgsql as a consumer application uses it: default settings (type loading included), a pooled NpgsqlDataSource
/// whose reset sequence (DISCARD ALL, or CLOSE ALL … when statements stay prepared) really clears the session, and
/// NpgsqlBatch. Signed in as bob in ml_research.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class NpgsqlClientTests(GatewayFixture gateway)
{
    private string Pooled => gateway.ConnectionString("bob", database: "ml_research").Replace("Pooling=false", "Pooling=true;Maximum Pool Size=1", StringComparison.Ordinal);

    [Fact]
    public async Task Default_settings_load_types_and_read_the_granted_rows()
    {
        // Only the defaults: no ServerCompatibilityMode, so Npgsql loads its types from pg_type at first open.
        var cs = $"Host=127.0.0.1;Port={gateway.Port};Username=bob;Password=bob;Database=ml_research;SSL Mode=Disable";
        await using var source = NpgsqlDataSource.Create(cs);
        await using var c = await source.OpenConnectionAsync();
        await using var cmd = new NpgsqlCommand("SELECT item_id, sales_qty_sld, region, sale_date, amount FROM mkt_sls_table WHERE item_id = $1", c);
        cmd.Parameters.AddWithValue(12L);
        await using var reader = await cmd.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal(12L, reader.GetInt64(0));
        Assert.Equal(29, reader.GetInt32(1));
        Assert.Equal("Europe", reader.GetString(2));
        Assert.Equal(new DateOnly(2024, 1, 8), reader.GetFieldValue<DateOnly>(3));
        Assert.Equal(567.48m, reader.GetDecimal(4));
        Assert.Equal(["bigint", "integer", "text", "date", "numeric(12, 2)"], Enumerable.Range(0, 5).Select(reader.GetDataTypeName));
    }

    [Fact]
    public async Task The_pool_reset_closes_cursors_and_restores_settings_on_the_same_backend()
    {
        await using var source = NpgsqlDataSource.Create(Pooled);
        int pid;
        object? fresh;
        await using (var c = await source.OpenConnectionAsync())
        {
            pid = c.ProcessID;
            fresh = await Scalar(c, "SHOW application_name");
            await Exec(c, "SET application_name = 'pooled_app'");
            Assert.Equal("pooled_app", await Scalar(c, "SHOW application_name"));
            await Exec(c, "DECLARE held CURSOR WITH HOLD FOR SELECT item_id FROM mkt_sls_table ORDER BY item_id");
            Assert.Equal(4L, await Scalar(c, "FETCH 1 FROM held"));
        }
        await using (var c = await source.OpenConnectionAsync())
        {
            Assert.Equal(pid, c.ProcessID); // the same physical connection, reset by Npgsql's DISCARD ALL
            Assert.Equal(fresh, await Scalar(c, "SHOW application_name"));
            var e = await Assert.ThrowsAsync<PostgresException>(() => Exec(c, "FETCH 1 FROM held"));
            Assert.Equal("34000", e.SqlState);
        }
    }

    [Fact]
    public async Task The_pool_reset_with_prepared_statements_keeps_them_and_still_closes_cursors()
    {
        await using var source = NpgsqlDataSource.Create(Pooled);
        const string Sql = "SELECT count(*) FROM mkt_sls_table WHERE item_id <= $1";
        await using (var c = await source.OpenConnectionAsync())
        {
            await using var cmd = new NpgsqlCommand(Sql, c);
            cmd.Parameters.AddWithValue(400L);
            await cmd.PrepareAsync(); // persistent: Npgsql resets with CLOSE ALL; UNLISTEN *; … instead of DISCARD ALL
            Assert.Equal(100L, await cmd.ExecuteScalarAsync());
            await Exec(c, "DECLARE held CURSOR WITH HOLD FOR SELECT 1::BIGINT");
        }
        await using (var c = await source.OpenConnectionAsync())
        {
            await using var cmd = new NpgsqlCommand(Sql, c);
            cmd.Parameters.AddWithValue(800L);
            await cmd.PrepareAsync();
            Assert.True(cmd.IsPrepared);
            Assert.Equal(200L, await cmd.ExecuteScalarAsync());
            var e = await Assert.ThrowsAsync<PostgresException>(() => Exec(c, "FETCH 1 FROM held"));
            Assert.Equal("34000", e.SqlState);
        }
    }

    [Fact]
    public async Task A_batch_declares_fetches_and_reads_every_result()
    {
        await using var c = new NpgsqlConnection(gateway.ConnectionString("bob", database: "ml_research"));
        await c.OpenAsync();
        await using var tx = await c.BeginTransactionAsync();
        var count = new NpgsqlBatchCommand("SELECT count(*) FROM mkt_sls_table WHERE item_id <= $1") { Parameters = { new() { Value = 4000L } } };
        await using var batch = new NpgsqlBatch(c, tx)
        {
            BatchCommands =
            {
                count,
                new NpgsqlBatchCommand("DECLARE b CURSOR FOR SELECT item_id FROM mkt_sls_table ORDER BY item_id"),
                new NpgsqlBatchCommand("FETCH 2 FROM b"),
                new NpgsqlBatchCommand("SELECT max(region) FROM mkt_sls_table"),
            },
        };
        await using var reader = await batch.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal(1000L, reader.GetInt64(0));
        Assert.True(await reader.NextResultAsync()); // FETCH (DECLARE has no result set)
        var fetched = new List<long>();
        while (await reader.ReadAsync()) fetched.Add(reader.GetInt64(0));
        Assert.Equal([4L, 8], fetched);
        Assert.True(await reader.NextResultAsync());
        Assert.True(await reader.ReadAsync());
        Assert.Equal("Europe", reader.GetString(0));
        Assert.False(await reader.NextResultAsync());
    }

    private static async Task Exec(NpgsqlConnection c, string sql)
    {
        await using var cmd = new NpgsqlCommand(sql, c);
        await cmd.ExecuteNonQueryAsync();
    }

    private static async Task<object?> Scalar(NpgsqlConnection c, string sql)
    {
        await using var cmd = new NpgsqlCommand(sql, c);
        return await cmd.ExecuteScalarAsync();
    }
}
