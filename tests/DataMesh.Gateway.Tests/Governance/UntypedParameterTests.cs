using System.Globalization;
using DataMesh.Gateway.Tests.Infrastructure;
using Npgsql;
using NpgsqlTypes;

namespace DataMesh.Gateway.Tests.Governance;

/// <summary>
/// Parameters the client leaves untyped (OID 0 from pgbench and node-postgres, 705 "unknown" from Npgsql's
/// NpgsqlDbType.Unknown) get the type the engine infers at Parse, as PostgreSQL does: reported in
/// ParameterDescription, decoded as that type at Bind, and written as <c>CAST($n AS T)</c>, so <c>item_id = $1</c>
/// stays unfenced like a typed parameter. Attempts to use that as an oracle must answer as over the granted rows.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class UntypedParameterTests(GatewayFixture gateway)
{
    private static NpgsqlParameter Untyped(string text) => new() { NpgsqlDbType = NpgsqlDbType.Unknown, Value = text };

    [Theory]
    [Adversarial(AttackClass.ErrorOracle)]
    [InlineData("SELECT count(*) FROM mkt_sls_table WHERE item_id = $1", "1")]
    [InlineData("SELECT count(*) FROM mkt_sls_table WHERE item_id = $1", "3")]
    [InlineData("SELECT count(*) FROM mkt_sls_table WHERE item_id = $1 AND chr(CASE WHEN region = 'Asia' THEN -1 ELSE 65 END) IS NOT NULL", "1")]
    [InlineData("SELECT count(*) FROM mkt_sls_table WHERE region = $1", "Asia")]
    [InlineData("SELECT count(*) FROM mkt_sls_table WHERE sale_date = $1", "2024-01-15")]
    [InlineData("SELECT count(*) FROM mkt_sls_table WHERE item_id = $1", "x")]
    [InlineData("SELECT count(*) FROM mkt_sls_table WHERE item_id = $1", "99999999999999999999")]
    [InlineData("SELECT count(*) FROM mkt_sls_table WHERE sales_qty_sld = $1", "3000000000")]
    public async Task An_untyped_parameter_behaves_as_if_hidden_rows_did_not_exist(string sql, string value)
    {
        var truth = Truth.For(gateway);
        var expected = truth.Run(sql.Replace("$1", $"'{value}'", StringComparison.Ordinal));
        await using var s = await GovernedSession.OpenAsync(gateway);
        await using var cmd = new NpgsqlCommand(sql, s.Connection);
        cmd.Parameters.Add(Untyped(value));
        try
        {
            var count = Convert.ToInt64(await cmd.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
            Assert.True(expected.Error is null, $"the granted rows alone raise {expected.Error}, the gateway answered {count}");
            Assert.Equal(Convert.ToInt64(Assert.Single(expected.Rows)[0], CultureInfo.InvariantCulture), count);
        }
        catch (PostgresException e)
        {
            // A value that is not of the inferred type fails at Bind, before any row is read: the same error whatever
            // the rows are (and the granted rows alone would fail the same comparison).
            Assert.True(e.SqlState is "22P02" or "22003", $"{e.SqlState} {e.MessageText}");
            Assert.DoesNotContain("Asia", e.MessageText, StringComparison.Ordinal);
            Assert.True(expected.Error is not null || value is "x" or "99999999999999999999" or "3000000000", "the gateway failed where the truth did not");
        }
        // The connection stays usable.
        await using var again = new NpgsqlCommand("SELECT 1", s.Connection);
        Assert.Equal(1, Convert.ToInt32(await again.ExecuteScalarAsync(), CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task The_inferred_types_are_reported_in_the_parameter_description()
    {
        await using var c = await RawLogin.ConnectAsync(gateway);
        await c.SendAsync([
            .. ExtendedMessages.Parse("u1", "SELECT region FROM marketing.mkt_sls_table WHERE item_id = $1 AND region = $2 AND sale_date >= $3", 0, 705),
            .. ExtendedMessages.Describe('S', "u1"), .. ExtendedMessages.Sync(),
        ]);
        var messages = await c.ReadUntilAsync('Z');
        var description = messages.Single(m => m.Type == 't').Payload;
        Assert.Equal(3, System.Buffers.Binary.BinaryPrimitives.ReadInt16BigEndian(description));
        int Oid(int i) => System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(description.AsSpan(2 + 4 * i));
        Assert.Equal(20, Oid(0));   // OID 0: bigint, from item_id
        Assert.Equal(25, Oid(1));   // 705 unknown: text, from region
        Assert.Equal(1082, Oid(2)); // not declared at all: date, from sale_date
    }
}
