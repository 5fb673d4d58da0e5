using System.Globalization;
using Microsoft.IdentityModel.Tokens;

namespace DataMesh.Gateway.Tests.Identity;

[CollectionDefinition(Name)]
public sealed class IdentityCollection : ICollectionFixture<IdentityGateway>
{
    public const string Name = "identity";
}

/// <summary>Identity tokens that sign in: algorithms, issuers, group grants, just-in-time users, key rotation.</summary>
[Collection(IdentityCollection.Name)]
public sealed class IdentitySignInTests(IdentityGateway gateway)
{
    [Fact]
    public async Task Rs256_token_signs_in_over_tls_and_current_user_is_the_mapped_user()
    {
        var user = IdentityGateway.NewUser("rs");
        await using var connection = await gateway.OpenWithTokenAsync(user, gateway.Primary.Mint(user));
        var row = (await IdentityGateway.RowsAsync(connection, "SELECT current_user, session_user"))[0];
        Assert.Equal(user, row[0]);
        Assert.Equal(user, row[1]);
    }

    [Fact]
    public async Task Es256_token_signs_in()
    {
        var user = IdentityGateway.NewUser("es");
        await using var connection = await gateway.OpenWithTokenAsync(user, gateway.Primary.Mint(user, alg: SecurityAlgorithms.EcdsaSha256));
        Assert.Equal(user, (await IdentityGateway.RowsAsync(connection, "SELECT current_user"))[0][0]);
    }

    [Fact]
    public async Task Ps256_token_signs_in()
    {
        var user = IdentityGateway.NewUser("ps");
        await using var connection = await gateway.OpenWithTokenAsync(user, gateway.Primary.Mint(user, alg: SecurityAlgorithms.RsaSsaPssSha256));
        Assert.Equal(user, (await IdentityGateway.RowsAsync(connection, "SELECT current_user"))[0][0]);
    }

    [Fact]
    public async Task A_second_trusted_issuer_maps_its_own_user_name_claim()
    {
        var user = IdentityGateway.NewUser("em");
        var claims = gateway.Second.Claims("ignored-preferred-name");
        claims["email"] = user; // the second issuer names users by e-mail
        await using var connection = await gateway.OpenWithTokenAsync(user, gateway.Second.Mint(claims));
        Assert.Equal(user, (await IdentityGateway.RowsAsync(connection, "SELECT current_user"))[0][0]);
    }

    [Fact]
    public async Task The_placeholder_user_name_signs_in_as_the_token_user()
    {
        var user = IdentityGateway.NewUser("ph");
        await using var connection = await gateway.OpenWithTokenAsync("token", gateway.Primary.Mint(user));
        Assert.Equal(user, (await IdentityGateway.RowsAsync(connection, "SELECT current_user"))[0][0]);
    }

    [Fact]
    public async Task A_group_from_the_token_grants_its_project_role()
    {
        // The demo has the group analysts as a viewer of ml_research; the user is in no catalog group at all.
        var user = IdentityGateway.NewUser("grp");
        await using var connection = await gateway.OpenWithTokenAsync(user, gateway.Primary.Mint(user, ["analysts", "unknown-group"]), "ml_research");
        var regions = await IdentityGateway.RowsAsync(connection, "SELECT DISTINCT region FROM mkt_sls_table");
        Assert.Equal(["Europe"], regions.Select(r => (string)r[0]!));
        // A viewer may not write the workspace: the role is the group's.
        var e = await Assert.ThrowsAsync<Npgsql.PostgresException>(() =>
            IdentityGateway.RowsAsync(connection, "CREATE TABLE workspace.t_" + user + " AS SELECT 1 AS x"));
        Assert.Equal("42501", e.SqlState);
    }

    [Fact]
    public async Task A_just_in_time_user_appears_in_the_catalog_with_its_issuer_and_subject()
    {
        var user = IdentityGateway.NewUser("jit");
        var before = await gateway.AdminAsync("carol", "SHOW USERS");
        Assert.DoesNotContain(before, r => Equals(r[0], user));

        await using (var connection = await gateway.OpenWithTokenAsync(user, gateway.Primary.Mint(user)))
            await IdentityGateway.RowsAsync(connection, "SHOW PROJECTS");
        // Signing in again finds the same user (no second creation).
        await using (var again = await gateway.OpenWithTokenAsync(user, gateway.Primary.Mint(user)))
            await IdentityGateway.RowsAsync(again, "SELECT 1");

        var users = await gateway.AdminAsync("carol", "SHOW USERS");
        var row = Assert.Single(users, r => Equals(r[0], user));
        Assert.Equal("oidc", row[2]);
        var audit = await gateway.AdminAsync("carol", "SHOW AUDIT LIMIT 200");
        var created = Assert.Single(audit, r => Equals(r[2], user) && Equals(r[7], "CREATE USER"));
        Assert.Equal(gateway.Primary.Issuer, created[3]);
        Assert.Equal("sub-" + user, created[4]);
        // Its admin command is audited with the issuer and subject next to the user.
        var show = Assert.Single(audit, r => Equals(r[2], user) && Equals(r[7], "SHOW PROJECTS"));
        Assert.Equal(gateway.Primary.Issuer, show[3]);
        Assert.Equal("sub-" + user, show[4]);
    }

    [Fact]
    public async Task Queries_are_audited_with_issuer_and_subject()
    {
        var user = IdentityGateway.NewUser("aud");
        await using (var connection = await gateway.OpenWithTokenAsync(user, gateway.Primary.Mint(user, ["analysts"]), "ml_research"))
            await IdentityGateway.RowsAsync(connection, "SELECT count(*) FROM mkt_sls_table WHERE region = 'Europe'");
        // Query records are written in batches by a background writer: wait for this one.
        object?[]? record = null;
        for (var i = 0; i < 100 && record is null; i++)
        {
            record = (await gateway.AdminAsync("carol", "SHOW AUDIT LIMIT 100")).FirstOrDefault(r => Equals(r[2], user) && Equals(r[6], "query"));
            if (record is null) await Task.Delay(100);
        }
        Assert.NotNull(record);
        Assert.Equal(gateway.Primary.Issuer, record[3]);
        Assert.Equal("sub-" + user, record[4]);
        Assert.Equal("ml_research", record[5]);
    }

    [Fact]
    public async Task A_rotated_key_in_the_jwks_file_is_accepted_without_a_restart()
    {
        var idp = gateway.Rotating;
        var user = IdentityGateway.NewUser("rot");
        await using (var before = await gateway.OpenWithTokenAsync(user, idp.Mint(user))) Assert.Equal(user, (await IdentityGateway.RowsAsync(before, "SELECT current_user"))[0][0]);

        using var rsa = System.Security.Cryptography.RSA.Create(2048);
        var k = new RsaSecurityKey(rsa) { KeyId = "rotated-" + Guid.NewGuid().ToString("N")[..6] };
        var newToken = idp.Mint(idp.Claims(user), SecurityAlgorithms.RsaSha256, k);
        // Before the provider publishes the key, the gateway does not know it.
        var unknown = await gateway.RefusedAsync(user, newToken);
        Assert.Equal("28P01", unknown.SqlState);

        idp.WriteJwks(k, idp.Ec); // rotation: the old RSA key is gone, the new one is in
        await using (var after = await gateway.OpenWithTokenAsync(user, newToken)) Assert.Equal(user, (await IdentityGateway.RowsAsync(after, "SELECT current_user"))[0][0]);
        var old = await gateway.RefusedAsync(user, idp.Mint(user));
        Assert.Contains("signing key", old.MessageText);
        idp.WriteJwks(idp.Rsa, idp.Ec);
    }

    [Fact]
    public async Task Local_users_keep_signing_in_with_scram()
    {
        var rows = await gateway.AdminAsync("alice", "SELECT current_user", "marketing");
        Assert.Equal("alice", rows[0][0]);
    }

    [Fact]
    public async Task Group_memberships_come_from_each_token_not_from_a_stored_copy()
    {
        var user = IdentityGateway.NewUser("stale");
        await using (var first = await gateway.OpenWithTokenAsync(user, gateway.Primary.Mint(user, ["analysts"]), "ml_research"))
            Assert.Equal(1L, Convert.ToInt64((await IdentityGateway.RowsAsync(first, "SELECT 1"))[0][0], CultureInfo.InvariantCulture));
        // The next token no longer carries the group: the project is closed to the user again.
        var e = await gateway.RefusedAsync(user, gateway.Primary.Mint(user, []), "ml_research");
        Assert.Equal("42501", e.SqlState);
        var groups = await gateway.AdminAsync("carol", "SHOW USERS");
        Assert.Equal("", Assert.Single(groups, r => Equals(r[0], user))[3]);
    }
}
