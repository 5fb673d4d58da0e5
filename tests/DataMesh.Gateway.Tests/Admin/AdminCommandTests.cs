using Npgsql;

namespace DataMesh.Gateway.Tests.Admin;

/// <summary>Every admin command over the wire with Npgsql: what it changes and what it returns.</summary>
[Collection(AdminCollection.Name)]
public sealed partial class AdminCommandTests(AdminGatewayFixture fixture)
{
    [Fact]
    public async Task Demo_catalog_is_in_place()
    {
        await using var carol = await fixture.OpenAsync("carol");
        var users = await carol.QueryAsync("SHOW USERS");
        Assert.Equal(["user", "domain_admin", "source", "groups", "created_at"], users.Columns);
        Assert.Equal(true, users.Single("user", "carol")["domain_admin"]);
        Assert.Equal(false, users.Single("user", "alice")["domain_admin"]);
        Assert.Equal("analysts", users.Single("user", "bob")["groups"]);
        var projects = await carol.QueryAsync("SHOW PROJECTS");
        Assert.Equal("data_producer", projects.Single("project", "marketing")["profile"]);
    }

    [Fact]
    public async Task Create_alter_drop_user()
    {
        var name = AdminSql.Unique("u");
        await using var carol = await fixture.OpenAsync("carol");
        await carol.ExecAsync($"CREATE USER {name} PASSWORD 'first-pw'");
        var users = await carol.QueryAsync("SHOW USERS");
        var row = users.Single("user", name);
        Assert.Equal(false, row["domain_admin"]);
        Assert.Equal("local", row["source"]);
        Assert.Equal("", row["groups"]);
        Assert.Matches(@"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\+00$", (string)row["created_at"]!);
        Assert.Equal($"SELECT {users.Count}", users.Tag);

        await using (var user = await fixture.OpenAsync(name, "first-pw")) Assert.Equal(System.Data.ConnectionState.Open, user.State);

        await carol.ExecAsync($"ALTER USER {name} WITH PASSWORD 'second-pw'");
        await Assert.ThrowsAsync<PostgresException>(() => fixture.OpenAsync(name, "first-pw"));
        await using (var user = await fixture.OpenAsync(name, "second-pw")) Assert.Equal(System.Data.ConnectionState.Open, user.State);

        await carol.ExecAsync($"DROP USER {name}");
        Assert.Empty((await carol.QueryAsync("SHOW USERS")).RowsWhere("user", name));
        await carol.FailsAsync($"DROP USER {name}", "42704");
    }

    [Fact]
    public async Task Grant_and_revoke_domain_admin()
    {
        var name = AdminSql.Unique("adm");
        await using var carol = await fixture.OpenAsync("carol");
        await carol.ExecAsync($"CREATE USER {name} PASSWORD '{name}'");
        await carol.ExecAsync($"GRANT DOMAIN ADMIN TO {name}");
        Assert.Equal(true, (await carol.QueryAsync("SHOW USERS")).Single("user", name)["domain_admin"]);

        // The new domain admin can now do domain-admin things.
        await using (var admin = await fixture.OpenAsync(name)) await admin.ExecAsync($"CREATE GROUP g_{name}");

        await carol.ExecAsync($"REVOKE DOMAIN ADMIN FROM {name}");
        Assert.Equal(false, (await carol.QueryAsync("SHOW USERS")).Single("user", name)["domain_admin"]);
        await using (var former = await fixture.OpenAsync(name)) await former.FailsAsync($"CREATE GROUP g2_{name}", "42501");
    }

    [Fact]
    public async Task Groups_create_alter_show_drop()
    {
        var group = AdminSql.Unique("grp");
        var u1 = AdminSql.Unique("gu");
        var u2 = AdminSql.Unique("gu");
        await using var carol = await fixture.OpenAsync("carol");
        await carol.ExecAsync($"CREATE USER {u1} PASSWORD 'x'");
        await carol.ExecAsync($"CREATE USER {u2} PASSWORD 'x'");
        await carol.ExecAsync($"CREATE GROUP {group}");
        var groups = await carol.QueryAsync("SHOW GROUPS");
        Assert.Equal(["group", "members", "created_at"], groups.Columns);
        Assert.Equal("", groups.Single("group", group)["members"]);

        await carol.ExecAsync($"ALTER GROUP {group} ADD USER {u1}");
        await carol.ExecAsync($"ALTER GROUP {group} ADD USER {u2}");
        var members = ((string)(await carol.QueryAsync("SHOW GROUPS")).Single("group", group)["members"]!).Split(", ").Order().ToArray();
        Assert.Equal(new[] { u1, u2 }.Order().ToArray(), members);
        Assert.Equal(group, (await carol.QueryAsync("SHOW USERS")).Single("user", u1)["groups"]);
        await carol.FailsAsync($"ALTER GROUP {group} ADD USER {u1}", "42710");

        await carol.ExecAsync($"ALTER GROUP {group} DROP USER {u1}");
        Assert.Equal(u2, (await carol.QueryAsync("SHOW GROUPS")).Single("group", group)["members"]);
        await carol.FailsAsync($"ALTER GROUP {group} DROP USER {u1}", "42704");

        await carol.ExecAsync($"DROP GROUP {group}");
        Assert.Empty((await carol.QueryAsync("SHOW GROUPS")).RowsWhere("group", group));
    }

    [Fact]
    public async Task Associate_accept_and_show_accounts()
    {
        var account = AdminSql.Unique("acct");
        var admin = AdminSql.Unique("aadm");
        var root = AdminSql.NewTempDirectory("loc");
        var location = Path.Combine(root, "nested", "dir"); // created by ASSOCIATE ACCOUNT
        await using var carol = await fixture.OpenAsync("carol");
        await carol.ExecAsync($"CREATE USER {admin} PASSWORD '{admin}'");

        var associated = await carol.QueryAsync($"ASSOCIATE ACCOUNT {account} LOCATION {AdminSql.Quote(location)} ADMIN {admin}");
        Assert.Equal(["account", "status", "admin"], associated.Columns);
        Assert.Equal([account, "proposed", admin], associated.Rows.Single());
        Assert.True(Directory.Exists(location));

        var shown = (await carol.QueryAsync("SHOW ACCOUNTS")).Single("account", account);
        Assert.Equal("proposed", shown["status"]);
        Assert.Equal(location, shown["location"]);
        Assert.Equal("carol", shown["proposed_by"]);
        Assert.Null(shown["accepted_at"]);

        // Projects need an accepted account.
        await carol.ExecAsync($"CREATE PROJECT PROFILE pp_{account} BLUEPRINTS (query_limits)");
        var notAccepted = await carol.FailsAsync($"CREATE PROJECT p_{account} ACCOUNT {account} PROFILE pp_{account}", "55000");
        Assert.Contains("ACCEPT ACCOUNT", notAccepted.Hint);

        await using (var accountAdmin = await fixture.OpenAsync(admin))
        {
            var accepted = await accountAdmin.QueryAsync($"ACCEPT ACCOUNT {account}");
            Assert.Equal([account, "accepted"], accepted.Rows.Single());
            // The account admin sees the location; others (not domain admins) do not.
            Assert.Equal(location, (await accountAdmin.QueryAsync("SHOW ACCOUNTS")).Single("account", account)["location"]);
        }
        await using (var alice = await fixture.OpenAsync("alice"))
            Assert.Null((await alice.QueryAsync("SHOW ACCOUNTS")).Single("account", account)["location"]);

        shown = (await carol.QueryAsync("SHOW ACCOUNTS")).Single("account", account);
        Assert.Equal("accepted", shown["status"]);
        Assert.NotNull(shown["accepted_at"]);

        await carol.FailsAsync($"ASSOCIATE ACCOUNT {account}_rel LOCATION 'relative/dir' ADMIN {admin}", "22023");
    }

    [Fact]
    public async Task Show_blueprints_lists_built_ins()
    {
        await using var carol = await fixture.OpenAsync("carol");
        var blueprints = await carol.QueryAsync("SHOW BLUEPRINTS");
        Assert.Equal(["blueprint", "built_in", "description", "parameters"], blueprints.Columns);
        foreach (var name in new[] { "workspace", "producer_storage", "query_limits", "code_repository" })
            Assert.Equal(true, blueprints.Single("blueprint", name)["built_in"]);
        Assert.Equal("memory=2GB, threads=2, timeout=60s", blueprints.Single("blueprint", "query_limits")["parameters"]);
        Assert.Equal("branch=main", blueprints.Single("blueprint", "code_repository")["parameters"]);
    }

    [Fact]
    public async Task Create_blueprint_and_profile_then_show_them()
    {
        var blueprint = AdminSql.Unique("bp");
        var profile = AdminSql.Unique("prof");
        await using var carol = await fixture.OpenAsync("carol");
        await carol.ExecAsync($"CREATE BLUEPRINT {blueprint} AS (workspace, query_limits WITH (memory = '1GB'))");
        var row = (await carol.QueryAsync("SHOW BLUEPRINTS")).Single("blueprint", blueprint);
        Assert.Equal(false, row["built_in"]);
        Assert.Equal("workspace; query_limits(memory=1GB)", row["parameters"]);
        Assert.Equal("composed of workspace, query_limits", row["description"]);
        await carol.FailsAsync($"CREATE BLUEPRINT {blueprint} AS (workspace)", "42710");
        await carol.FailsAsync("CREATE BLUEPRINT workspace AS (workspace)", "42710");
        await carol.FailsAsync($"CREATE BLUEPRINT {blueprint}_bad AS (query_limits WITH (colour = 'red'))", "22023");

        await carol.ExecAsync($"CREATE PROJECT PROFILE {profile} BLUEPRINTS ({blueprint}, code_repository WITH (branch = 'trunk')) DESCRIPTION 'Test profile'");
        var profiles = await carol.QueryAsync("SHOW PROJECT PROFILES");
        Assert.Equal(["profile", "blueprints", "description"], profiles.Columns);
        var p = profiles.Single("profile", profile);
        Assert.Equal($"{blueprint}; code_repository(branch=trunk)", p["blueprints"]);
        Assert.Equal("Test profile", p["description"]);
        Assert.Single(profiles.RowsWhere("profile", "sql_analytics"));
        await carol.FailsAsync($"CREATE PROJECT PROFILE {profile} BLUEPRINTS (workspace)", "42710");
        var unknown = await carol.FailsAsync($"CREATE PROJECT PROFILE {profile}_x BLUEPRINTS (no_such_bp)", "42704");
        Assert.Contains("no_such_bp", unknown.MessageText);
    }

    [Fact]
    public async Task Create_project_provisions_workspace_and_bare_git_repository()
    {
        var s = await Scenario.CreateAsync(fixture, publish: false);
        var project = AdminSql.Unique("proj");
        var profile = AdminSql.Unique("prof");
        await using var carol = await fixture.OpenAsync("carol");
        await carol.ExecAsync($"CREATE PROJECT PROFILE {profile} BLUEPRINTS (workspace, query_limits WITH (memory = '1GB'), code_repository)");
        var created = await carol.QueryAsync($"CREATE PROJECT {project} ACCOUNT {s.Account} PROFILE {profile} DESCRIPTION 'Provisioned project'");
        Assert.Equal(["project", "account", "profile", "resources"], created.Columns);
        Assert.Equal(project, created.Get(0, "project"));
        Assert.Equal(s.Account, created.Get(0, "account"));
        Assert.Contains("memory_limit=1GB", (string)created.Get(0, "resources")!);

        var projectDir = Path.Combine(fixture.DataDirectory, "projects", project);
        Assert.True(File.Exists(Path.Combine(projectDir, "workspace.duckdb")), "workspace.duckdb was not created");

        var row = (await carol.QueryAsync("SHOW PROJECTS")).Single("project", project);
        Assert.Equal("Provisioned project", row["description"]);
        Assert.Equal(profile, row["profile"]);
        Assert.Equal(0L, row["members"]);
        var url = (string)row["code_repository"]!;
        Assert.StartsWith("file://", url);
        var repository = new Uri(url).LocalPath;
        Assert.True(Directory.Exists(repository));
        Assert.True(File.Exists(Path.Combine(repository, "HEAD")), "not a git repository: no HEAD");
        Assert.True(Directory.Exists(Path.Combine(repository, "objects")));
        Assert.False(Directory.Exists(Path.Combine(repository, ".git")), "not bare: has a .git directory");
        Assert.Matches(@"bare\s*=\s*true", File.ReadAllText(Path.Combine(repository, "config")));

        await carol.FailsAsync($"CREATE PROJECT {project} ACCOUNT {s.Account} PROFILE {profile}", "42710");
        await carol.FailsAsync($"CREATE PROJECT {project}_x ACCOUNT no_such_account PROFILE {profile}", "42704");
        await carol.FailsAsync($"CREATE PROJECT {project}_y ACCOUNT {s.Account} PROFILE no_such_profile", "42704");
    }

    [Fact]
    public async Task Members_add_show_remove()
    {
        var s = await Scenario.CreateAsync(fixture, publish: false);
        var group = AdminSql.Unique("mg");
        await using var carol = await fixture.OpenAsync("carol");
        await carol.ExecAsync($"CREATE GROUP {group}");
        await using var owner = await fixture.OpenAsync(s.Owner);

        var added = await owner.QueryAsync($"ADD MEMBER {s.Outsider} TO PROJECT {s.Producer} AS VIEWER");
        Assert.Equal(["project", "member", "kind", "role"], added.Columns);
        Assert.Equal([s.Producer, s.Outsider, "user", "viewer"], added.Rows.Single());
        var addedGroup = await owner.QueryAsync($"ADD MEMBER GROUP {group} TO PROJECT {s.Producer} AS CONTRIBUTOR");
        Assert.Equal([s.Producer, group, "group", "contributor"], addedGroup.Rows.Single());

        var members = await owner.QueryAsync($"SHOW MEMBERS OF PROJECT {s.Producer}");
        Assert.Equal(["member", "kind", "role"], members.Columns);
        Assert.Equal(["user", "owner"], members.Single("member", s.Owner).Values.Skip(1));
        Assert.Equal(["user", "viewer"], members.Single("member", s.Outsider).Values.Skip(1));
        Assert.Equal(["group", "contributor"], members.Single("member", group).Values.Skip(1));

        // Changing a role: ADD MEMBER again replaces it.
        await owner.ExecAsync($"ADD MEMBER {s.Outsider} TO PROJECT {s.Producer} AS CONTRIBUTOR");
        Assert.Equal("contributor", (await owner.QueryAsync($"SHOW MEMBERS OF PROJECT {s.Producer}")).Single("member", s.Outsider)["role"]);
        Assert.Equal("contributor", (await owner.QueryAsync("SHOW PROJECTS")).Single("project", s.Producer)["your_role"] is "owner" ? "contributor" : "x");

        await owner.ExecAsync($"REMOVE MEMBER {s.Outsider} FROM PROJECT {s.Producer}");
        await owner.ExecAsync($"REMOVE MEMBER GROUP {group} FROM PROJECT {s.Producer}");
        members = await owner.QueryAsync($"SHOW MEMBERS OF PROJECT {s.Producer}");
        Assert.Empty(members.RowsWhere("member", s.Outsider));
        Assert.Empty(members.RowsWhere("member", group));
        await owner.FailsAsync($"REMOVE MEMBER {s.Outsider} FROM PROJECT {s.Producer}", "42704");
        var lastOwner = await owner.FailsAsync($"REMOVE MEMBER {s.Owner} FROM PROJECT {s.Producer}", "55000");
        Assert.Contains("owner", lastOwner.MessageText);
        await owner.FailsAsync($"ADD MEMBER no_such_user_zz TO PROJECT {s.Producer} AS VIEWER", "42704");

        // Non-members cannot list the members.
        await using var outsider = await fixture.OpenAsync(s.Outsider);
        await outsider.FailsAsync($"SHOW MEMBERS OF PROJECT {s.Producer}", "42501");
    }

    [Fact]
    public async Task Glossary_create_and_show()
    {
        var term = "Term " + Guid.NewGuid().ToString("N")[..8];
        await using var carol = await fixture.OpenAsync("carol");
        await carol.ExecAsync($"CREATE GLOSSARY TERM {AdminSql.Quote(term)} DESCRIPTION 'A test term'");
        var glossary = await carol.QueryAsync("SHOW GLOSSARY");
        Assert.Equal(["term", "description", "assets", "parent", "owner_project"], glossary.Columns);
        var row = glossary.Single("term", term);
        Assert.Equal("A test term", row["description"]);
        Assert.Equal(0L, row["assets"]);
        Assert.True((long)glossary.Single("term", "Revenue")["assets"]! >= 1);
        await carol.FailsAsync($"CREATE GLOSSARY TERM {AdminSql.Quote(term.ToUpperInvariant())}", "42710");
    }

}
