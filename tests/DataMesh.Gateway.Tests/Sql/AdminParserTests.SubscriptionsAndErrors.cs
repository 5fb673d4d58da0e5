using DataMesh.Gateway.Sql.Admin;
using DataMesh.Gateway.Sql.Lexing;

namespace DataMesh.Gateway.Tests.Sql;

/// <summary>Asset, subscription, audit and domain statements, and where malformed statements are reported.</summary>
public sealed partial class AdminParserTests
{
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
    [InlineData("ALTER GROUP g RENAME h", "h")]
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
