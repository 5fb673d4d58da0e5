using Npgsql;

namespace DataMesh.Gateway.Tests.Admin;

/// <summary>Every admin command over the wire with Npgsql: what it changes and what it returns.</summary>
[Collection(AdminCollection.Name)]
public sealed class AdminCommandTests(AdminGatewayFixture fixture)
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
        Assert.Equal(["term", "description", "assets"], glossary.Columns);
        var row = glossary.Single("term", term);
        Assert.Equal("A test term", row["description"]);
        Assert.Equal(0L, row["assets"]);
        Assert.True((long)glossary.Single("term", "Revenue")["assets"]! >= 1);
        await carol.FailsAsync($"CREATE GLOSSARY TERM {AdminSql.Quote(term.ToUpperInvariant())}", "42710");
    }

    [Fact]
    public async Task Asset_create_alter_publish_unpublish_describe_show()
    {
        var s = await Scenario.CreateAsync(fixture, publish: false);
        await using var owner = await fixture.OpenAsync(s.Owner);
        var created = await owner.QueryAsync($"CREATE ASSET {s.Producer}.orders FROM 'data/sales.parquet' DESCRIPTION 'Orders' TERMS ('Sales', revenue) METADATA (refresh = 'daily')");
        Assert.Equal(["asset", "id", "columns", "status"], created.Columns);
        Assert.Equal($"{s.Producer}.orders", created.Get(0, "asset"));
        Assert.IsType<long>(created.Get(0, "id"));
        Assert.Equal(5L, created.Get(0, "columns"));
        Assert.Equal("inventory", created.Get(0, "status"));
        await owner.FailsAsync($"CREATE ASSET {s.Producer}.orders FROM 'data/sales.parquet'", "42710");
        var badTerm = await owner.FailsAsync($"CREATE ASSET {s.Producer}.o2 FROM 'data/sales.parquet' TERMS ('No such term zz')", "42704");
        Assert.Contains("No such term zz", badTerm.MessageText);

        await owner.ExecAsync($"ALTER ASSET {s.Producer}.orders SET COLUMN amount DESCRIPTION 'Amount in EUR'");
        await owner.ExecAsync($"ALTER ASSET {s.Producer}.orders SET DESCRIPTION 'Orders by region'");
        await owner.ExecAsync($"ALTER ASSET {s.Producer}.orders SET TERMS ('Customer')");
        await owner.ExecAsync($"ALTER ASSET {s.Producer}.orders SET METADATA (steward = 'me', tier = 'gold')");
        await owner.FailsAsync($"ALTER ASSET {s.Producer}.orders SET COLUMN no_col DESCRIPTION 'x'", "42704");

        var described = await owner.QueryAsync($"DESCRIBE ASSET {s.Producer}.orders");
        Assert.Equal(["section", "item", "value", "detail"], described.Columns);
        string? Value(string section, string item) => (string?)described.Rows.Single(r => (string)r[0]! == section && (string)r[1]! == item)[2];
        string? Detail(string section, string item) => (string?)described.Rows.Single(r => (string)r[0]! == section && (string)r[1]! == item)[3];
        Assert.Equal("Orders by region", Value("asset", "description"));
        Assert.Equal("inventory", Value("asset", "status"));
        Assert.Equal("Customer", Value("asset", "glossary terms"));
        Assert.Equal("data/sales.parquet", Value("asset", "source"));
        Assert.Equal("me", Value("metadata", "steward"));
        Assert.Equal("gold", Value("metadata", "tier"));
        Assert.DoesNotContain(described.Rows, r => (string)r[0]! == "metadata" && (string)r[1]! == "refresh");
        Assert.Equal("Amount in EUR", Detail("column", "amount"));
        Assert.Equal("VARCHAR", Value("column", "region"));
        Assert.Equal("DATE", Value("column", "sold_on"));
        Assert.Equal($"DESCRIBE ASSET {described.Count}".Replace("DESCRIBE ASSET", "SELECT"), described.Tag);

        var first = await owner.QueryAsync($"PUBLISH ASSET {s.Producer}.orders");
        Assert.Equal(["asset", "revision", "status", "subscription", "consumer_project", "columns"], first.Columns);
        Assert.Single(first.Rows); // no grant yet: nothing withheld
        Assert.Equal(1L, first.Get(0, "revision"));
        Assert.Equal("published", first.Get(0, "status"));
        var second = await owner.QueryAsync($"PUBLISH ASSET {s.Producer}.orders");
        Assert.Equal(2L, second.Get(0, "revision"));

        var unpublished = await owner.QueryAsync($"UNPUBLISH ASSET {s.Producer}.orders");
        Assert.Equal([$"{s.Producer}.orders", "inventory"], unpublished.Rows.Single());
        await owner.FailsAsync($"UNPUBLISH ASSET {s.Producer}.orders", "55000");
        Assert.Equal(3L, (await owner.QueryAsync($"PUBLISH ASSET {s.Producer}.orders")).Get(0, "revision"));

        described = await owner.QueryAsync($"DESCRIBE ASSET {s.Producer}.orders");
        Assert.Equal("3", Value("asset", "latest revision"));
        Assert.Equal("published", Value("asset", "status"));
        Assert.Equal(["1", "2", "3"], described.Rows.Where(r => (string)r[0]! == "revision").Select(r => (string)r[1]!));

        var assets = await owner.QueryAsync($"SHOW ASSETS IN PROJECT {s.Producer}");
        Assert.Equal(["asset", "status", "latest_revision", "columns", "description", "terms"], assets.Columns);
        var orders = assets.Single("asset", "orders");
        Assert.Equal("published", orders["status"]);
        Assert.Equal(3L, orders["latest_revision"]);
        Assert.Equal(5L, orders["columns"]);
        Assert.Equal("Customer", orders["terms"]);
        var sales = assets.Single("asset", "sales");
        Assert.Equal("inventory", sales["status"]);
        Assert.Null(sales["latest_revision"]);
        await owner.FailsAsync("SHOW ASSETS IN PROJECT no_such_project_zz", "42704");
    }

    [Fact]
    public async Task Describe_shows_subscriptions_to_owners_only_and_hides_inventory_from_non_members()
    {
        var s = await Scenario.CreateAsync(fixture);
        var id = await s.RequestAsync(fixture, "owner-only justification");
        await using var owner = await fixture.OpenAsync(s.Owner);
        var described = await owner.QueryAsync($"DESCRIBE ASSET {s.AssetName}");
        var sub = described.Rows.Single(r => (string)r[0]! == "subscription");
        Assert.Equal([ "subscription", id.ToString(), $"{s.Consumer}: pending", "owner-only justification" ], sub);

        await using var viewer = await fixture.OpenAsync(s.ProducerViewer);
        var asViewer = await viewer.QueryAsync($"DESCRIBE ASSET {s.AssetName}");
        Assert.DoesNotContain(asViewer.Rows, r => (string)r[0]! == "subscription");
        Assert.Contains(asViewer.Rows, r => (string)r[0]! == "asset" && (string)r[1]! == "source");

        await using var outsider = await fixture.OpenAsync(s.Outsider);
        var asOutsider = await outsider.QueryAsync($"DESCRIBE ASSET {s.AssetName}");
        Assert.DoesNotContain(asOutsider.Rows, r => (string)r[0]! == "subscription");
        Assert.DoesNotContain(asOutsider.Rows, r => (string)r[0]! == "asset" && (string)r[1]! == "source");

        await owner.ExecAsync($"CREATE ASSET {s.Producer}.hidden FROM 'data/sales.parquet'");
        var e = await outsider.FailsAsync($"DESCRIBE ASSET {s.Producer}.hidden", "42704");
        Assert.Contains($"{s.Producer}.hidden", e.MessageText);
        Assert.Empty((await outsider.QueryAsync($"SHOW ASSETS IN PROJECT {s.Producer}")).RowsWhere("asset", "hidden"));
        Assert.Single((await viewer.QueryAsync($"SHOW ASSETS IN PROJECT {s.Producer}")).RowsWhere("asset", "hidden"));
        await viewer.QueryAsync($"DESCRIBE ASSET {s.Producer}.hidden");
    }

    [Fact]
    public async Task Search_catalog_returns_rows()
    {
        await using var bob = await fixture.OpenAsync("bob");
        // By name: every scenario of this collection publishes an asset named "sales", and an exact name ranks first,
        // so a search for 'sales' fills its 50 rows with them once enough scenarios have run.
        var hits = await bob.QueryAsync("SEARCH CATALOG 'mkt_sls_table'");
        Assert.Equal(["asset", "project", "description", "status", "latest_revision", "terms", "score"], hits.Columns);
        var row = hits.Single("asset", "mkt_sls_table");
        Assert.Equal("marketing", row["project"]);
        Assert.Equal("published", row["status"]);
        Assert.Equal("Sales, Revenue, PII", row["terms"]);
        Assert.Empty((await bob.QueryAsync("SEARCH CATALOG 'draft_forecast'")).RowsWhere("asset", "draft_forecast"));
    }

    [Fact]
    public async Task Request_show_requests_approve_with_every_clause_and_show_subscriptions()
    {
        var s = await Scenario.CreateAsync(fixture);
        await using var contributor = await fixture.OpenAsync(s.Contributor);
        var requested = await contributor.QueryAsync($"REQUEST SUBSCRIPTION TO {s.AssetName} FOR PROJECT {s.Consumer} JUSTIFICATION 'forecasting'");
        Assert.Equal(["subscription", "asset", "project", "status"], requested.Columns);
        var id = (long)requested.Get(0, "subscription")!;
        Assert.Equal([id, s.AssetName, s.Consumer, "pending"], requested.Rows.Single());
        await contributor.FailsAsync($"REQUEST SUBSCRIPTION TO {s.AssetName} FOR PROJECT {s.Consumer} JUSTIFICATION 'again'", "42710");

        var requests = await contributor.QueryAsync("SHOW SUBSCRIPTION REQUESTS");
        Assert.Equal(["subscription", "asset", "consumer_project", "requested_by", "requested_at", "justification", "you_can_decide"], requests.Columns);
        var mine = requests.Single("subscription", id);
        Assert.Equal(s.Contributor, mine["requested_by"]);
        Assert.Equal("forecasting", mine["justification"]);
        Assert.Equal(false, mine["you_can_decide"]);
        await using var owner = await fixture.OpenAsync(s.Owner);
        Assert.Equal(true, (await owner.QueryAsync("SHOW SUBSCRIPTION REQUESTS")).Single("subscription", id)["you_can_decide"]);
        await using var outsider = await fixture.OpenAsync(s.Outsider);
        Assert.Empty((await outsider.QueryAsync("SHOW SUBSCRIPTION REQUESTS")).RowsWhere("subscription", id));

        var approved = await owner.QueryAsync(
            $"APPROVE SUBSCRIPTION {id} WITH ROW FILTER (region = 'Europe' AND amount > 1) INCLUDE COLUMNS (region, amount, customer_email, sold_on) " +
            "MASK COLUMNS (customer_email USING partial(2,4), sold_on USING year) EXPIRES '2099-01-01' COMMENT 'EU only'");
        Assert.Equal(["subscription", "status", "row_filter", "columns", "masks", "expires_at"], approved.Columns);
        Assert.Equal(id, approved.Get(0, "subscription"));
        Assert.Equal("approved", approved.Get(0, "status"));
        Assert.Equal("region = 'Europe' AND amount > 1", approved.Get(0, "row_filter"));
        Assert.Equal("region, amount, customer_email, sold_on", approved.Get(0, "columns"));
        Assert.Equal("customer_email USING partial(2, 4), sold_on USING year", approved.Get(0, "masks"));
        Assert.Equal("2099-01-01 00:00:00+00", approved.Get(0, "expires_at"));

        var subs = await contributor.QueryAsync($"SHOW SUBSCRIPTIONS FOR PROJECT {s.Consumer}");
        Assert.Equal(["subscription", "asset", "status", "requested_by", "decided_by", "decided_at", "row_filter", "columns", "masks", "expires_at", "comment"], subs.Columns);
        var sub = subs.Single("subscription", id);
        Assert.Equal("approved", sub["status"]);
        Assert.Equal(s.AssetName, sub["asset"]);
        Assert.Equal(s.Owner, sub["decided_by"]);
        Assert.NotNull(sub["decided_at"]);
        Assert.Equal("region = 'Europe' AND amount > 1", sub["row_filter"]);
        Assert.Equal("only region, amount, customer_email, sold_on", sub["columns"]);
        Assert.Equal("customer_email USING partial(2, 4), sold_on USING year", sub["masks"]);
        Assert.Equal("2099-01-01 00:00:00+00", sub["expires_at"]);
        Assert.Equal("EU only", sub["comment"]);
        Assert.Empty((await contributor.QueryAsync("SHOW SUBSCRIPTION REQUESTS")).RowsWhere("subscription", id));

        var revoked = await owner.QueryAsync($"REVOKE SUBSCRIPTION {id} COMMENT 'done'");
        Assert.Equal([id, "revoked"], revoked.Rows.Single());
        sub = (await contributor.QueryAsync($"SHOW SUBSCRIPTIONS FOR PROJECT {s.Consumer}")).Single("subscription", id);
        Assert.Equal("revoked", sub["status"]);
        Assert.Equal("done", sub["comment"]);
    }

    [Fact]
    public async Task Approve_with_exclude_columns_and_interval_expiry()
    {
        var s = await Scenario.CreateAsync(fixture);
        var id = await s.RequestAsync(fixture);
        await using var owner = await fixture.OpenAsync(s.Owner);
        var before = DateTimeOffset.UtcNow;
        var approved = await owner.QueryAsync($"APPROVE SUBSCRIPTION {id} EXCLUDE COLUMNS (customer_email) EXPIRES IN INTERVAL '30 days'");
        Assert.Equal("region, amount, sold_on, quantity", approved.Get(0, "columns"));
        Assert.Null(approved.Get(0, "row_filter"));
        Assert.Equal("", approved.Get(0, "masks"));
        var expires = DateTimeOffset.Parse(((string)approved.Get(0, "expires_at")!).Replace("+00", "Z"), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(expires, before.AddDays(30).AddSeconds(-5), before.AddDays(30).AddMinutes(1));
        await using var contributor = await fixture.OpenAsync(s.Contributor);
        var sub = (await contributor.QueryAsync($"SHOW SUBSCRIPTIONS FOR PROJECT {s.Consumer}")).Single("subscription", id);
        Assert.Equal("all except customer_email", sub["columns"]);
        Assert.Equal("approved", sub["status"]);
    }

    [Fact]
    public async Task Approve_checks_columns_and_masks()
    {
        var s = await Scenario.CreateAsync(fixture);
        var id = await s.RequestAsync(fixture);
        await using var owner = await fixture.OpenAsync(s.Owner);
        var e = await owner.FailsAsync($"APPROVE SUBSCRIPTION {id} INCLUDE COLUMNS (region, nope)", "42703");
        Assert.Contains("nope", e.MessageText);
        await owner.FailsAsync($"APPROVE SUBSCRIPTION {id} MASK COLUMNS (amount USING year)", "22023");
        await owner.FailsAsync($"APPROVE SUBSCRIPTION {id} MASK COLUMNS (amount USING partial(1, 1))", "22023");
        await owner.FailsAsync($"APPROVE SUBSCRIPTION {id} EXCLUDE COLUMNS (region) MASK COLUMNS (region USING hash)", "22023");
        await owner.FailsAsync($"APPROVE SUBSCRIPTION {id} EXPIRES '2001-01-01'", "22023");
        await owner.FailsAsync($"APPROVE SUBSCRIPTION {id} EXPIRES 'not a date'", "22023");
        await owner.FailsAsync($"APPROVE SUBSCRIPTION {id} INCLUDE COLUMNS (region) EXCLUDE COLUMNS (amount)", "42601");
        Assert.Equal("pending", await s.StatusAsync(fixture, id));
    }

    [Fact]
    public async Task Reject_with_comment()
    {
        var s = await Scenario.CreateAsync(fixture);
        var id = await s.RequestAsync(fixture);
        await using var owner = await fixture.OpenAsync(s.Owner);
        var rejected = await owner.QueryAsync($"REJECT SUBSCRIPTION {id} COMMENT 'not now'");
        Assert.Equal(["subscription", "status"], rejected.Columns);
        Assert.Equal([id, "rejected"], rejected.Rows.Single());
        await owner.FailsAsync($"SHOW SUBSCRIPTIONS FOR PROJECT {s.Consumer}", "42501"); // the producer's owner is no consumer member
        await using var viewer = await fixture.OpenAsync(s.Viewer);
        var sub = (await viewer.QueryAsync($"SHOW SUBSCRIPTIONS FOR PROJECT {s.Consumer}")).Single("subscription", id);
        Assert.Equal("rejected", sub["status"]);
        Assert.Equal("not now", sub["comment"]);
        Assert.Null(sub["columns"]);
        // A rejected request can be asked again.
        var again = await s.RequestAsync(fixture);
        Assert.True(again > id);
    }

    [Fact]
    public async Task Show_audit_limit()
    {
        await using var carol = await fixture.OpenAsync("carol");
        var audit = await carol.QueryAsync("SHOW AUDIT LIMIT 3");
        Assert.Equal(["id", "at", "user", "issuer", "subject", "project", "kind", "command", "outcome", "sqlstate", "message", "statement",
            "assets", "subscriptions", "policy_version", "rows", "duration_ms"], audit.Columns);
        Assert.Equal(3, audit.Count);
        Assert.Equal("SELECT 3", audit.Tag);
        var ids = audit.Column("id").Cast<long>().ToList();
        Assert.Equal(ids.OrderDescending(), ids); // newest first
        await carol.FailsAsync("SHOW AUDIT LIMIT 0", "42601");
        await carol.FailsAsync("SHOW AUDIT LIMIT 10001", "42601");
    }
}
