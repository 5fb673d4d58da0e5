using DataMesh.Gateway.Tests.Infrastructure;

namespace DataMesh.Gateway.Tests.Reliability;

/// <summary>
/// The grammars the gateway reads itself (LOCK, LISTEN/UNLISTEN/NOTIFY, PREPARE/EXECUTE/DEALLOCATE, SET's values)
/// refuse a malformed statement as PostgreSQL 15 does: the same text goes to the gateway and to a private
/// PostgreSQL (<see cref="RealPostgres"/>), through the simple protocol and through Parse/Bind/Execute, and the
/// ErrorResponses must agree on SQLSTATE, message and position (the P field).
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class GrammarParityTests(GatewayFixture gateway, RealPostgres postgres) : IClassFixture<RealPostgres>
{
    private sealed record Refusal(string? SqlState, string? Message, string? Position);

    private async Task<RawClient> SignInAsync(bool real)
    {
        var client = real ? await postgres.ConnectAsync() : await RawClient.ConnectAsync(gateway);
        var (user, password) = real ? (RealPostgres.User, RealPostgres.Password) : ("alice", "alice");
        await client.SendAsync(RawClient.StartupMessage(user, "postgres"));
        await RawLogin.AuthenticateAsync(client, user, password);
        return client;
    }

    private async Task<Refusal> RefusalAsync(bool real, string sql, bool extended)
    {
        await using var client = await SignInAsync(real);
        await client.SendAsync(extended
            ? [.. ExtendedMessages.Parse("", sql), .. ExtendedMessages.Bind("", "", []), .. ExtendedMessages.Execute(""), .. ExtendedMessages.Sync()]
            : RawClient.Query(sql));
        var replies = await client.ReadUntilAsync('Z', TimeSpan.FromSeconds(30));
        var error = Assert.Single(replies, r => r.Type == 'E').Payload;
        return new Refusal(RawClient.SqlState(error), RawClient.Field(error, 'M'), RawClient.Field(error, 'P'));
    }

    [Theory]
    [InlineData("LOCK")]
    [InlineData("LOCK TABLE t IN ROW MODE")]
    [InlineData("LOCK t IN SHARE MODE NOWAIT x")]
    [InlineData("LOCK t,")]
    [InlineData("LISTEN a b")]
    [InlineData("  LISTEN 'a'")]
    [InlineData("SELECT 1; LISTEN a b")]
    [InlineData("UNLISTEN * x")]
    [InlineData("NOTIFY a, b")]
    [InlineData("PREPARE p (int AS SELECT 1")]
    [InlineData("PREPARE p (int,) AS SELECT 1")]
    [InlineData("PREPARE p (nosuch_type) AS SELECT 1")]
    [InlineData("EXECUTE p (1 2)")]
    [InlineData("EXECUTE p(1")]
    [InlineData("DEALLOCATE ALL x")]
    [InlineData("SET search_path TO 1,")]
    [InlineData("SET search_path = (1)")]
    [InlineData("SET TIME ZONE 'UTC', 'x'")]
    [InlineData("SET TIME ZONE INTERVAL '1' HOUR TO HOUR")]
    [InlineData("SET TIME ZONE INTERVAL;")]
    public async Task A_malformed_statement_is_refused_with_postgresqls_sqlstate_message_and_position(string sql)
    {
        foreach (var extended in new[] { false, true })
        {
            if (extended && sql.Contains(';', StringComparison.Ordinal)) continue; // one statement per Parse
            var expected = await RefusalAsync(real: true, sql, extended);
            Assert.NotNull(expected.Position); // the probe: PostgreSQL points at the error, so the comparison covers P
            Assert.Equal(expected, await RefusalAsync(real: false, sql, extended));
        }
    }
}
