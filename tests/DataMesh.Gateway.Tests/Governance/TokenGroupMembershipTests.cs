using DataMesh.Gateway.Tests.Identity;
using Npgsql;

namespace DataMesh.Gateway.Tests.Governance;

/// <summary>
/// A session that got its project role from a group in its identity token (never stored as a membership) loses it at
/// its next statement when the group leaves the project, or keeps a lower role when the group's role drops, exactly as
/// catalog memberships do (<see cref="MembershipTests"/>). Real TLS token sign-ins.
/// </summary>
[Collection(IdentityCollection.Name)]
public sealed class TokenGroupMembershipTests(IdentityGateway gateway)
{
    [Fact]
    [Adversarial(AttackClass.Membership)]
    public async Task The_token_groups_project_membership_removed_or_lowered_reaches_the_open_session()
    {
        var n = Guid.NewGuid().ToString("N")[..8];
        var project = "tgm_" + n;
        var group = "tgg_" + n;
        await gateway.AdminAsync("carol", $"CREATE PROJECT {project} ACCOUNT acct_research PROFILE sql_analytics");
        await gateway.AdminAsync("carol", $"CREATE GROUP {group}");
        await gateway.AdminAsync("carol", $"ADD MEMBER GROUP {group} TO PROJECT {project} AS CONTRIBUTOR");
        var user = IdentityGateway.NewUser("tgm");
        await using var session = await gateway.OpenWithTokenAsync(user, gateway.Primary.Mint(user, [group]), project);
        await IdentityGateway.RowsAsync(session, "CREATE TABLE workspace.t AS SELECT 1 AS x"); // the probe: a contributor writes

        await gateway.AdminAsync("carol", $"ADD MEMBER GROUP {group} TO PROJECT {project} AS VIEWER");
        var write = await Assert.ThrowsAsync<PostgresException>(() => IdentityGateway.RowsAsync(session, "INSERT INTO workspace.t SELECT 2"));
        Assert.Equal("42501", write.SqlState);
        Assert.Contains("viewers may only read it", write.MessageText);
        Assert.Equal(1L, (await IdentityGateway.RowsAsync(session, "SELECT count(*) FROM workspace.t"))[0][0]);

        await gateway.AdminAsync("carol", $"REMOVE MEMBER GROUP {group} FROM PROJECT {project}");
        var e = await Assert.ThrowsAsync<PostgresException>(() => IdentityGateway.RowsAsync(session, "SELECT count(*) FROM workspace.t"));
        Assert.Equal(("42501", $"permission denied for database \"{project}\""), (e.SqlState, e.MessageText));
    }
}
