using DataMesh.Gateway.Tests.Infrastructure;
using Npgsql;

namespace DataMesh.Gateway.Tests.Governance;

/// <summary>
/// A membership change reaches every open session of the user at its next statement, as a revoked grant does: REMOVE
/// MEMBER, a role downgrade, a group losing the user or the project, DROP USER. Each test first shows the open session
/// can do the thing (the probe), then changes the catalog from another connection, then tries again on the same one.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class MembershipTests(GatewayFixture gateway)
{
    private Task<List<object?[]>> Carol(string sql) => GrantScenario.AdminAsync(gateway, "carol", sql);

    private static async Task<PostgresException> RefusedAsync(GovernedSession s, string sql)
    {
        var (error, rows) = await s.TryAsync(sql);
        Assert.True(error is not null, $"[{sql}] still ran ({rows.Count} rows) after the membership was gone");
        return error;
    }

    private static void AssertNoLongerMember(PostgresException e, string user, string project)
    {
        Assert.Equal(("ERROR", "42501", $"permission denied for database \"{project}\""), (e.Severity, e.SqlState, e.MessageText));
        Assert.Equal($"Ask an owner of the project to run: ADD MEMBER {user} TO PROJECT {project} AS VIEWER; or connect to database \"postgres\".", e.Hint);
    }

    [Fact]
    [Adversarial(AttackClass.Membership)]
    public async Task Removing_a_member_refuses_the_next_statement_of_their_open_session_on_both_protocols()
    {
        var scenario = await GrantScenario.CreateAsync(gateway, "rm");
        await using var s = await scenario.OpenAsync();
        await s.RowsAsync("CREATE TABLE workspace.mine AS SELECT 1 AS x");
        await using var prepared = new NpgsqlCommand("SELECT count(*) FROM workspace.mine", s.Connection);
        await prepared.PrepareAsync();
        Assert.Equal(1L, await prepared.ExecuteScalarAsync()); // the probe: the open session reads its workspace

        await Carol($"REMOVE MEMBER {scenario.User} FROM PROJECT {scenario.Project}");

        AssertNoLongerMember(await RefusedAsync(s, "SELECT count(*) FROM workspace.mine"), scenario.User, scenario.Project);
        var e = await Assert.ThrowsAsync<PostgresException>(() => prepared.ExecuteScalarAsync()); // Bind/Execute of a statement prepared before
        AssertNoLongerMember(e, scenario.User, scenario.Project);
        AssertNoLongerMember(await RefusedAsync(s, "INSERT INTO workspace.mine SELECT 2"), scenario.User, scenario.Project);
        AssertNoLongerMember(await RefusedAsync(s, "SELECT 1"), scenario.User, scenario.Project);
        Assert.Equal(System.Data.ConnectionState.Open, s.Connection.State); // an ERROR, as for a revoked grant: the session stays

        // Re-added (as a viewer), the same session runs again with the new role.
        await Carol($"ADD MEMBER {scenario.User} TO PROJECT {scenario.Project} AS VIEWER");
        Assert.Equal(1L, await s.CountAsync("SELECT count(*) FROM workspace.mine"));
        Assert.Contains("viewers may only read", (await s.ErrorAsync("INSERT INTO workspace.mine SELECT 2", "42501")).MessageText);
    }

    [Theory]
    [Adversarial(AttackClass.Membership)]
    [InlineData("CONTRIBUTOR")]
    [InlineData("OWNER")]
    public async Task A_downgrade_to_viewer_takes_workspace_writes_and_owner_commands_away_from_the_open_session(string from)
    {
        var scenario = await GrantScenario.CreateAsync(gateway, "down");
        await Carol($"ADD MEMBER {scenario.User} TO PROJECT {scenario.Project} AS {from}");
        var other = "o_" + scenario.Project;
        await Carol($"CREATE USER {other} PASSWORD 'other_pw'");
        await using var s = await scenario.OpenAsync();
        await s.RowsAsync("CREATE TABLE workspace.t AS SELECT 1 AS x");
        if (from == "OWNER") await s.RowsAsync($"ADD MEMBER {other} TO PROJECT {scenario.Project} AS VIEWER"); // the probe

        await Carol($"ADD MEMBER {scenario.User} TO PROJECT {scenario.Project} AS VIEWER");

        var write = await s.ErrorAsync("INSERT INTO workspace.t SELECT 2", "42501");
        Assert.Contains("needs the contributor or owner role; viewers may only read it", write.MessageText);
        await s.ErrorAsync("DROP TABLE workspace.t", "42501");
        await s.ErrorAsync($"ADD MEMBER {other} TO PROJECT {scenario.Project} AS OWNER", "42501");
        Assert.Equal(1L, await s.CountAsync("SELECT count(*) FROM workspace.t")); // a viewer still reads
    }

    [Fact]
    [Adversarial(AttackClass.Membership)]
    public async Task Losing_the_group_that_gave_the_membership_refuses_the_next_statement()
    {
        var scenario = await GrantScenario.CreateAsync(gateway, "grp");
        var group = "g_" + scenario.Project;
        var member = "m_" + scenario.Project;
        await Carol($"CREATE GROUP {group}");
        await Carol($"CREATE USER {member} PASSWORD 'member_pw'");
        await Carol($"ALTER GROUP {group} ADD USER {member}");
        await Carol($"ADD MEMBER GROUP {group} TO PROJECT {scenario.Project} AS CONTRIBUTOR");
        await using var s = await GovernedSession.OpenAsync(gateway, member, scenario.Project, "member_pw");
        Assert.Equal(1L, await s.CountAsync("SELECT 1")); // the probe

        await Carol($"ALTER GROUP {group} DROP USER {member}");
        AssertNoLongerMember(await RefusedAsync(s, "SELECT 1"), member, scenario.Project);

        await Carol($"ALTER GROUP {group} ADD USER {member}");
        Assert.Equal(1L, await s.CountAsync("SELECT 1"));
        await Carol($"REMOVE MEMBER GROUP {group} FROM PROJECT {scenario.Project}");
        AssertNoLongerMember(await RefusedAsync(s, "SELECT 1"), member, scenario.Project);
    }

    [Fact]
    [Adversarial(AttackClass.Membership)]
    public async Task Dropping_the_user_ends_every_open_session_even_if_the_name_is_taken_again()
    {
        var scenario = await GrantScenario.CreateAsync(gateway, "drop");
        await using var project = await scenario.OpenAsync();
        await using var home = await GovernedSession.OpenAsync(gateway, scenario.User, "postgres", scenario.Password);
        Assert.Equal(1L, await project.CountAsync("SELECT 1")); // the probe, in both
        Assert.Equal(1L, await home.CountAsync("SELECT 1"));

        await Carol($"DROP USER {scenario.User}");
        await Carol($"CREATE USER {scenario.User} PASSWORD 'someone_else'");
        await Carol($"ADD MEMBER {scenario.User} TO PROJECT {scenario.Project} AS OWNER");

        foreach (var s in new[] { project, home })
        {
            var e = await RefusedAsync(s, "SELECT 1");
            Assert.Equal(("FATAL", "42501", $"terminating connection because user \"{scenario.User}\" no longer exists"), (e.Severity, e.SqlState, e.MessageText));
            Assert.NotEqual(System.Data.ConnectionState.Open, s.Connection.State);
        }
    }
}
