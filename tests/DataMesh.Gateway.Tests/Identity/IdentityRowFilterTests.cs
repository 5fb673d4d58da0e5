using System.Globalization;
using Npgsql;

namespace DataMesh.Gateway.Tests.Identity;

/// <summary>
/// Row filters that refer to the caller: current_user_claim, current_user_in_group and current_user_name are bound
/// as constants per session. Two callers sending the same SQL through the same grant must see their own rows (the
/// rewrite cache must not hand one caller's rewrite to the other); a missing claim fails closed; values are quoted.
/// </summary>
[Collection(IdentityCollection.Name)]
public sealed class IdentityRowFilterTests(IdentityGateway gateway)
{
    private const string Sql = "SELECT DISTINCT region FROM mkt_sls_table ORDER BY region";

    /// <summary>A fresh project open to the token group <c>Group</c>, subscribed to mkt_sls_table with the filter.</summary>
    private async Task<(string Project, string Group)> ProjectWithFilterAsync(string filter)
    {
        var n = Guid.NewGuid().ToString("N")[..8];
        var project = "idf_" + n;
        var group = "idg_" + n;
        await gateway.AdminAsync("carol", $"CREATE PROJECT {project} ACCOUNT acct_research PROFILE sql_analytics");
        await gateway.AdminAsync("carol", $"CREATE GROUP {group}");
        await gateway.AdminAsync("carol", $"ADD MEMBER GROUP {group} TO PROJECT {project} AS VIEWER");
        var requested = await gateway.AdminAsync("carol",
            $"REQUEST SUBSCRIPTION TO marketing.mkt_sls_table FOR PROJECT {project} JUSTIFICATION 'identity filters'");
        var id = Convert.ToInt64(requested[0][0], CultureInfo.InvariantCulture);
        await gateway.AdminAsync("alice", $"APPROVE SUBSCRIPTION {id} WITH ROW FILTER ({filter})");
        return (project, group);
    }

    private string Token(string user, string group, Dictionary<string, object>? extra = null, string[]? moreGroups = null)
    {
        var claims = gateway.Primary.Claims(user, [group, .. moreGroups ?? []]);
        foreach (var (k, v) in extra ?? []) claims[k] = v;
        return gateway.Primary.Mint(claims);
    }

    private static async Task<List<string>> RegionsAsync(NpgsqlConnection connection) =>
        (await IdentityGateway.RowsAsync(connection, Sql)).Select(r => (string)r[0]!).ToList();

    [Fact]
    public async Task Two_users_with_different_claims_see_different_rows_through_the_same_grant()
    {
        var (project, group) = await ProjectWithFilterAsync("region = current_user_claim('region')");
        var europe = IdentityGateway.NewUser("eu");
        var asia = IdentityGateway.NewUser("as");
        await using var a = await gateway.OpenWithTokenAsync(europe, Token(europe, group, new() { ["region"] = "Europe" }), project);
        await using var b = await gateway.OpenWithTokenAsync(asia, Token(asia, group, new() { ["region"] = "Asia" }), project);

        // The same SQL text, interleaved, several times: a rewrite cached for one caller must never serve the other.
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(["Europe"], await RegionsAsync(a));
            Assert.Equal(["Asia"], await RegionsAsync(b));
        }
        // Prepared (extended protocol) as well.
        await using var cmd = new NpgsqlCommand("SELECT count(*) FROM mkt_sls_table WHERE region <> $1", b);
        cmd.Parameters.AddWithValue("Asia");
        await cmd.PrepareAsync();
        Assert.Equal(0L, (long)(await cmd.ExecuteScalarAsync())!);
    }

    [Fact]
    public async Task A_missing_claim_fails_closed_with_a_clear_error()
    {
        var (project, group) = await ProjectWithFilterAsync("region = current_user_claim('region')");
        var user = IdentityGateway.NewUser("noclaim");
        await using var connection = await gateway.OpenWithTokenAsync(user, Token(user, group), project);
        var e = await Assert.ThrowsAsync<PostgresException>(() => RegionsAsync(connection));
        Assert.Equal("42501", e.SqlState);
        Assert.Contains("claim \"region\"", e.MessageText);
        // The session stays usable.
        Assert.Equal(1, (int)(await IdentityGateway.RowsAsync(connection, "SELECT 1"))[0][0]!);
    }

    [Fact]
    public async Task A_filter_that_would_match_all_on_a_missing_claim_still_fails_closed()
    {
        // With NULL in place of a missing claim this filter would let every row through.
        var (project, group) = await ProjectWithFilterAsync("current_user_claim('clearance') IS NULL OR region = 'Europe'");
        var user = IdentityGateway.NewUser("isnull");
        await using var connection = await gateway.OpenWithTokenAsync(user, Token(user, group), project);
        var e = await Assert.ThrowsAsync<PostgresException>(() => RegionsAsync(connection));
        Assert.Equal("42501", e.SqlState);
    }

    [Fact]
    public async Task Claim_values_are_quoted_as_literals_and_cannot_inject_sql()
    {
        var (project, group) = await ProjectWithFilterAsync("region = current_user_claim('region')");
        var quote = IdentityGateway.NewUser("quote");
        await using (var a = await gateway.OpenWithTokenAsync(quote, Token(quote, group, new() { ["region"] = "Eur'ope" }), project))
            Assert.Empty(await RegionsAsync(a));
        var inject = IdentityGateway.NewUser("inject");
        await using (var b = await gateway.OpenWithTokenAsync(inject, Token(inject, group, new() { ["region"] = "x' OR '1'='1" }), project))
            Assert.Empty(await RegionsAsync(b));
        var backslash = IdentityGateway.NewUser("bslash");
        await using (var c = await gateway.OpenWithTokenAsync(backslash, Token(backslash, group, new() { ["region"] = "Europe\\' OR true --" }), project))
            Assert.Empty(await RegionsAsync(c));
    }

    [Fact]
    public async Task Group_membership_in_a_filter_comes_from_the_token()
    {
        var n = Guid.NewGuid().ToString("N")[..6];
        var (project, group) = await ProjectWithFilterAsync($"current_user_in_group('emea_{n}') AND region = 'Europe' OR region = 'Asia'");
        var member = IdentityGateway.NewUser("emea");
        var outsider = IdentityGateway.NewUser("outs");
        await using var a = await gateway.OpenWithTokenAsync(member, Token(member, group, moreGroups: [$"emea_{n}"]), project);
        await using var b = await gateway.OpenWithTokenAsync(outsider, Token(outsider, group), project);
        Assert.Equal(["Asia", "Europe"], await RegionsAsync(a));
        Assert.Equal(["Asia"], await RegionsAsync(b));
    }

    [Fact]
    public async Task Current_user_name_in_a_filter_is_the_mapped_user()
    {
        var user = IdentityGateway.NewUser("self");
        var (project, group) = await ProjectWithFilterAsync($"current_user_name() = '{user}' AND region = 'Europe'");
        var other = IdentityGateway.NewUser("notself");
        await using var a = await gateway.OpenWithTokenAsync(user, Token(user, group), project);
        await using var b = await gateway.OpenWithTokenAsync(other, Token(other, group), project);
        Assert.Equal(["Europe"], await RegionsAsync(a));
        Assert.Empty(await RegionsAsync(b));
    }

    [Theory]
    [InlineData("region = current_user_claim(region)", "42601")]
    [InlineData("region = current_user_claim('a', 'b')", "42601")]
    [InlineData("region = current_user_name('x')", "42601")]
    [InlineData("region = main.current_user_name()", "42601")]
    [InlineData("region = current_user_claim(E'region')", "42601")]
    [InlineData("region = current_user_claim('')", "42601")]
    [InlineData("region = current_user_nam()", "42501")]
    [InlineData("current_user_claim('region')", "42804")]
    public async Task Malformed_identity_filters_are_refused_at_approval(string filter, string sqlState)
    {
        var n = Guid.NewGuid().ToString("N")[..8];
        var project = "idv_" + n;
        await gateway.AdminAsync("carol", $"CREATE PROJECT {project} ACCOUNT acct_research PROFILE sql_analytics");
        var requested = await gateway.AdminAsync("carol",
            $"REQUEST SUBSCRIPTION TO marketing.mkt_sls_table FOR PROJECT {project} JUSTIFICATION 'validation'");
        var id = Convert.ToInt64(requested[0][0], CultureInfo.InvariantCulture);
        var e = await Assert.ThrowsAsync<PostgresException>(() => gateway.AdminAsync("alice", $"APPROVE SUBSCRIPTION {id} WITH ROW FILTER ({filter})"));
        Assert.Equal(sqlState, e.SqlState);
    }
}
