using System.Buffers.Binary;
using System.Text;
using DataMesh.Gateway.Tests.Infrastructure;

namespace DataMesh.Gateway.Tests.Integration;

/// <summary>
/// Describe of a prepared statement answers as PostgreSQL 15 does (libpq's PQdescribePrepared, asyncpg and RPostgres
/// describe before they bind): an untyped parameter the engine cannot type is text, and the select list it stands in
/// has as many columns as execution returns; unaliased columns carry PostgreSQL's names. Every expectation is what
/// PostgreSQL 15.18 answered to the same Parse + Describe (psycopg's pgconn.describe_prepared).
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class DescribeStatementTests(GatewayFixture gateway)
{
    [Theory]
    [InlineData("SELECT $1 AS x, 2 AS y", new[] { 25 }, new[] { "x:25", "y:23" })]
    [InlineData("SELECT $1", new[] { 25 }, new[] { "?column?:25" })]
    [InlineData("SELECT $1::int4 AS i, $2 AS t", new[] { 23, 25 }, new[] { "i:23", "t:25" })]
    [InlineData("SELECT $1::int[]", new[] { 1007 }, new[] { "int4:1007" })]
    [InlineData("SELECT $1::text[]", new[] { 1009 }, new[] { "text:1009" })]
    [InlineData("SELECT item_id FROM mkt_sls_table WHERE region = $1 LIMIT 1", new[] { 25 }, new[] { "item_id:20" })]
    [InlineData("SELECT 1, 1 + 1, 'a'::text, 1::int4, EXISTS (SELECT 1), now(), CASE WHEN true THEN 1 END, ARRAY[1], coalesce(1, 2), 1::double precision",
        new int[0], new[] { "?column?:23", "?column?:23", "text:25", "int4:23", "exists:16", "now:1184", "case:23", "array:1007", "coalesce:23", "float8:701" })]
    [InlineData("SELECT (SELECT count(*) FROM mkt_sls_table), item_id::text, -item_id, item_id IS NULL, lower(region), max(item_id) OVER () FROM mkt_sls_table LIMIT 1",
        new int[0], new[] { "count:20", "item_id:25", "?column?:20", "?column?:16", "lower:25", "max:20" })]
    public async Task Describe_gives_PostgreSQLs_parameter_types_columns_and_names(string sql, int[] parameters, string[] columns)
    {
        await using var client = await RawClient.ConnectAsync(gateway);
        await client.SendAsync(RawClient.StartupMessage("bob", "ml_research"));
        await RawLogin.AuthenticateAsync(client, "bob", "bob");
        await client.SendAsync([.. ExtendedMessages.Parse("s", sql), .. ExtendedMessages.Describe('S', "s"), .. ExtendedMessages.Sync()]);
        var messages = await client.ReadUntilAsync('Z');
        Assert.DoesNotContain(messages, m => m.Type == 'E');
        Assert.Equal(parameters, ParameterTypes(messages.Single(m => m.Type == 't').Payload));
        Assert.Equal(columns, Fields(messages.Single(m => m.Type == 'T').Payload));
    }

    private static int[] ParameterTypes(byte[] payload)
    {
        var count = BinaryPrimitives.ReadInt16BigEndian(payload);
        return Enumerable.Range(0, count).Select(i => BinaryPrimitives.ReadInt32BigEndian(payload.AsSpan(2 + 4 * i))).ToArray();
    }

    private static string[] Fields(byte[] payload)
    {
        var count = BinaryPrimitives.ReadInt16BigEndian(payload);
        var fields = new string[count];
        var p = 2;
        for (var i = 0; i < count; i++)
        {
            var end = Array.IndexOf(payload, (byte)0, p);
            var name = Encoding.UTF8.GetString(payload, p, end - p);
            p = end + 1 + 4 + 2; // table OID, attribute number
            fields[i] = $"{name}:{BinaryPrimitives.ReadInt32BigEndian(payload.AsSpan(p))}";
            p += 4 + 2 + 4 + 2; // type OID, length, typmod, format
        }
        return fields;
    }
}
