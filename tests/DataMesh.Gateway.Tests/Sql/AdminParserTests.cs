using DataMesh.Gateway.Sql.Admin;
using DataMesh.Gateway.Sql.Lexing;

namespace DataMesh.Gateway.Tests.Sql;

public sealed class AdminParserTests
{
    private static SqlStatement Statement(string sql) => Assert.Single(StatementSplitter.Split(sql));

    private static T Parse<T>(string sql) where T : AdminStatement
    {
        Assert.True(AdminParser.TryParse(Statement(sql), out var result));
        return Assert.IsType<T>(result);
    }

    private static AdminSyntaxException Fails(string sql) => Fails(Statement(sql));

    private static AdminSyntaxException Fails(SqlStatement statement) =>
        Assert.Throws<AdminSyntaxException>(() => AdminParser.TryParse(statement, out _));

    /// <summary>Asserts the error points at the first occurrence of <paramref name="marker"/> in the text.</summary>
    private static void FailsAt(string sql, string marker)
    {
        var offset = sql.IndexOf(marker, StringComparison.Ordinal);
        Assert.True(offset >= 0, "marker not in sql");
        Assert.Equal(offset, Fails(sql).Offset);
    }

    private static void FailsAtEnd(string sql) => Assert.Equal(sql.Length, Fails(sql).Offset);

    // ---------------- recognition ----------------

    [Theory]
    [InlineData("SELECT 1")]
    [InlineData("SET search_path = main")]
    [InlineData("SHOW search_path")]
    [InlineData("SHOW ALL")]
    [InlineData("show transaction isolation level")]
    [InlineData("SHOW members")]
    [InlineData("SHOW project")]
    [InlineData("CREATE TABLE t (a int)")]
    [InlineData("CREATE VIEW v AS SELECT 1")]
    [InlineData("DESCRIBE t")]
    [InlineData("DESCRIBE \"asset\"")]
    [InlineData("DROP TABLE t")]
    [InlineData("ALTER TABLE t ADD COLUMN b int")]
    [InlineData("GRANT SELECT ON t TO u")]
    [InlineData("REVOKE SELECT ON t FROM u")]
    [InlineData("INSERT INTO account VALUES (1)")]
    [InlineData("\"SHOW\" USERS")]
    [InlineData("'SHOW USERS'")]
    [InlineData("SHOW \"domain\"")]
    [InlineData("DESCRIBE domain")]
    [InlineData("SHOW effective")]
    [InlineData("SHOW EFFECTIVE policies")]
    [InlineData("ALTER TABLE domain RENAME TO d2")]
    public void Non_admin_statements_are_not_claimed(string sql)
    {
        Assert.False(AdminParser.TryParse(Statement(sql), out var result));
        Assert.Null(result);
    }

    [Theory]
    [InlineData("SHOW ACCOUNTS", typeof(ShowAccounts))]
    [InlineData("show users", typeof(ShowUsers))]
    [InlineData("Show Groups", typeof(ShowGroups))]
    [InlineData("SHOW BLUEPRINTS", typeof(ShowBlueprints))]
    [InlineData("SHOW PROJECT PROFILES", typeof(ShowProjectProfiles))]
    [InlineData("SHOW PROJECTS", typeof(ShowProjects))]
    [InlineData("SHOW GLOSSARY", typeof(ShowGlossary))]
    [InlineData("SHOW SUBSCRIPTION REQUESTS", typeof(ShowSubscriptionRequests))]
    [InlineData("show domain", typeof(ShowDomain))]
    [InlineData("SHOW USERS;", typeof(ShowUsers))]
    [InlineData("  SHOW /* c */ USERS -- trailing comment", typeof(ShowUsers))]
    public void Listing_commands_parse(string sql, Type expected)
    {
        Assert.True(AdminParser.TryParse(Statement(sql), out var result));
        Assert.IsType(expected, result);
    }

    [Fact]
    public void Tags_name_the_verb_phrase() => Assert.Equal("CREATE PROJECT PROFILE",
        Parse<CreateProjectProfile>("CREATE PROJECT PROFILE p BLUEPRINTS (b)").Tag);

    // ---------------- accounts, users, groups ----------------

    [Fact]
    public void Associate_account()
    {
        var s = Parse<AssociateAccount>("ASSOCIATE ACCOUNT Finance LOCATION '/data/finance' ADMIN Alice");
        Assert.Equal(new AssociateAccount("finance", "/data/finance", "alice"), s);
    }

    [Fact]
    public void Accept_account() => Assert.Equal(new AcceptAccount("finance"), Parse<AcceptAccount>("accept account FINANCE"));

    [Theory]
    [InlineData("CREATE USER Bob PASSWORD 's3cret'")]
    [InlineData("CREATE USER bob WITH PASSWORD 's3cret'")]
    public void Create_user(string sql) => Assert.Equal(new CreateUser("bob", "s3cret"), Parse<CreateUser>(sql));

    [Theory]
    [InlineData("ALTER USER bob PASSWORD 'n3w'")]
    [InlineData("ALTER USER bob WITH PASSWORD 'n3w'")]
    public void Alter_user_password(string sql) => Assert.Equal(new AlterUserPassword("bob", "n3w"), Parse<AlterUserPassword>(sql));

    [Fact]
    public void Password_survives_quotes_semicolons_and_unicode() =>
        Assert.Equal("it's; DROP TABLE x; -- ünï©ødé 🔑",
            Parse<CreateUser>("CREATE USER u PASSWORD 'it''s; DROP TABLE x; -- ünï©ødé 🔑';").Password);

    [Fact]
    public void Escape_and_dollar_quoted_strings_are_decoded()
    {
        Assert.Equal("a'b\nc", Parse<CreateUser>("CREATE USER u PASSWORD E'a\\'b\\nc'").Password);
        Assert.Equal("x'); DROP USER admin; --", Parse<CreateUser>("CREATE USER u PASSWORD $p$x'); DROP USER admin; --$p$").Password);
    }

    [Fact]
    public void Drop_user() => Assert.Equal(new DropUser("bob"), Parse<DropUser>("DROP USER bob"));

    [Fact]
    public void Domain_admin_grant_and_revoke()
    {
        Assert.Equal(new GrantDomainAdmin("alice"), Parse<GrantDomainAdmin>("GRANT DOMAIN ADMIN TO alice"));
        Assert.Equal(new RevokeDomainAdmin("alice"), Parse<RevokeDomainAdmin>("REVOKE DOMAIN ADMIN FROM alice"));
    }

    [Fact]
    public void Groups()
    {
        Assert.Equal(new CreateGroup("analysts"), Parse<CreateGroup>("CREATE GROUP Analysts"));
        Assert.Equal(new DropGroup("analysts"), Parse<DropGroup>("DROP GROUP analysts"));
        Assert.Equal(new AlterGroupAddUser("analysts", "bob"), Parse<AlterGroupAddUser>("ALTER GROUP analysts ADD USER bob"));
        Assert.Equal(new AlterGroupDropUser("analysts", "bob"), Parse<AlterGroupDropUser>("ALTER GROUP analysts DROP USER bob"));
    }

    [Fact]
    public void Quoted_identifiers_keep_their_case_and_spaces()
    {
        Assert.Equal(new CreateUser("My Name", "x"), Parse<CreateUser>("CREATE USER \"My Name\" PASSWORD 'x'"));
        Assert.Equal(new DropGroup("Say \"hi\""), Parse<DropGroup>("DROP GROUP \"Say \"\"hi\"\"\""));
    }

    [Fact]
    public void Unquoted_folding_is_ascii_only_like_postgres() =>
        Assert.Equal("Ärger", Parse<CreateGroup>("CREATE GROUP ÄRGER").Name);

    [Fact]
    public void Names_up_to_63_characters_are_accepted_and_longer_rejected()
    {
        var ok = new string('a', 63);
        Assert.Equal(ok, Parse<DropUser>($"DROP USER {ok}").Name);
        var sql = $"DROP USER {new string('a', 64)}";
        Assert.Equal("DROP USER ".Length, Fails(sql).Offset);
        var quoted = $"CREATE PROJECT \"{new string('Q', 64)}\" ACCOUNT a PROFILE p";
        Assert.Equal("CREATE PROJECT ".Length, Fails(quoted).Offset);
    }

    [Fact]
    public void Empty_quoted_identifier_is_rejected() => FailsAt("DROP USER \"\"", "\"\"");

    // ---------------- blueprints, profiles, projects ----------------

    [Fact]
    public void Create_blueprint_with_step_parameters()
    {
        var s = Parse<CreateBlueprint>(
            "CREATE BLUEPRINT analytics AS (schema_space, query_limits WITH (memory = '2GB', max_rows = 1000, ratio = 0.5), Audit)");
        Assert.Equal("analytics", s.Name);
        Assert.Equal(["schema_space", "query_limits", "audit"], s.Steps.Select(x => x.Name));
        Assert.Empty(s.Steps[0].Parameters);
        Assert.Equal(new Dictionary<string, string> { ["memory"] = "2GB", ["max_rows"] = "1000", ["ratio"] = "0.5" },
            s.Steps[1].Parameters);
    }

    [Fact]
    public void Create_project_profile()
    {
        var s = Parse<CreateProjectProfile>(
            "CREATE PROJECT PROFILE standard BLUEPRINTS (analytics WITH (tier = 'gold'), sandbox) DESCRIPTION 'Default profile'");
        Assert.Equal("standard", s.Name);
        Assert.Equal(["analytics", "sandbox"], s.Blueprints.Select(b => b.Name));
        Assert.Equal("gold", s.Blueprints[0].Parameters["tier"]);
        Assert.Equal("Default profile", s.Description);
        Assert.Null(Parse<CreateProjectProfile>("CREATE PROJECT PROFILE p BLUEPRINTS (b)").Description);
    }

    [Fact]
    public void Create_project()
    {
        Assert.Equal(new CreateProject("sales", "finance", "standard", "Sales team"),
            Parse<CreateProject>("CREATE PROJECT Sales ACCOUNT finance PROFILE standard DESCRIPTION 'Sales team'"));
        Assert.Equal(new CreateProject("sales", "finance", "standard", null),
            Parse<CreateProject>("CREATE PROJECT sales ACCOUNT finance PROFILE standard"));
    }

    [Fact]
    public void A_project_may_be_named_profile_and_a_profile_account()
    {
        Assert.Equal(new CreateProject("profile", "a", "p", null), Parse<CreateProject>("CREATE PROJECT profile ACCOUNT a PROFILE p"));
        Assert.Equal("account", Parse<CreateProjectProfile>("CREATE PROJECT PROFILE account BLUEPRINTS (b)").Name);
    }

    [Theory]
    [InlineData("ADD MEMBER bob TO PROJECT sales AS OWNER", "bob", false, ProjectRole.Owner)]
    [InlineData("ADD MEMBER bob TO PROJECT sales AS contributor", "bob", false, ProjectRole.Contributor)]
    [InlineData("ADD MEMBER GROUP analysts TO PROJECT sales AS VIEWER", "analysts", true, ProjectRole.Viewer)]
    [InlineData("ADD MEMBER group TO PROJECT sales AS VIEWER", "group", false, ProjectRole.Viewer)]
    [InlineData("ADD MEMBER GROUP to TO PROJECT sales AS VIEWER", "to", true, ProjectRole.Viewer)]
    public void Add_member(string sql, string principal, bool isGroup, ProjectRole role) =>
        Assert.Equal(new AddMember("sales", principal, isGroup, role), Parse<AddMember>(sql));

    [Theory]
    [InlineData("REMOVE MEMBER bob FROM PROJECT sales", "bob", false)]
    [InlineData("REMOVE MEMBER GROUP analysts FROM PROJECT sales", "analysts", true)]
    [InlineData("REMOVE MEMBER group FROM PROJECT sales", "group", false)]
    public void Remove_member(string sql, string principal, bool isGroup) =>
        Assert.Equal(new RemoveMember("sales", principal, isGroup), Parse<RemoveMember>(sql));

    [Fact]
    public void Show_members() => Assert.Equal(new ShowMembers("sales"), Parse<ShowMembers>("SHOW MEMBERS OF PROJECT sales"));

    // ---------------- glossary and assets ----------------

    [Fact]
    public void Create_glossary_term()
    {
        Assert.Equal(new CreateGlossaryTerm("Net Revenue", "Gross minus returns"),
            Parse<CreateGlossaryTerm>("CREATE GLOSSARY TERM 'Net Revenue' DESCRIPTION 'Gross minus returns'"));
        Assert.Equal(new CreateGlossaryTerm("revenue", null), Parse<CreateGlossaryTerm>("CREATE GLOSSARY TERM Revenue"));
    }

    [Fact]
    public void Create_asset_minimal()
    {
        var s = Parse<CreateAsset>("CREATE ASSET sales.orders FROM 'orders/*.parquet'");
        Assert.Equal(new AssetName("sales", "orders"), s.Name);
        Assert.Equal("orders/*.parquet", s.Source);
        Assert.Null(s.Description);
        Assert.Empty(s.Terms);
        Assert.Empty(s.Metadata);
    }

    [Theory]
    [InlineData("CREATE ASSET Sales.\"Orders\" FROM 'o.parquet' DESCRIPTION 'All orders' TERMS ('Sales', revenue) METADATA (owner = 'ops', tier = 'gold')")]
    [InlineData("CREATE ASSET sales.\"Orders\" FROM 'o.parquet' METADATA (Owner = 'ops', tier = 'gold') TERMS ('Sales', REVENUE) DESCRIPTION 'All orders'")]
    public void Create_asset_clauses_in_any_order(string sql)
    {
        var s = Parse<CreateAsset>(sql);
        Assert.Equal(new AssetName("sales", "Orders"), s.Name);
        Assert.Equal("o.parquet", s.Source);
        Assert.Equal("All orders", s.Description);
        Assert.Equal(["Sales", "revenue"], s.Terms);
        Assert.Equal(new Dictionary<string, string> { ["owner"] = "ops", ["tier"] = "gold" }, s.Metadata);
    }

    [Fact]
    public void Alter_asset_forms()
    {
        var name = new AssetName("sales", "orders");
        Assert.Equal(new AlterAssetColumnDescription(name, "email", "Customer's e-mail"),
            Parse<AlterAssetColumnDescription>("ALTER ASSET sales.orders SET COLUMN Email DESCRIPTION 'Customer''s e-mail'"));
        Assert.Equal(new AlterAssetDescription(name, "d"), Parse<AlterAssetDescription>("ALTER ASSET sales.orders SET DESCRIPTION 'd'"));
        Assert.Equal(["a", "b"], Parse<AlterAssetTerms>("ALTER ASSET sales.orders SET TERMS ('a', 'b')").Terms);
        Assert.Empty(Parse<AlterAssetTerms>("ALTER ASSET sales.orders SET TERMS ()").Terms);
        Assert.Equal(new Dictionary<string, string> { ["k"] = "v" },
            Parse<AlterAssetMetadata>("ALTER ASSET sales.orders SET METADATA (k = 'v')").Metadata);
    }

    [Fact]
    public void Publish_unpublish_describe_and_show_assets()
    {
        var name = new AssetName("sales", "orders");
        Assert.Equal(new PublishAsset(name), Parse<PublishAsset>("PUBLISH ASSET sales.orders"));
        Assert.Equal(new UnpublishAsset(name), Parse<UnpublishAsset>("UNPUBLISH ASSET sales . orders"));
        Assert.Equal(new DescribeAsset(name), Parse<DescribeAsset>("describe asset SALES.ORDERS"));
        Assert.Equal(new ShowAssets("sales"), Parse<ShowAssets>("SHOW ASSETS IN PROJECT sales"));
    }

    [Fact]
    public void Search_catalog_text_is_data() =>
        Assert.Equal("revenue'; DROP TABLE x; --", Parse<SearchCatalog>("SEARCH CATALOG 'revenue''; DROP TABLE x; --'").Text);

    // ---------------- subscriptions ----------------

    [Fact]
    public void Request_subscription() =>
        Assert.Equal(new RequestSubscription(new AssetName("sales", "orders"), "marketing", "Campaign analysis"),
            Parse<RequestSubscription>("REQUEST SUBSCRIPTION TO sales.orders FOR PROJECT marketing JUSTIFICATION 'Campaign analysis'"));

    [Fact]
    public void Approve_subscription_bare()
    {
        var s = Parse<ApproveSubscription>("APPROVE SUBSCRIPTION 42");
        Assert.Equal(42, s.Id);
        Assert.Null(s.RowFilter);
        Assert.Null(s.IncludeColumns);
        Assert.Null(s.ExcludeColumns);
        Assert.Empty(s.Masks);
        Assert.Null(s.ExpiresAt);
        Assert.Null(s.ExpiresIn);
        Assert.Null(s.Comment);
    }

    [Fact]
    public void Approve_subscription_with_every_clause()
    {
        var s = Parse<ApproveSubscription>(
            "APPROVE SUBSCRIPTION 7 WITH ROW FILTER (region = 'EU') INCLUDE COLUMNS (id, Email, \"Amount\") " +
            "MASK COLUMNS (email USING hash, name USING redact, phone USING null, dob USING year, card USING partial(2, 4), iban USING PARTIAL(3)) " +
            "EXPIRES '2026-12-31 23:59:59' COMMENT 'ok'");
        Assert.Equal(7, s.Id);
        Assert.Equal("region = 'EU'", s.RowFilter!.Text);
        Assert.Equal(["id", "email", "Amount"], s.IncludeColumns!);
        Assert.Null(s.ExcludeColumns);
        Assert.Equal(
        [
            new ColumnMask("email", MaskKind.Hash), new ColumnMask("name", MaskKind.Redact),
            new ColumnMask("phone", MaskKind.Null), new ColumnMask("dob", MaskKind.Year),
            new ColumnMask("card", MaskKind.Partial, 2, 4), new ColumnMask("iban", MaskKind.Partial, 3, 0),
        ], s.Masks);
        Assert.Equal("2026-12-31 23:59:59", s.ExpiresAt);
        Assert.Null(s.ExpiresIn);
        Assert.Equal("ok", s.Comment);
    }

    [Fact]
    public void Approve_subscription_clauses_in_any_order()
    {
        var s = Parse<ApproveSubscription>(
            "APPROVE SUBSCRIPTION 3 COMMENT 'fine' EXPIRES IN INTERVAL '90 days' EXCLUDE COLUMNS (ssn) WITH ROW FILTER (true)");
        Assert.Equal("fine", s.Comment);
        Assert.Equal("90 days", s.ExpiresIn);
        Assert.Null(s.ExpiresAt);
        Assert.Equal(["ssn"], s.ExcludeColumns!);
        Assert.Null(s.IncludeColumns);
        Assert.Equal("true", s.RowFilter!.Text);
    }

    [Fact]
    public void Row_filter_is_captured_raw_with_nested_parens_and_strings_containing_parens()
    {
        const string filter = "(a = 1 OR (b IN ('x)', ')(', 'it''s'))) AND f(g(c)) > \")odd\"";
        var sql = $"SELECT 1; APPROVE SUBSCRIPTION 1 WITH ROW FILTER (  {filter}  ) COMMENT ')'";
        var statement = StatementSplitter.Split(sql)[1];
        Assert.True(AdminParser.TryParse(statement, out var result));
        var s = Assert.IsType<ApproveSubscription>(result);
        Assert.Equal(filter, s.RowFilter!.Text);
        Assert.Equal(statement.Text.IndexOf(filter, StringComparison.Ordinal), s.RowFilter.Offset);
        Assert.Equal(filter, statement.Text.Substring(s.RowFilter.Offset, filter.Length));
        Assert.Equal(")", s.Comment);
    }

    [Fact]
    public void Row_filter_keeps_inner_comments_but_not_edge_ones()
    {
        var s = Parse<ApproveSubscription>("APPROVE SUBSCRIPTION 1 WITH ROW FILTER (/* lead */ x = 1 /* mid */ AND y = 2 -- tail\n)");
        Assert.Equal("x = 1 /* mid */ AND y = 2", s.RowFilter!.Text);
    }

    [Fact]
    public void Reject_and_revoke_subscription()
    {
        Assert.Equal(new RejectSubscription(5, null), Parse<RejectSubscription>("REJECT SUBSCRIPTION 5"));
        Assert.Equal(new RejectSubscription(5, "no; thanks"), Parse<RejectSubscription>("REJECT SUBSCRIPTION 5 COMMENT 'no; thanks'"));
        Assert.Equal(new RevokeSubscription(9, null), Parse<RevokeSubscription>("REVOKE SUBSCRIPTION 9"));
        Assert.Equal(new RevokeSubscription(9, "expired"), Parse<RevokeSubscription>("REVOKE SUBSCRIPTION 9 COMMENT 'expired'"));
    }

    [Fact]
    public void Show_subscriptions() =>
        Assert.Equal(new ShowSubscriptions("marketing"), Parse<ShowSubscriptions>("SHOW SUBSCRIPTIONS FOR PROJECT marketing"));

    [Theory]
    [InlineData("SHOW AUDIT", 100)]
    [InlineData("SHOW AUDIT LIMIT 1", 1)]
    [InlineData("SHOW AUDIT LIMIT 10000", 10000)]
    public void Show_audit(string sql, int limit) => Assert.Equal(new ShowAudit(limit), Parse<ShowAudit>(sql));


    // ---------------- domain and effective policy ----------------

    [Theory]
    [InlineData("ALTER DOMAIN RENAME TO Sales_Mesh", "sales_mesh")]
    [InlineData("alter domain rename to \"Sales Mesh\"", "Sales Mesh")]
    public void Rename_domain(string sql, string name) => Assert.Equal(new RenameDomain(name), Parse<RenameDomain>(sql));

    [Fact]
    public void Rename_domain_names_are_validated_like_every_other_name()
    {
        FailsAt("ALTER DOMAIN RENAME TO \"\"", "\"\"");
        FailsAt($"ALTER DOMAIN RENAME TO {new string('d', 64)}", "ddd");
        FailsAt("ALTER DOMAIN RENAME TO 'mesh'", "'mesh'");
        Assert.Equal(new RenameDomain(new string('d', 63)), Parse<RenameDomain>($"ALTER DOMAIN RENAME TO {new string('d', 63)}"));
    }

    [Fact]
    public void Show_effective_policy() => Assert.Equal(
        new ShowEffectivePolicy("ml_research", new AssetName("marketing", "mkt_sls_table")),
        Parse<ShowEffectivePolicy>("show effective policy for project ML_RESEARCH on marketing.\"mkt_sls_table\""));

    [Theory]
    [InlineData("SHOW DOMAIN datamesh", "datamesh")]
    [InlineData("ALTER DOMAIN datamesh RENAME TO x", "datamesh")]
    [InlineData("ALTER DOMAIN RENAME x", "x")]
    [InlineData("ALTER DOMAIN RENAME TO a b", "b")]
    [InlineData("SHOW EFFECTIVE POLICY ON marketing.campaigns", "ON")]
    [InlineData("SHOW EFFECTIVE POLICY FOR ml_research ON marketing.campaigns", "ml_research")]
    [InlineData("SHOW EFFECTIVE POLICY FOR PROJECT ml_research marketing.campaigns", "marketing")]
    [InlineData("SHOW EFFECTIVE POLICY FOR PROJECT ml_research ON campaigns", "")]
    [InlineData("SHOW EFFECTIVE POLICY FOR PROJECT ml_research ON marketing.campaigns extra", "extra")]
    [InlineData("SHOW EFFECTIVE POLICY FOR PROJECT 'ml_research' ON marketing.campaigns", "'ml_research'")]
    public void Malformed_domain_and_policy_statements_are_reported_where_they_are(string sql, string marker)
    {
        if (marker.Length == 0) FailsAtEnd(sql);
        else FailsAt(sql, marker);
    }

    [Theory]
    [InlineData("ALTER DOMAIN")]
    [InlineData("ALTER DOMAIN RENAME TO")]
    [InlineData("SHOW EFFECTIVE POLICY")]
    [InlineData("SHOW EFFECTIVE POLICY FOR PROJECT")]
    [InlineData("SHOW EFFECTIVE POLICY FOR PROJECT ml_research ON")]
    [InlineData("SHOW EFFECTIVE POLICY FOR PROJECT ml_research ON marketing.")]
    public void Incomplete_domain_and_policy_statements_fail_at_the_end(string sql) => FailsAtEnd(sql);

    // ---------------- errors ----------------

    [Theory]
    [InlineData("SHOW AUDIT LIMIT 0", "0")]
    [InlineData("SHOW AUDIT LIMIT 10001", "10001")]
    [InlineData("SHOW AUDIT LIMIT 1.5", "1.5")]
    [InlineData("SHOW AUDIT LIMIT ten", "ten")]
    [InlineData("APPROVE SUBSCRIPTION 0", "0")]
    [InlineData("APPROVE SUBSCRIPTION 1.0", "1.0")]
    [InlineData("REJECT SUBSCRIPTION abc", "abc")]
    [InlineData("REVOKE SUBSCRIPTION 99999999999999999999", "999")]
    [InlineData("APPROVE SUBSCRIPTION 1 MASK COLUMNS (c USING partial(1.5))", "1.5")]
    [InlineData("APPROVE SUBSCRIPTION 1 MASK COLUMNS (c USING partial(-1))", "-")]
    [InlineData("APPROVE SUBSCRIPTION 1 MASK COLUMNS (c USING scramble)", "scramble")]
    [InlineData("APPROVE SUBSCRIPTION 1 MASK COLUMNS (c USING hash, c USING redact)", "c USING redact")]
    [InlineData("APPROVE SUBSCRIPTION 1 INCLUDE COLUMNS (a, b, a)", "a)")]
    public void Bad_values_are_reported_at_the_token(string sql, string marker) => FailsAt(sql, marker);

    [Theory]
    [InlineData("DROP USER a b", "b")]
    [InlineData("SHOW USERS please", "please")]
    [InlineData("SHOW PROJECT PROFILES x", "x")]
    [InlineData("ADD MEMBER bob TO sales AS OWNER", "sales")]
    [InlineData("ADD MEMBER bob TO PROJECT sales AS BOSS", "BOSS")]
    [InlineData("CREATE USER bob 'x'", "'x'")]
    [InlineData("CREATE USER 'bob' PASSWORD 'x'", "'bob'")]
    [InlineData("ALTER GROUP g RENAME TO h", "RENAME")]
    [InlineData("ALTER ASSET p.a SET OWNER bob", "OWNER")]
    [InlineData("PUBLISH ASSET orders", "")]
    [InlineData("CREATE ASSET p.a FROM orders", "orders")]
    [InlineData("SEARCH CATALOG revenue", "revenue")]
    [InlineData("CREATE BLUEPRINT b AS ()", ")")]
    [InlineData("CREATE BLUEPRINT b AS (s WITH (k = 1, k = 2))", "k = 2")]
    [InlineData("CREATE BLUEPRINT b AS (s WITH (k = 2GB))", "2GB")]
    [InlineData("CREATE BLUEPRINT b AS (s WITH (k = v))", "v))")]
    [InlineData("CREATE ASSET p.a FROM 'x' METADATA (k = 1)", "1)")]
    [InlineData("APPROVE SUBSCRIPTION 1 WITH ROW FILTER ()", ")")]
    [InlineData("APPROVE SUBSCRIPTION 1 WITH FILTER (x)", "FILTER")]
    [InlineData("APPROVE SUBSCRIPTION 1 EXPIRES IN '3 days'", "'3 days'")]
    [InlineData("APPROVE SUBSCRIPTION 1 COMMENT 'a' extra", "extra")]
    [InlineData("REQUEST SUBSCRIPTION TO p.a FOR marketing JUSTIFICATION 'x'", "marketing")]
    [InlineData("GRANT DOMAIN ADMIN alice", "alice")]
    [InlineData("REVOKE DOMAIN ADMIN TO alice", "TO")]
    public void Unexpected_tokens_are_reported_where_they_are(string sql, string marker)
    {
        // "" marks a token missing at the end; PUBLISH ASSET orders lacks ".asset".
        if (marker.Length == 0) FailsAtEnd(sql);
        else FailsAt(sql, marker);
    }

    [Theory]
    [InlineData("DROP USER")]
    [InlineData("ACCEPT ACCOUNT")]
    [InlineData("SHOW MEMBERS OF PROJECT")]
    [InlineData("CREATE USER bob")]
    [InlineData("CREATE USER bob WITH PASSWORD")]
    [InlineData("ASSOCIATE ACCOUNT a LOCATION '/x' ADMIN")]
    [InlineData("CREATE PROJECT p ACCOUNT a")]
    [InlineData("CREATE PROJECT PROFILE")]
    [InlineData("ADD MEMBER bob TO PROJECT sales AS")]
    [InlineData("ALTER ASSET p.a SET")]
    [InlineData("CREATE ASSET p.a FROM 'x' TERMS ('a',")]
    [InlineData("APPROVE SUBSCRIPTION")]
    [InlineData("APPROVE SUBSCRIPTION 1 WITH ROW FILTER (a = (1)")]
    [InlineData("APPROVE SUBSCRIPTION 1 MASK COLUMNS (c USING partial(1,")]
    [InlineData("SHOW AUDIT LIMIT")]
    [InlineData("REQUEST SUBSCRIPTION TO p.a FOR PROJECT c JUSTIFICATION")]
    [InlineData("CREATE GLOSSARY TERM 'x' DESCRIPTION  ")]
    public void Missing_tokens_are_reported_at_the_end_of_the_text(string sql) =>
        Assert.Equal(sql.TrimEnd().Length, Fails(sql).Offset);

    [Theory]
    [InlineData("CREATE ASSET p.a FROM 'x' DESCRIPTION 'a' TERMS ('t') DESCRIPTION 'b'", "DESCRIPTION 'b'")]
    [InlineData("CREATE ASSET p.a FROM 'x' TERMS ('t') TERMS ('u')", "TERMS ('u')")]
    [InlineData("CREATE ASSET p.a FROM 'x' METADATA (a = 'b') METADATA (c = 'd')", "METADATA (c")]
    [InlineData("APPROVE SUBSCRIPTION 1 INCLUDE COLUMNS (a) EXCLUDE COLUMNS (b)", "EXCLUDE")]
    [InlineData("APPROVE SUBSCRIPTION 1 EXCLUDE COLUMNS (a) INCLUDE COLUMNS (b)", "INCLUDE")]
    [InlineData("APPROVE SUBSCRIPTION 1 COMMENT 'a' COMMENT 'b'", "COMMENT 'b'")]
    [InlineData("APPROVE SUBSCRIPTION 1 EXPIRES '2030-01-01' EXPIRES IN INTERVAL '1 day'", "EXPIRES IN")]
    [InlineData("APPROVE SUBSCRIPTION 1 WITH ROW FILTER (a) MASK COLUMNS (b USING hash) WITH ROW FILTER (c)", "WITH ROW FILTER (c)")]
    [InlineData("APPROVE SUBSCRIPTION 1 MASK COLUMNS (a USING hash) MASK COLUMNS (b USING hash)", "MASK COLUMNS (b")]
    public void Duplicate_or_conflicting_clauses_are_reported_at_the_second(string sql, string marker) => FailsAt(sql, marker);

    [Fact]
    public void Offsets_are_relative_to_the_statement_not_the_query()
    {
        var statements = StatementSplitter.Split("SELECT 'x;y'; /* hi */ DROP USER a b;");
        Assert.Equal("DROP USER a b", statements[1].Text);
        Assert.Equal(12, Fails(statements[1]).Offset);
        var missing = StatementSplitter.Split("SELECT 1;   DROP USER  ;")[1];
        Assert.Equal(missing.Text.Length, Fails(missing).Offset);
    }

    [Fact]
    public void Messages_name_the_offending_token_and_what_was_expected()
    {
        var e = Fails("ADD MEMBER bob TO sales AS OWNER");
        Assert.Contains("\"sales\"", e.Message);
        Assert.Contains("PROJECT", e.Message);
        Assert.Contains("end of input", Fails("DROP USER").Message);
        Assert.Contains("more than once", Fails("APPROVE SUBSCRIPTION 1 COMMENT 'a' COMMENT 'b'").Message);
        Assert.Contains("63", Fails($"DROP USER {new string('x', 70)}").Message);
    }

    [Fact]
    public void Alter_account_admin_parses()
    {
        var statement = StatementSplitter.Split("ALTER ACCOUNT acct_x ADMIN \"Dana\"").Single();
        Assert.True(AdminParser.TryParse(statement, out var result));
        Assert.Equal(new AlterAccountAdmin("acct_x", "Dana"), result);
    }
}
