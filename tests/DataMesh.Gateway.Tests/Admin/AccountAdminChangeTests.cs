namespace DataMesh.Gateway.Tests.Admin;

/// <summary>ALTER ACCOUNT … ADMIN, and the ownership rules that keep projects manageable.</summary>
[Collection(AdminCollection.Name)]
public sealed class AccountAdminChangeTests(AdminGatewayFixture fixture)
{
    [Fact]
    public async Task Account_admin_can_be_replaced_and_then_dropped()
    {
        var account = AdminSql.Unique("acct");
        var oldAdmin = AdminSql.Unique("old");
        var newAdmin = AdminSql.Unique("new");
        await using var carol = await fixture.OpenAsync("carol");
        await carol.ExecAsync($"CREATE USER {oldAdmin} PASSWORD 'x'");
        await carol.ExecAsync($"CREATE USER {newAdmin} PASSWORD 'y'");
        await carol.ExecAsync($"ASSOCIATE ACCOUNT {account} LOCATION {AdminSql.Quote(AdminSql.NewTempDirectory("acct"))} ADMIN {oldAdmin}");

        var blocked = await carol.FailsAsync($"DROP USER {oldAdmin}", "55000");
        Assert.Contains("ALTER ACCOUNT", blocked.Hint);

        await using (var alice = await fixture.OpenAsync("alice"))
            await alice.FailsAsync($"ALTER ACCOUNT {account} ADMIN {newAdmin}", "42501");
        await carol.FailsAsync($"ALTER ACCOUNT {account} ADMIN nobody_{account}", "42704");
        await carol.FailsAsync($"ALTER ACCOUNT no_{account} ADMIN {newAdmin}", "42704");

        var changed = await carol.QueryAsync($"ALTER ACCOUNT {account} ADMIN {newAdmin}");
        Assert.Equal([account, newAdmin], changed.Rows.Single());
        Assert.Equal(newAdmin, (await carol.QueryAsync("SHOW ACCOUNTS")).Single("account", account)["admin"]);
        await carol.ExecAsync($"DROP USER {oldAdmin}");
    }

    [Fact]
    public async Task Account_admin_who_creates_a_project_owns_it_and_the_only_owner_cannot_be_dropped()
    {
        var account = AdminSql.Unique("acct");
        var admin = AdminSql.Unique("aadm");
        var project = AdminSql.Unique("proj");
        await using var carol = await fixture.OpenAsync("carol");
        await carol.ExecAsync($"CREATE USER {admin} PASSWORD '{admin}'");
        await carol.ExecAsync($"ASSOCIATE ACCOUNT {account} LOCATION {AdminSql.Quote(AdminSql.NewTempDirectory("acct"))} ADMIN {admin}");
        await carol.ExecAsync($"CREATE PROJECT PROFILE pp_{project} BLUEPRINTS (query_limits)");
        await using (var accountAdmin = await fixture.OpenAsync(admin))
        {
            await accountAdmin.ExecAsync($"ACCEPT ACCOUNT {account}");
            await accountAdmin.ExecAsync($"CREATE PROJECT {project} ACCOUNT {account} PROFILE pp_{project}");
            var members = await accountAdmin.QueryAsync($"SHOW MEMBERS OF PROJECT {project}");
            Assert.Equal([admin, "user", "owner"], members.Rows.Single());
            await accountAdmin.ExecAsync($"ADD MEMBER bob TO PROJECT {project} AS VIEWER"); // the owner manages members
        }
        await carol.ExecAsync($"ALTER ACCOUNT {account} ADMIN carol");
        var onlyOwner = await carol.FailsAsync($"DROP USER {admin}", "55000");
        Assert.Contains(project, onlyOwner.Message);
        await carol.ExecAsync($"ADD MEMBER alice TO PROJECT {project} AS OWNER");
        await carol.ExecAsync($"DROP USER {admin}");
        Assert.DoesNotContain(admin, (await carol.QueryAsync($"SHOW MEMBERS OF PROJECT {project}")).Column("member"));
    }
}
