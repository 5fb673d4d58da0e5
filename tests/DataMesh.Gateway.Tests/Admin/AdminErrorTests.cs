namespace DataMesh.Gateway.Tests.Admin;

/// <summary>The error classes: unknown (42704), duplicate (42710), syntax (42601 with a position), wrong state (55000).</summary>
[Collection(AdminCollection.Name)]
public sealed class AdminErrorTests(AdminGatewayFixture fixture)
{
    public static TheoryData<string, string> UnknownObjects => new()
    {
        { "DROP USER ghost_user_1", "ghost_user_1" },
        { "ALTER USER ghost_user_2 PASSWORD 'x'", "ghost_user_2" },
        { "GRANT DOMAIN ADMIN TO ghost_user_3", "ghost_user_3" },
        { "DROP GROUP ghost_group_1", "ghost_group_1" },
        { "ALTER GROUP ghost_group_2 ADD USER alice", "ghost_group_2" },
        { "ALTER GROUP analysts ADD USER ghost_user_4", "ghost_user_4" },
        { "ACCEPT ACCOUNT ghost_account_1", "ghost_account_1" },
        { "ASSOCIATE ACCOUNT ghost_acct_x LOCATION '/tmp/datamesh-tests/ghost_acct_x' ADMIN ghost_user_5", "ghost_user_5" },
        { "CREATE PROJECT ghost_p ACCOUNT ghost_account_2 PROFILE sql_analytics", "ghost_account_2" },
        { "CREATE PROJECT ghost_p ACCOUNT acct_finance PROFILE ghost_profile_1", "ghost_profile_1" },
        { "SHOW MEMBERS OF PROJECT ghost_project_1", "ghost_project_1" },
        { "ADD MEMBER alice TO PROJECT ghost_project_2 AS VIEWER", "ghost_project_2" },
        { "ADD MEMBER GROUP ghost_group_3 TO PROJECT finance AS VIEWER", "ghost_group_3" },
        { "SHOW ASSETS IN PROJECT ghost_project_3", "ghost_project_3" },
        { "DESCRIBE ASSET marketing.ghost_asset_1", "marketing.ghost_asset_1" },
        { "PUBLISH ASSET marketing.ghost_asset_2", "marketing.ghost_asset_2" },
        { "ALTER ASSET marketing.ghost_asset_3 SET DESCRIPTION 'x'", "marketing.ghost_asset_3" },
        { "ALTER ASSET marketing.mkt_sls_table SET TERMS ('Ghost Term')", "Ghost Term" },
        { "REQUEST SUBSCRIPTION TO marketing.draft_forecast FOR PROJECT finance JUSTIFICATION 'x'", "marketing.draft_forecast" },
        { "REQUEST SUBSCRIPTION TO marketing.campaigns FOR PROJECT ghost_project_4 JUSTIFICATION 'x'", "ghost_project_4" },
        { "APPROVE SUBSCRIPTION 987654321", "987654321" },
        { "REJECT SUBSCRIPTION 987654322", "987654322" },
        { "REVOKE SUBSCRIPTION 987654323", "987654323" },
        { "SHOW SUBSCRIPTIONS FOR PROJECT ghost_project_5", "ghost_project_5" },
        { "CREATE PROJECT PROFILE ghost_pp BLUEPRINTS (ghost_blueprint)", "ghost_blueprint" },
    };

    [Theory]
    [MemberData(nameof(UnknownObjects))]
    public async Task Unknown_objects_are_42704_naming_the_object(string sql, string name)
    {
        await using var carol = await fixture.OpenAsync("carol");
        var e = await carol.FailsAsync(sql, "42704");
        Assert.Contains($"\"{name}\"", e.MessageText);
        Assert.Contains("does not exist", e.MessageText);
    }

    public static TheoryData<string, string> Duplicates => new()
    {
        { "CREATE USER alice PASSWORD 'x'", "alice" },
        { "CREATE GROUP analysts", "analysts" },
        { "ALTER GROUP analysts ADD USER bob", "bob" },
        { "ASSOCIATE ACCOUNT acct_marketing LOCATION '/tmp/datamesh-tests/dup-acct' ADMIN alice", "acct_marketing" },
        { "CREATE PROJECT PROFILE sql_analytics BLUEPRINTS (workspace)", "sql_analytics" },
        { "CREATE BLUEPRINT query_limits AS (workspace)", "query_limits" },
        { "CREATE PROJECT marketing ACCOUNT acct_marketing PROFILE sql_analytics", "marketing" },
        { "CREATE PROJECT postgres ACCOUNT acct_marketing PROFILE sql_analytics", "postgres" },
        { "CREATE GLOSSARY TERM 'sales'", "sales" },
        { "CREATE ASSET marketing.campaigns FROM 'campaigns/*.parquet'", "marketing.campaigns" },
        { "REQUEST SUBSCRIPTION TO marketing.mkt_sls_table FOR PROJECT ml_research JUSTIFICATION 'again'", "marketing.mkt_sls_table" },
    };

    [Theory]
    [MemberData(nameof(Duplicates))]
    public async Task Duplicates_are_42710_naming_the_object(string sql, string name)
    {
        await using var carol = await fixture.OpenAsync("carol");
        var e = await carol.FailsAsync(sql, "42710");
        Assert.Contains($"\"{name}\"", e.MessageText);
        Assert.Contains("already exists", e.MessageText);
    }

    [Fact]
    public async Task Syntax_error_position_points_at_the_offending_word()
    {
        await using var carol = await fixture.OpenAsync("carol");
        var e = await carol.FailsAsync("DROP USER alice bob", "42601");
        Assert.Equal(17, e.Position); // 1-based: "bob" starts at character 17
        Assert.Contains("\"bob\"", e.MessageText);
        Assert.Contains("expected end of statement", e.MessageText);

        e = await carol.FailsAsync("GRANT DOMAIN ADMIN alice", "42601");
        Assert.Equal(20, e.Position);
        Assert.Contains("expected TO", e.MessageText);

        // Leading whitespace and comments count: the position is relative to the query string.
        e = await carol.FailsAsync("  /* c */ DROP USER alice bob", "42601");
        Assert.Equal(27, e.Position);
    }

    public static TheoryData<string, string> SyntaxErrors => new()
    {
        { "CREATE USER x_syn PASSWORD", "<end>" },
        { "CREATE USER x_syn PASSWORD secret", "secret" },
        { "ADD MEMBER alice TO PROJECT finance AS BOSS", "BOSS" },
        { "APPROVE SUBSCRIPTION abc", "abc" },
        { "APPROVE SUBSCRIPTION 0", "0" },
        { "APPROVE SUBSCRIPTION 1.5", "1.5" },
        { "APPROVE SUBSCRIPTION 1 COMMENT 'a' COMMENT 'b'", "COMMENT 'b'" },
        { "APPROVE SUBSCRIPTION 1 INCLUDE COLUMNS (a) EXCLUDE COLUMNS (b)", "EXCLUDE" },
        { "APPROVE SUBSCRIPTION 1 MASK COLUMNS (a USING scramble)", "scramble" },
        { "APPROVE SUBSCRIPTION 1 MASK COLUMNS (a USING hash, a USING redact)", "a USING redact" },
        { "APPROVE SUBSCRIPTION 1 WITH ROW FILTER ()", ")" },
        { "APPROVE SUBSCRIPTION 1 WITH ROW FILTER (a = 1", "<end>" },
        { "CREATE PROJECT PROFILE syn_p BLUEPRINTS ()", ")" },
        { "CREATE BLUEPRINT syn_b AS (query_limits WITH (memory = 2GB))", "2GB" },
        { "SEARCH CATALOG sales", "sales" },
        { "SHOW AUDIT LIMIT -1", "-" },
        { "CREATE ASSET marketing FROM 'x.parquet'", "FROM" },
        { "ALTER ASSET marketing.campaigns SET OWNER alice", "OWNER" },
        { "ALTER GROUP analysts RENAME x", "x" },
    };

    [Theory]
    [MemberData(nameof(SyntaxErrors))]
    public async Task Syntax_errors_are_42601_with_a_position(string sql, string at)
    {
        await using var carol = await fixture.OpenAsync("carol");
        var e = await carol.FailsAsync(sql, "42601");
        var expected = at == "<end>" ? sql.Length + 1 : sql.LastIndexOf(at, StringComparison.Ordinal) + 1;
        Assert.True(e.Position == expected, $"position {e.Position}, expected {expected} for [{sql}]: {e.MessageText}");
        Assert.False(string.IsNullOrWhiteSpace(e.MessageText));
    }

    [Fact]
    public async Task Wrong_state_approve_after_reject()
    {
        var s = await Scenario.CreateAsync(fixture);
        var id = await s.RequestAsync(fixture);
        await using var owner = await fixture.OpenAsync(s.Owner);
        await owner.ExecAsync($"REJECT SUBSCRIPTION {id}");
        var e = await owner.FailsAsync($"APPROVE SUBSCRIPTION {id}", "55000");
        Assert.Equal($"cannot approve subscription {id}: it is already rejected", e.MessageText);
        Assert.Contains("REQUEST SUBSCRIPTION", e.Hint);
        Assert.Equal("rejected", await s.StatusAsync(fixture, id));
    }

    [Fact]
    public async Task Wrong_state_reapprove_revoked_has_a_hint()
    {
        var s = await Scenario.CreateAsync(fixture);
        var id = await s.RequestAsync(fixture);
        await using var owner = await fixture.OpenAsync(s.Owner);
        await owner.ExecAsync($"APPROVE SUBSCRIPTION {id}");
        await owner.ExecAsync($"REVOKE SUBSCRIPTION {id}");
        var e = await owner.FailsAsync($"APPROVE SUBSCRIPTION {id}", "55000");
        Assert.Contains("already revoked", e.MessageText);
        Assert.Contains($"REQUEST SUBSCRIPTION TO {s.AssetName} FOR PROJECT {s.Consumer}", e.Hint);
        Assert.Equal("revoked", await s.StatusAsync(fixture, id));
    }

    [Fact]
    public async Task Wrong_state_accept_accepted_account()
    {
        await using var alice = await fixture.OpenAsync("alice");
        var e = await alice.FailsAsync("ACCEPT ACCOUNT acct_marketing", "55000");
        Assert.Contains("already accepted", e.MessageText);
    }

    [Fact]
    public async Task Wrong_state_other_cases()
    {
        await using var carol = await fixture.OpenAsync("carol");
        await carol.FailsAsync("DROP USER carol", "55000");
        var e = await carol.FailsAsync("DROP USER alice", "55000"); // admin of acct_marketing
        Assert.Contains("is the admin of an associated account", e.MessageText);
        Assert.False(string.IsNullOrEmpty(e.Hint));

        var s = await Scenario.CreateAsync(fixture);
        var id = await s.RequestAsync(fixture);
        await using var owner = await fixture.OpenAsync(s.Owner);
        e = await owner.FailsAsync($"REVOKE SUBSCRIPTION {id}", "55000");
        Assert.Contains("only approved subscriptions can be revoked", e.MessageText);
        await owner.ExecAsync($"APPROVE SUBSCRIPTION {id}");
        e = await owner.FailsAsync($"REJECT SUBSCRIPTION {id}", "55000");
        Assert.Contains("already approved", e.MessageText);
        Assert.Null(e.Hint);
        await owner.FailsAsync($"APPROVE SUBSCRIPTION {id}", "55000");
        Assert.Equal("approved", await s.StatusAsync(fixture, id));
    }

    [Fact]
    public async Task Errors_leave_the_session_usable()
    {
        await using var carol = await fixture.OpenAsync("carol");
        await carol.FailsAsync("DROP USER alice bob", "42601");
        await carol.FailsAsync("DROP USER ghost_zz", "42704");
        await carol.FailsAsync("CREATE USER alice PASSWORD 'x'", "42710");
        Assert.True((await carol.QueryAsync("SHOW USERS")).Count >= 4);
    }
}
