using Npgsql;

namespace DataMesh.Gateway.Tests.Identity;

/// <summary>A session signed in with a token lives as long as the token: the next statement after exp is FATAL.</summary>
[Collection(IdentityCollection.Name)]
public sealed class SessionExpiryTests(IdentityGateway gateway)
{
    [Fact]
    public async Task The_next_statement_after_the_token_expires_is_fatal_and_asks_for_a_fresh_token()
    {
        var user = IdentityGateway.NewUser("short");
        var claims = gateway.Primary.Claims(user);
        var exp = DateTimeOffset.UtcNow.AddSeconds(3);
        claims["exp"] = exp.ToUnixTimeSeconds();
        await using var connection = await gateway.OpenWithTokenAsync(user, gateway.Primary.Mint(claims));
        Assert.Equal(user, (await IdentityGateway.RowsAsync(connection, "SELECT current_user"))[0][0]);

        // Wait (no timing assertion) until the token's exp has passed on this clock.
        while (DateTimeOffset.UtcNow < DateTimeOffset.FromUnixTimeSeconds(exp.ToUnixTimeSeconds()).AddMilliseconds(500)) await Task.Delay(200);
        var e = await Assert.ThrowsAsync<PostgresException>(() => IdentityGateway.RowsAsync(connection, "SELECT 1"));
        Assert.Equal("FATAL", e.Severity);
        Assert.Equal("28000", e.SqlState);
        Assert.Contains("identity token expired", e.MessageText);
        Assert.Contains("fresh identity token", e.Hint);
        Assert.NotEqual(System.Data.ConnectionState.Open, connection.State);
    }
}
