using DataMesh.Gateway.Sql.Admin;
using DataMesh.Gateway.Sql.Lexing;

namespace DataMesh.Gateway.Tests.Sql;

public sealed partial class AdminParserTests
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
        Assert.Equal(["order_id", "line"], Parse<AlterAssetPrimaryKey>("ALTER ASSET sales.orders SET PRIMARY KEY (Order_Id, \"line\")").Columns);
        Assert.Empty(Parse<AlterAssetPrimaryKey>("alter asset sales.orders set primary key ()").Columns);
        Assert.Equal(["sold_on"], Parse<AlterAssetClusterBy>("ALTER ASSET sales.orders SET CLUSTER BY (sold_on)").Columns);
        Assert.Empty(Parse<AlterAssetClusterBy>("ALTER ASSET sales.orders SET CLUSTER BY ()").Columns);
        FailsAt("ALTER ASSET sales.orders SET PRIMARY KEY (a, b, a)", "a)");
        FailsAt("ALTER ASSET sales.orders SET PRIMARY (a)", "(a)");
        FailsAt("ALTER ASSET sales.orders SET CLUSTER (a)", "(a)");
        FailsAtEnd("ALTER ASSET sales.orders SET CLUSTER BY (a,");
        FailsAt("ALTER ASSET sales.orders SET PRIMARY KEY (a) extra", "extra");
        Assert.Equal(new Dictionary<string, string> { ["k"] = "v" },
            Parse<AlterAssetMetadata>("ALTER ASSET sales.orders SET METADATA (k = 'v')").Metadata);
    }

}
