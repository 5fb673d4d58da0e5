namespace DataMesh.Gateway.Tests.Admin;

/// <summary>Each permission rule with a role that is allowed and one that is refused (42501 naming the missing role).</summary>
[Collection(AdminCollection.Name)]
public sealed class AdminPermissionTests(AdminGatewayFixture fixture)
{
    public static TheoryData<string> DomainAdminOnly => new()
    {
        "CREATE USER perm_zz PASSWORD 'p'",
        "ALTER USER bob PASSWORD 'hijacked'",
        "DROP USER dave",
        "GRANT DOMAIN ADMIN TO alice",
        "REVOKE DOMAIN ADMIN FROM carol",
        "CREATE GROUP perm_zz",
        "DROP GROUP analysts",
        "ALTER GROUP analysts ADD USER alice",
        "ALTER GROUP analysts DROP USER bob",
        "ASSOCIATE ACCOUNT perm_zz LOCATION '/tmp/datamesh-tests/perm_zz' ADMIN alice",
        "CREATE BLUEPRINT perm_zz AS (workspace)",
        "CREATE PROJECT PROFILE perm_zz BLUEPRINTS (workspace)",
        "CREATE GLOSSARY TERM 'perm zz'",
        "ALTER DOMAIN RENAME TO perm_zz",
    };

    [Theory]
    [MemberData(nameof(DomainAdminOnly))]
    public async Task Domain_admin_commands_are_refused_to_alice(string sql)
    {
        await using var alice = await fixture.OpenAsync("alice");
        var e = await alice.FailsAsync(sql, "42501");
        Assert.Contains("permission denied", e.MessageText);
        Assert.Contains("domain admin role is required", e.MessageText);

        // Nothing changed.
        await using var carol = await fixture.OpenAsync("carol");
        var users = await carol.QueryAsync("SHOW USERS");
        Assert.Equal(false, users.Single("user", "alice")["domain_admin"]);
        Assert.Equal(true, users.Single("user", "carol")["domain_admin"]);
        Assert.Single(users.RowsWhere("user", "dave"));
        Assert.Empty(users.RowsWhere("user", "perm_zz"));
        Assert.Equal("bob", (await carol.QueryAsync("SHOW GROUPS")).Single("group", "analysts")["members"]);
        Assert.Empty((await carol.QueryAsync("SHOW ACCOUNTS")).RowsWhere("account", "perm_zz"));
        Assert.Empty((await carol.QueryAsync("SHOW BLUEPRINTS")).RowsWhere("blueprint", "perm_zz"));
        Assert.Empty((await carol.QueryAsync("SHOW PROJECT PROFILES")).RowsWhere("profile", "perm_zz"));
        Assert.Empty((await carol.QueryAsync("SHOW GLOSSARY")).RowsWhere("term", "perm zz"));
        Assert.NotEqual("perm_zz", (await carol.QueryAsync("SHOW DOMAIN")).Get(0, "domain"));
    }

    [Fact]
    public async Task Create_project_needs_domain_admin_or_the_account_admin()
    {
        var denied = AdminSql.Unique("pdenied");
        var allowed = AdminSql.Unique("pallowed");
        await using var alice = await fixture.OpenAsync("alice");
        var e = await alice.FailsAsync($"CREATE PROJECT {denied} ACCOUNT acct_research PROFILE sql_analytics", "42501");
        Assert.Contains("domain admin or account admin role is required", e.MessageText);
        Assert.Empty((await alice.QueryAsync("SHOW PROJECTS")).RowsWhere("project", denied));

        // alice administers acct_marketing.
        await alice.ExecAsync($"CREATE PROJECT {allowed} ACCOUNT acct_marketing PROFILE sql_analytics");
        Assert.Single((await alice.QueryAsync("SHOW PROJECTS")).RowsWhere("project", allowed));
    }

    [Fact]
    public async Task Accept_account_only_by_its_admin_or_a_domain_admin()
    {
        var admin = AdminSql.Unique("acadm");
        var account = AdminSql.Unique("acacct");
        var other = AdminSql.Unique("acacct");
        await using var carol = await fixture.OpenAsync("carol");
        await carol.ExecAsync($"CREATE USER {admin} PASSWORD '{admin}'");
        await carol.ExecAsync($"ASSOCIATE ACCOUNT {account} LOCATION {AdminSql.Quote(AdminSql.NewTempDirectory("acc"))} ADMIN {admin}");
        await carol.ExecAsync($"ASSOCIATE ACCOUNT {other} LOCATION {AdminSql.Quote(AdminSql.NewTempDirectory("acc"))} ADMIN {admin}");

        await using var alice = await fixture.OpenAsync("alice");
        var e = await alice.FailsAsync($"ACCEPT ACCOUNT {account}", "42501");
        Assert.Contains($"account admin ({admin})", e.MessageText);
        Assert.Equal("proposed", (await carol.QueryAsync("SHOW ACCOUNTS")).Single("account", account)["status"]);

        await using (var accountAdmin = await fixture.OpenAsync(admin)) await accountAdmin.ExecAsync($"ACCEPT ACCOUNT {account}");
        await carol.ExecAsync($"ACCEPT ACCOUNT {other}");
        var accounts = await carol.QueryAsync("SHOW ACCOUNTS");
        Assert.Equal("accepted", accounts.Single("account", account)["status"]);
        Assert.Equal("accepted", accounts.Single("account", other)["status"]);
    }

    [Fact]
    public async Task Member_management_needs_the_owner_role()
    {
        var s = await Scenario.CreateAsync(fixture, publish: false);
        await using var contributor = await fixture.OpenAsync(s.ProducerContributor);
        var e = await contributor.FailsAsync($"ADD MEMBER {s.Outsider} TO PROJECT {s.Producer} AS VIEWER", "42501");
        Assert.Contains($"the owner role in project \"{s.Producer}\" is required", e.MessageText);
        await contributor.FailsAsync($"REMOVE MEMBER {s.ProducerViewer} FROM PROJECT {s.Producer}", "42501");
        await contributor.FailsAsync($"ADD MEMBER {s.ProducerContributor} TO PROJECT {s.Producer} AS OWNER", "42501");

        await using var bob = await fixture.OpenAsync("bob");
        await bob.FailsAsync("ADD MEMBER dave TO PROJECT ml_research AS VIEWER", "42501");

        await using var owner = await fixture.OpenAsync(s.Owner);
        await owner.ExecAsync($"ADD MEMBER {s.Outsider} TO PROJECT {s.Producer} AS VIEWER");
        await owner.ExecAsync($"REMOVE MEMBER {s.ProducerViewer} FROM PROJECT {s.Producer}");
        var members = await owner.QueryAsync($"SHOW MEMBERS OF PROJECT {s.Producer}");
        Assert.Equal("viewer", members.Single("member", s.Outsider)["role"]);
        Assert.Empty(members.RowsWhere("member", s.ProducerViewer));
        Assert.Equal("contributor", members.Single("member", s.ProducerContributor)["role"]);
    }

    [Fact]
    public async Task Asset_changes_need_the_contributor_role()
    {
        var s = await Scenario.CreateAsync(fixture, publish: false);
        await using var viewer = await fixture.OpenAsync(s.ProducerViewer);
        var e = await viewer.FailsAsync($"CREATE ASSET {s.Producer}.by_viewer FROM 'data/sales.parquet'", "42501");
        Assert.Contains($"the contributor or owner role in project \"{s.Producer}\" is required", e.MessageText);
        e = await viewer.FailsAsync($"PUBLISH ASSET {s.AssetName}", "42501");
        Assert.Contains("contributor or owner role", e.MessageText);
        await viewer.FailsAsync($"ALTER ASSET {s.AssetName} SET DESCRIPTION 'by viewer'", "42501");
        await using var outsider = await fixture.OpenAsync(s.Outsider);
        await outsider.FailsAsync($"CREATE ASSET {s.Producer}.by_outsider FROM 'data/sales.parquet'", "42501");
        await using var consumerContributor = await fixture.OpenAsync(s.Contributor);
        await consumerContributor.FailsAsync($"PUBLISH ASSET {s.AssetName}", "42501");

        await using var contributor = await fixture.OpenAsync(s.ProducerContributor);
        await contributor.ExecAsync($"CREATE ASSET {s.Producer}.by_contributor FROM 'data/sales.parquet'");
        Assert.Equal(1L, (await contributor.QueryAsync($"PUBLISH ASSET {s.Producer}.by_contributor")).Get(0, "revision"));
        Assert.Equal(1L, (await contributor.QueryAsync($"PUBLISH ASSET {s.AssetName}")).Get(0, "revision"));
        await contributor.ExecAsync($"UNPUBLISH ASSET {s.AssetName}");
        await viewer.FailsAsync($"UNPUBLISH ASSET {s.Producer}.by_contributor", "42501");
        var assets = await contributor.QueryAsync($"SHOW ASSETS IN PROJECT {s.Producer}");
        Assert.Equal("published", assets.Single("asset", "by_contributor")["status"]);
        Assert.Equal("inventory", assets.Single("asset", "sales")["status"]);
        Assert.Empty(assets.RowsWhere("asset", "by_viewer"));
    }

    [Fact]
    public async Task Request_subscription_needs_contributor_in_the_consumer_project()
    {
        var s = await Scenario.CreateAsync(fixture);
        await using var viewer = await fixture.OpenAsync(s.Viewer);
        var e = await viewer.FailsAsync($"REQUEST SUBSCRIPTION TO {s.AssetName} FOR PROJECT {s.Consumer} JUSTIFICATION 'j'", "42501");
        Assert.Contains($"the contributor or owner role in project \"{s.Consumer}\" is required", e.MessageText);
        await using var outsider = await fixture.OpenAsync(s.Outsider);
        await outsider.FailsAsync($"REQUEST SUBSCRIPTION TO {s.AssetName} FOR PROJECT {s.Consumer} JUSTIFICATION 'j'", "42501");
        await using (var carol = await fixture.OpenAsync("carol"))
            Assert.Empty((await carol.QueryAsync($"SHOW SUBSCRIPTIONS FOR PROJECT {s.Consumer}")).Rows);

        var id = await s.RequestAsync(fixture);
        Assert.Equal("pending", await s.StatusAsync(fixture, id));
    }

    [Fact]
    public async Task Decisions_need_the_owner_role_of_the_asset_project()
    {
        var s = await Scenario.CreateAsync(fixture);
        await using var carol = await fixture.OpenAsync("carol");
        await carol.ExecAsync($"ADD MEMBER bob TO PROJECT {s.Consumer} AS OWNER"); // bob owns the consumer, not the producer
        var id = await s.RequestAsync(fixture);
        foreach (var user in new[] { "bob", s.ProducerContributor, s.ProducerViewer, s.Contributor })
        {
            await using var c = await fixture.OpenAsync(user);
            var e = await c.FailsAsync($"APPROVE SUBSCRIPTION {id}", "42501");
            Assert.Contains($"the owner role in project \"{s.Producer}\" is required", e.MessageText);
            await c.FailsAsync($"REJECT SUBSCRIPTION {id}", "42501");
        }
        Assert.Equal("pending", await s.StatusAsync(fixture, id));

        await using var owner = await fixture.OpenAsync(s.Owner);
        await owner.ExecAsync($"APPROVE SUBSCRIPTION {id}");
        await using (var bob = await fixture.OpenAsync("bob"))
        {
            var e = await bob.FailsAsync($"REVOKE SUBSCRIPTION {id}", "42501");
            Assert.Contains($"the owner role in project \"{s.Producer}\" is required", e.MessageText);
        }
        Assert.Equal("approved", await s.StatusAsync(fixture, id));
        await owner.ExecAsync($"REVOKE SUBSCRIPTION {id}");
        Assert.Equal("revoked", await s.StatusAsync(fixture, id));

        var second = await s.RequestAsync(fixture);
        await owner.ExecAsync($"REJECT SUBSCRIPTION {second}");
        Assert.Equal("rejected", await s.StatusAsync(fixture, second));
    }

    [Fact]
    public async Task Users_may_change_their_own_password_but_not_anothers()
    {
        var s = await Scenario.CreateAsync(fixture, publish: false);
        await using (var self = await fixture.OpenAsync(s.Outsider))
        {
            await self.ExecAsync($"ALTER USER {s.Outsider} PASSWORD 'my-new-password'");
            var e = await self.FailsAsync($"ALTER USER {s.Viewer} PASSWORD 'stolen'", "42501");
            Assert.Contains("change another user's password: the domain admin role is required", e.MessageText);
        }
        await using (var again = await fixture.OpenAsync(s.Outsider, "my-new-password")) Assert.Equal(System.Data.ConnectionState.Open, again.State);
        await Assert.ThrowsAsync<Npgsql.PostgresException>(() => fixture.OpenAsync(s.Outsider, s.Outsider));
        // The other user's password is unchanged.
        await using (var viewer = await fixture.OpenAsync(s.Viewer)) Assert.Equal(System.Data.ConnectionState.Open, viewer.State);
        await Assert.ThrowsAsync<Npgsql.PostgresException>(() => fixture.OpenAsync(s.Viewer, "stolen"));
    }
}
