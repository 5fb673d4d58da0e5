namespace DataMesh.Gateway.Tests.Admin;

/// <summary>SHOW AUDIT: every admin command, success and failure, with user, command and outcome; secrets redacted.</summary>
[Collection(AdminCollection.Name)]
public sealed class AuditTests(AdminGatewayFixture fixture)
{
    private async Task<AdminRows> AuditOf(string user)
    {
        await using var carol = await fixture.OpenAsync("carol");
        var all = await carol.QueryAsync("SHOW AUDIT LIMIT 10000");
        return new AdminRows(all.Columns, all.RowsWhere("user", user), null);
    }

    [Fact]
    public async Task Every_admin_command_is_audited_on_success()
    {
        var s = await Scenario.CreateAsync(fixture);
        var admin = "aud_" + s.Suffix;
        await using (var carol = await fixture.OpenAsync("carol"))
        {
            await carol.ExecAsync($"CREATE USER {admin} PASSWORD '{admin}'");
            await carol.ExecAsync($"GRANT DOMAIN ADMIN TO {admin}");
        }
        var x = s.Suffix;
        var root = AdminSql.NewTempDirectory("audacct");
        AdminSql.WriteParquet(Path.Combine(root, $"apr_{x}", "t.parquet"), AdminSql.SalesSelect); // project apr_x's storage prefix
        var commands = new (string Sql, string Command)[]
        {
            ($"CREATE USER au1_{x} PASSWORD 'a'", "CREATE USER"),
            ($"ALTER USER au1_{x} PASSWORD 'b'", "ALTER USER"),
            ($"GRANT DOMAIN ADMIN TO au1_{x}", "GRANT DOMAIN ADMIN"),
            ($"REVOKE DOMAIN ADMIN FROM au1_{x}", "REVOKE DOMAIN ADMIN"),
            ("SHOW USERS", "SHOW USERS"),
            ($"CREATE GROUP ag_{x}", "CREATE GROUP"),
            ($"ALTER GROUP ag_{x} ADD USER au1_{x}", "ALTER GROUP"),
            ("SHOW GROUPS", "SHOW GROUPS"),
            ($"ASSOCIATE ACCOUNT aa_{x} LOCATION {AdminSql.Quote(root)} ADMIN {admin}", "ASSOCIATE ACCOUNT"),
            ($"ACCEPT ACCOUNT aa_{x}", "ACCEPT ACCOUNT"),
            ("SHOW ACCOUNTS", "SHOW ACCOUNTS"),
            ("SHOW BLUEPRINTS", "SHOW BLUEPRINTS"),
            ($"CREATE BLUEPRINT ab_{x} AS (query_limits WITH (threads = 1))", "CREATE BLUEPRINT"),
            ($"CREATE PROJECT PROFILE ap_{x} BLUEPRINTS (ab_{x})", "CREATE PROJECT PROFILE"),
            ("SHOW PROJECT PROFILES", "SHOW PROJECT PROFILES"),
            ($"CREATE PROJECT apr_{x} ACCOUNT aa_{x} PROFILE ap_{x}", "CREATE PROJECT"),
            ("SHOW PROJECTS", "SHOW PROJECTS"),
            ($"ADD MEMBER au1_{x} TO PROJECT apr_{x} AS VIEWER", "ADD MEMBER"),
            ($"SHOW MEMBERS OF PROJECT apr_{x}", "SHOW MEMBERS"),
            ($"REMOVE MEMBER au1_{x} FROM PROJECT apr_{x}", "REMOVE MEMBER"),
            ($"CREATE GLOSSARY TERM 'at_{x}'", "CREATE GLOSSARY TERM"),
            ("SHOW GLOSSARY", "SHOW GLOSSARY"),
            ($"CREATE ASSET apr_{x}.t FROM 't.parquet'", "CREATE ASSET"),
            ($"ALTER ASSET apr_{x}.t SET DESCRIPTION 'd'", "ALTER ASSET"),
            ($"PUBLISH ASSET apr_{x}.t", "PUBLISH ASSET"),
            ($"UNPUBLISH ASSET apr_{x}.t", "UNPUBLISH ASSET"),
            ($"DESCRIBE ASSET apr_{x}.t", "DESCRIBE ASSET"),
            ($"SHOW ASSETS IN PROJECT apr_{x}", "SHOW ASSETS"),
            ("SEARCH CATALOG 'sales'", "SEARCH CATALOG"),
            ($"REQUEST SUBSCRIPTION TO {s.AssetName} FOR PROJECT {s.Consumer} JUSTIFICATION 'audit'", "REQUEST SUBSCRIPTION"),
            ("SHOW SUBSCRIPTION REQUESTS", "SHOW SUBSCRIPTION REQUESTS"),
            ($"SHOW SUBSCRIPTIONS FOR PROJECT {s.Consumer}", "SHOW SUBSCRIPTIONS"),
            ("SHOW AUDIT LIMIT 1", "SHOW AUDIT"),
            ($"ALTER GROUP ag_{x} DROP USER au1_{x}", "ALTER GROUP"),
            ($"DROP GROUP ag_{x}", "DROP GROUP"),
            ($"DROP USER au1_{x}", "DROP USER"),
        };
        await using (var c = await fixture.OpenAsync(admin))
        {
            foreach (var (sql, _) in commands) await c.QueryAsync(sql);
            var id = (long)(await c.QueryAsync($"SHOW SUBSCRIPTIONS FOR PROJECT {s.Consumer}")).Rows.Single()[0]!;
            await c.ExecAsync($"APPROVE SUBSCRIPTION {id}");
            await c.ExecAsync($"REVOKE SUBSCRIPTION {id}");
            var second = (long)(await c.QueryAsync($"REQUEST SUBSCRIPTION TO {s.AssetName} FOR PROJECT {s.Consumer} JUSTIFICATION 'again'")).Get(0, "subscription")!;
            await c.ExecAsync($"REJECT SUBSCRIPTION {second}");
        }

        var audit = await AuditOf(admin);
        foreach (var (sql, command) in commands)
        {
            var expected = System.Text.RegularExpressions.Regex.Replace(sql, "PASSWORD '[^']*'", "PASSWORD '********'");
            var matches = audit.RowsWhere("statement", expected);
            Assert.True(matches.Count >= 1, $"no audit record for [{sql}]");
            var row = matches[0];
            Assert.Equal(command, row[audit.IndexOf("command")]);
            Assert.Equal("ok", row[audit.IndexOf("outcome")]);
            Assert.Null(row[audit.IndexOf("sqlstate")]);
            Assert.Equal("admin", row[audit.IndexOf("kind")]);
            Assert.NotNull(row[audit.IndexOf("at")]);
        }
        foreach (var command in new[] { "APPROVE SUBSCRIPTION", "REVOKE SUBSCRIPTION", "REJECT SUBSCRIPTION" })
            Assert.Contains(audit.Rows, r => (string?)r[audit.IndexOf("command")] == command && (string?)r[audit.IndexOf("outcome")] == "ok");
    }

    [Fact]
    public async Task Failures_are_audited_with_their_sqlstate()
    {
        var s = await Scenario.CreateAsync(fixture);
        var failures = new (string Sql, string Command, string SqlState)[]
        {
            ($"CREATE USER nope_{s.Suffix} PASSWORD 'x'", "CREATE USER", "42501"),
            ("DROP GROUP analysts", "DROP GROUP", "42501"),
            ("ACCEPT ACCOUNT acct_marketing", "ACCEPT ACCOUNT", "42501"),
            ($"DESCRIBE ASSET {s.Producer}.ghost", "DESCRIBE ASSET", "42704"),
            ($"SHOW MEMBERS OF PROJECT {s.Producer}", "SHOW MEMBERS", "42501"),
            ($"CREATE ASSET {s.Producer}.x FROM 'data/sales.parquet'", "CREATE ASSET", "42501"),
            ("APPROVE SUBSCRIPTION 1", "APPROVE SUBSCRIPTION", "42501"),
            ("REJECT SUBSCRIPTION 987654", "REJECT SUBSCRIPTION", "42704"),
            ($"REQUEST SUBSCRIPTION TO {s.AssetName} FOR PROJECT {s.Consumer} JUSTIFICATION 'x'", "REQUEST SUBSCRIPTION", "42501"),
            ("SHOW SUBSCRIPTIONS FOR PROJECT ghost_zz", "SHOW SUBSCRIPTIONS", "42704"),
        };
        await using (var outsider = await fixture.OpenAsync(s.Outsider))
            foreach (var (sql, _, state) in failures) await outsider.FailsAsync(sql, state);

        var audit = await AuditOf(s.Outsider);
        foreach (var (sql, command, state) in failures)
        {
            var rows = audit.RowsWhere("statement", System.Text.RegularExpressions.Regex.Replace(sql, "PASSWORD '[^']*'", "PASSWORD '********'"));
            Assert.True(rows.Count == 1, $"{rows.Count} audit records for [{sql}]; the user's records: {string.Join(" | ", audit.Column("statement"))}");
            var row = rows[0];
            Assert.Equal(command, row[audit.IndexOf("command")]);
            Assert.Equal("error", row[audit.IndexOf("outcome")]);
            Assert.Equal(state, row[audit.IndexOf("sqlstate")]);
            Assert.False(string.IsNullOrEmpty((string?)row[audit.IndexOf("message")]));
        }
    }

    [Fact]
    public async Task Passwords_never_reach_the_audit_log()
    {
        var name = AdminSql.Unique("pwu");
        var secret = "pw" + Guid.NewGuid().ToString("N")[..10]; // every password below contains this marker
        await using (var carol = await fixture.OpenAsync("carol"))
        {
            await carol.ExecAsync($"CREATE USER {name} PASSWORD '{secret}123'");
            await carol.ExecAsync($"ALTER USER {name} WITH PASSWORD '{secret}456'");
            await carol.FailsAsync($"CREATE USER {name} PASSWORD '{secret}789'", "42710");
            await carol.ExecAsync($"CREATE USER {name}_d PASSWORD $${secret}_dollar$$");
            await carol.ExecAsync($"CREATE USER {name}_t WITH PASSWORD $tag${secret}_tagged$tag$");
            await carol.ExecAsync($"CREATE USER {name}_e PASSWORD E'{secret}\\x41escaped'");
            await carol.FailsAsync($"ALTER USER ghost_{name} PASSWORD '{secret}_unknown'", "42704");
        }
        await using (var alice = await fixture.OpenAsync("alice"))
        {
            await alice.FailsAsync($"CREATE USER {name}_x PASSWORD '{secret}000'", "42501");
            await alice.FailsAsync($"ALTER USER {name} PASSWORD '{secret}_denied'", "42501");
        }
        await using (var self = await fixture.OpenAsync(name, $"{secret}456"))
            await self.ExecAsync($"ALTER USER {name} PASSWORD '{secret}_self'");

        await using var admin = await fixture.OpenAsync("carol");
        var audit = await admin.QueryAsync("SHOW AUDIT LIMIT 10000");
        foreach (var row in audit.Rows)
            foreach (var cell in row)
                Assert.False(cell is string text && text.Contains(secret, StringComparison.OrdinalIgnoreCase), $"audit leaks a password: {cell}");
        var created = audit.RowsWhere("statement", $"CREATE USER {name} PASSWORD '********'");
        Assert.Equal(["error", "ok"], created.Select(r => (string?)r[audit.IndexOf("outcome")]).Order());
        Assert.Single(audit.RowsWhere("statement", $"ALTER USER {name} WITH PASSWORD '********'"));
        Assert.Single(audit.RowsWhere("statement", $"CREATE USER {name}_d PASSWORD '********'"));
        var denied = Assert.Single(audit.RowsWhere("statement", $"CREATE USER {name}_x PASSWORD '********'"));
        Assert.Equal("alice", denied[audit.IndexOf("user")]);
        Assert.Equal("42501", denied[audit.IndexOf("sqlstate")]);
    }

    [Fact]
    public async Task Non_admins_see_their_own_records_and_no_others_but_reads_of_their_assets()
    {
        await using (var bob = await fixture.OpenAsync("bob")) await bob.FailsAsync("CREATE GROUP bob_audit_probe", "42501");
        await using var alice = await fixture.OpenAsync("alice");
        await alice.QueryAsync("SHOW PROJECTS");
        var audit = await alice.QueryAsync("SHOW AUDIT LIMIT 10000");
        Assert.NotEmpty(audit.Rows);
        // Others' records only where they are queries that read an asset of a project alice belongs to (marketing).
        Assert.All(audit.Rows, r => Assert.True((string?)r[audit.IndexOf("user")] == "alice"
            || (string?)r[audit.IndexOf("kind")] == "query" && ((string?)r[audit.IndexOf("assets")] ?? "").Split(", ").Any(a => a.StartsWith("marketing.", StringComparison.Ordinal)),
            $"alice sees a record of {r[audit.IndexOf("user")]}: {r[audit.IndexOf("statement")]}"));
        Assert.Contains(audit.Rows, r => (string?)r[audit.IndexOf("command")] == "ACCEPT ACCOUNT"); // from the demo seed
        Assert.DoesNotContain(audit.Rows, r => (string?)r[audit.IndexOf("statement")] == "CREATE GROUP bob_audit_probe");

        await using var carol = await fixture.OpenAsync("carol");
        var all = await carol.QueryAsync("SHOW AUDIT LIMIT 10000");
        Assert.Contains(all.Rows, r => (string?)r[all.IndexOf("statement")] == "CREATE GROUP bob_audit_probe" && (string?)r[all.IndexOf("user")] == "bob");
        Assert.True(all.Column("user").Distinct().Count() > 1);
    }
}
