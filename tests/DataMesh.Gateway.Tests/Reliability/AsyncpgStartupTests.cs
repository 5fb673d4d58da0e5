using System.Text.Json;
using DataMesh.Gateway.Tests.Clients;
using DataMesh.Gateway.Tests.Infrastructure;

namespace DataMesh.Gateway.Tests.Reliability;

/// <summary>
/// asyncpg (Debian python3-asyncpg) sends the startup parameter <c>client_encoding</c> as <c>'utf-8'</c>, quotes
/// included, which PostgreSQL reads as UTF8: the real client signs in and reads governed rows as bob in ml_research.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class AsyncpgStartupTests(GatewayFixture gateway)
{
    private const string Script = """
        import asyncio, json, os, asyncpg
        async def main():
            c = await asyncpg.connect(host=os.environ['DM_HOST'], port=int(os.environ['DM_PORT']), user=os.environ['DM_USER'],
                                      password=os.environ['DM_PASSWORD'], database=os.environ['DM_DATABASE'], ssl=False)
            one = await c.fetchval('SELECT 1')
            regions = [r['region'] for r in await c.fetch('SELECT DISTINCT region FROM mkt_sls_table')]
            encoding = c.get_settings().client_encoding
            await c.close()
            print(json.dumps({'one': one, 'regions': regions, 'client_encoding': encoding}))
        asyncio.run(main())
        """;

    [Fact]
    public async Task Asyncpg_signs_in_with_its_quoted_client_encoding_and_reads_governed_rows()
    {
        var f = (await ClientProcess.RunAsync(ClientProcess.Python, ["-c", Script], ClientProcess.Environment(gateway))).Json();
        Assert.Equal(1, f.GetProperty("one").GetInt32());
        Assert.Equal(["Europe"], f.GetProperty("regions").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("UTF8", f.GetProperty("client_encoding").GetString());
    }
}
