using DataMesh.Gateway.Tests.Infrastructure;

namespace DataMesh.Gateway.Tests.Clients;

/// <summary>
/// The Npgsql example of docs/CLIENTS.md, compiled and run as the document shows it: the region below is that example
/// (Docs/DocExampleTests fails when the two differ). "5433" becomes the test gateway's port, as for every documented
/// example: <c>NpgsqlDataSource</c> here is a property handing the connection string, so changed, to Npgsql's own
/// <c>NpgsqlDataSource.Create</c>.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class NpgsqlDocExampleTests(GatewayFixture gateway)
{
    private DocumentPort NpgsqlDataSource => new(gateway.Port);

    private sealed class DocumentPort(int port)
    {
        public Npgsql.NpgsqlDataSource Create(string connectionString) =>
            Npgsql.NpgsqlDataSource.Create(connectionString.Replace("Port=5433", $"Port={port}", StringComparison.Ordinal) + ";SSL Mode=Disable");
    }

    [Fact]
    public async Task The_documented_example_counts_the_granted_rows()
    {
        Assert.Equal(await GrantedCountAsync(), await DocumentedExampleAsync());
    }

    private async Task<long> DocumentedExampleAsync()
    {
        #region clients-md
        await using var source = NpgsqlDataSource.Create("Host=127.0.0.1;Port=5433;Username=bob;Password=bob;Database=ml_research");
        await using var cmd = source.CreateCommand("SELECT count(*) FROM mkt_sls_table WHERE item_id <= $1");
        cmd.Parameters.AddWithValue(4000L);
        var n = (long)(await cmd.ExecuteScalarAsync())!;
        #endregion
        return n;
    }

    /// <summary>What the example must count: bob's grant shows the European rows, so a quarter of item ids 1..4000.</summary>
    private async Task<long> GrantedCountAsync()
    {
        await using var alice = await gateway.OpenAsync();
        await using var cmd = new Npgsql.NpgsqlCommand("SELECT count(*) FROM mkt_sls_table WHERE item_id <= 4000 AND region = 'Europe'", alice);
        var expected = (long)(await cmd.ExecuteScalarAsync())!;
        Assert.True(expected > 0);
        return expected;
    }
}
