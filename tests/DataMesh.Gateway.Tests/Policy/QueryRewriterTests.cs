using DataMesh.Gateway.Catalog;
using DataMesh.Gateway.Catalog.Model;
using DataMesh.Gateway.Catalog.Store;
using DataMesh.Gateway.Engine;
using DataMesh.Gateway.Policy;
using DataMesh.Gateway.Policy.Grants;
using DataMesh.Gateway.Policy.Planning;
using DataMesh.Gateway.Policy.Rewrite;
using DataMesh.Gateway.Sql.Ast;
using DuckDB.NET.Data;

namespace DataMesh.Gateway.Tests.Policy;

/// <summary>
/// Governance at library level, through its one entry point (<see cref="QueryPlanner"/>, the same steps the server
/// runs): grants from a real catalog snapshot, queries parsed by DuckDB, rewritten SQL executed by DuckDB over a real
/// Parquet file, results compared with what the grant allows.
/// </summary>
public sealed class QueryRewriterTests : IDisposable
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "datamesh-tests", "policy-" + Guid.NewGuid().ToString("N"));
    private readonly SqlParser _parser = new();
    private readonly DuckDBConnection _duck = new("DataSource=:memory:");
    private readonly CatalogService _catalog;
    private readonly string _parquet;

    public QueryRewriterTests()
    {
        Directory.CreateDirectory(_dir);
        _duck.Open();
        _parquet = Path.Combine(_dir, "sales.parquet");
        Exec($"COPY (SELECT i AS item_id, ['Europe','Asia','Africa'][1 + i % 3] AS region, 'user' || i || '@example.com' AS email, " +
             $"DATE '2024-03-15' + CAST(i AS INTEGER) AS sale_date, i * 10 AS amount FROM range(1, 31) t(i)) TO '{_parquet}' (FORMAT parquet)");
        _catalog = new CatalogService(SqliteCatalogStore.Open(Path.Combine(_dir, "catalog.db")));
        _catalog.Change(w =>
        {
            foreach (var u in new[] { "owner", "consumer" }) w.InsertUser(new UserRecord(u, null, false, "local", Now));
            w.InsertAccount(new AccountRecord("acct", _dir, "owner", AccountStatus.Proposed, "owner", Now, null));
            w.AcceptAccount("acct", Now);
            w.InsertProfile(new ProfileRecord("p", [], null, Now));
            foreach (var p in new[] { "marketing", "research", "other" })
                w.InsertProject(new ProjectRecord(p, "acct", "p", null, new Dictionary<string, string>(), [], "owner", Now));
            List<ColumnRecord> schema = [new("item_id", "BIGINT"), new("region", "VARCHAR"), new("email", "VARCHAR"), new("sale_date", "DATE"), new("amount", "BIGINT")];
            AssetRecord Asset(string name, bool published) => new(0, "marketing", name, "sales.parquet", _parquet, null, [], new Dictionary<string, string>(),
                new Dictionary<string, string>(), schema, published, published ? 1 : null, "owner", Now);
            var sales = w.InsertAsset(Asset("sales", true));
            w.UpdateAsset(w.GetAsset(sales)! with { Published = true, LatestRevision = 1 });
            var draft = w.InsertAsset(Asset("draft", false));
            var id = w.InsertSubscription(new SubscriptionRecord(0, sales, "marketing", "sales", "research", "why", SubscriptionStatus.Pending, "consumer", Now,
                null, null, null, null, null, null, [], null));
            w.UpdateSubscription(w.GetSubscription(id)! with
            {
                StoredStatus = SubscriptionStatus.Approved, RowFilter = "region = 'Europe'", ExcludeColumns = ["email"],
                Masks = [new MaskRecord("sale_date", "year", 0, 0)],
            });
            var expired = w.InsertSubscription(new SubscriptionRecord(0, sales, "marketing", "sales", "other", "why", SubscriptionStatus.Pending, "consumer", Now,
                null, null, null, null, null, null, [], null));
            w.UpdateSubscription(w.GetSubscription(expired)! with { StoredStatus = SubscriptionStatus.Approved, ExpiresAt = Now.AddSeconds(-1) });
            _ = draft;
            return 0;
        });
    }

    private GrantSet Grants(string project) => GrantSet.For(_catalog.Snapshot, project, DateTimeOffset.UtcNow, _parser.Serialize);

    private RewriteResult Rewrite(string project, string sql) =>
        QueryPlanner.Plan(sql, Grants(project), new SqlSyntax(_parser.Serialize, _parser.CanCast), RewriteOptions.Default);

    /// <summary>The rewrite step alone, with the barrier forced on (the planner decides it from the query).</summary>
    private RewriteResult RewriteFenced(string project, string sql)
    {
        var grants = Grants(project);
        return QueryRewriter.Rewrite(SqlAst.Parse(_parser.Serialize(sql), sql), grants, _parser.Serialize, grants.MaskSecret, barrier: true,
            RewriteOptions.Default);
    }

    private List<object?[]> Run(string sql)
    {
        using var cmd = _duck.CreateCommand();
        cmd.CommandText = sql;
        using var reader = cmd.ExecuteReader();
        var rows = new List<object?[]>();
        while (reader.Read())
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++) row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            rows.Add(row);
        }
        return rows;
    }

    private List<string> Columns(string sql)
    {
        using var cmd = _duck.CreateCommand();
        cmd.CommandText = sql;
        using var reader = cmd.ExecuteReader();
        return Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).ToList();
    }

    private void Exec(string sql)
    {
        using var cmd = _duck.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    [Fact]
    public void Subscriber_sees_only_granted_rows_and_columns()
    {
        var result = Rewrite("research", "SELECT * FROM marketing.sales");
        Assert.Equal(["item_id", "region", "sale_date", "amount"], Columns(result.Sql)); // email does not exist for them
        var rows = Run(result.Sql);
        Assert.Equal(10, rows.Count);
        Assert.All(rows, r => Assert.Equal("Europe", r[1]));
        Assert.All(rows, r => Assert.Equal(new DateOnly(2024, 1, 1), r[2] is DateOnly d ? d : DateOnly.FromDateTime((DateTime)r[2]!))); // year mask
        Assert.Equal([1L], Rewrite("research", "SELECT 1 FROM marketing.sales LIMIT 1").Grants.SelectMany(g => g.SubscriptionIds));
    }

    [Fact]
    public void Own_project_reads_everything()
    {
        var rows = Run(Rewrite("marketing", "SELECT count(*), count(DISTINCT region), min(email) FROM sales").Sql);
        Assert.Equal(30L, Convert.ToInt64(rows[0][0]));
        Assert.Equal(3L, Convert.ToInt64(rows[0][1]));
        Assert.NotNull(rows[0][2]);
    }

    [Fact]
    public void Naming_a_hidden_column_fails_like_a_missing_column()
    {
        var sql = Rewrite("research", "SELECT email FROM marketing.sales").Sql;
        var e = Assert.ThrowsAny<Exception>(() => Run(sql));
        Assert.Contains("email", e.Message);
        Assert.Contains("not found", e.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void User_alias_and_unqualified_names_keep_working()
    {
        Assert.Equal(10, Run(Rewrite("research", "SELECT s.region FROM marketing.sales s WHERE s.amount > 0").Sql).Count);
        Assert.Equal(10, Run(Rewrite("research", "SELECT sales.region FROM sales").Sql).Count);
        Assert.Equal(10, Run(Rewrite("research", "SELECT a.item_id FROM marketing.sales AS a JOIN marketing.sales b ON a.item_id = b.item_id").Sql).Count);
    }

    [Fact]
    public void Filter_columns_cannot_be_captured_by_a_user_column_of_the_same_name()
    {
        var rows = Run(Rewrite("research", "SELECT u.region AS mine, s.region FROM (SELECT 'Europe' AS region) u, marketing.sales s").Sql);
        Assert.Equal(10, rows.Count);
        Assert.All(rows, r => Assert.Equal("Europe", r[1]));
    }

    [Fact]
    public void A_cte_named_like_the_asset_shadows_it_and_never_captures_the_source()
    {
        var result = Rewrite("research", "WITH sales AS (SELECT 'cte' AS region) SELECT region FROM sales");
        Assert.Empty(result.Grants);
        Assert.Equal("cte", Run(result.Sql).Single()[0]);
        var inner = Rewrite("research", "WITH x AS (SELECT region FROM marketing.sales) SELECT count(*) FROM x");
        Assert.Equal(10L, Convert.ToInt64(Run(inner.Sql).Single()[0]));
    }

    [Theory]
    [InlineData("SELECT * FROM marketing.draft", "42P01")]            // unpublished asset of another project
    [InlineData("SELECT * FROM marketing.nothing", "42P01")]
    [InlineData("SELECT * FROM nothing", "42P01")]
    [InlineData("SELECT * FROM memory.marketing.sales", "42501")]     // catalog-qualified
    [InlineData("SELECT * FROM 'x.parquet'", "42501")]                 // replacement scan of a file
    [InlineData("SELECT * FROM read_parquet('x.parquet')", "42501")]
    [InlineData("SELECT * FROM query('SELECT 1')", "42501")]
    [InlineData("SELECT * FROM glob('*')", "42501")]
    [InlineData("SELECT * FROM duckdb_settings()", "42501")]
    [InlineData("SUMMARIZE memory.marketing.sales", "42501")]
    [InlineData("SHOW ALL TABLES", "0A000")]                          // no shadow catalog in this instance
    [InlineData("SELECT * FROM main.pg_settings", "42P01")]           // only the unqualified emulation is metadata
    [InlineData("SELECT * FROM main.sales", "42P01")]
    public void Everything_else_is_refused(string sql, string sqlState)
    {
        var e = Assert.Throws<PolicyException>(() => Rewrite("research", sql));
        Assert.Equal(sqlState, e.SqlState);
        Assert.DoesNotContain(_dir, e.Message);
    }

    [Fact]
    public void Describe_and_summarize_see_the_policy_subquery_only()
    {
        var described = Run(Rewrite("research", "DESCRIBE marketing.sales").Sql).Select(r => (string)r[0]!).ToList();
        Assert.Equal(["item_id", "region", "sale_date", "amount"], described);
        var summarize = Rewrite("research", "SUMMARIZE sales").Sql;
        var summary = Run(summarize);
        var countColumn = Columns(summarize).IndexOf("count");
        var count = summary.Select(r => Convert.ToInt64(r[countColumn])).Distinct().Single();
        Assert.Equal(10L, count); // the Europe rows only
        Assert.DoesNotContain(summary, r => Equals(r[0], "email"));
    }

    [Fact]
    public void Metadata_relations_pass_unchanged()
    {
        var result = Rewrite("research", "SELECT count(*) FROM information_schema.tables t JOIN pg_catalog.pg_namespace n ON true");
        Assert.Empty(result.Grants);
        Assert.DoesNotContain("read_parquet", result.Sql);
    }

    [Fact]
    public void Published_asset_without_subscription_says_how_to_request_one()
    {
        var e = Assert.Throws<PolicyException>(() => Rewrite("other", "SELECT * FROM marketing.sales")); // its grant expired
        Assert.Equal("42501", e.SqlState);
        Assert.Contains("REQUEST SUBSCRIPTION TO marketing.sales FOR PROJECT other", e.Hint);
    }

    [Fact]
    public void Allowed_table_functions_pass_and_the_barrier_fences_the_policy_subquery()
    {
        Assert.Equal(3, Run(Rewrite("research", "SELECT * FROM range(3)").Sql).Count);
        var fenced = RewriteFenced("research", "SELECT count(*) FROM marketing.sales WHERE amount > 0");
        Assert.Contains("OFFSET 0", fenced.Sql);
        Assert.Equal(10L, Convert.ToInt64(Run(fenced.Sql).Single()[0]));
    }

    /// <summary>Every step of the server's planning runs here too: the unit tests once rewrote without the function
    /// and literal-cast checks, and the fuzzer without the dialect translation.</summary>
    [Fact]
    public void The_planner_runs_every_step_the_server_runs()
    {
        var function = Assert.Throws<PolicyException>(() => Rewrite("research", "SELECT getenv('HOME') FROM marketing.sales"));
        Assert.Equal(("42501", true), (function.SqlState, function.Message.Contains("getenv", StringComparison.Ordinal)));
        var cast = Assert.Throws<PolicyException>(() => Rewrite("research", "SELECT * FROM marketing.sales WHERE amount = 'x'"));
        Assert.Equal(("22P02", "invalid input syntax for type BIGINT: \"x\""), (cast.SqlState, cast.Message));
        Assert.Empty(Rewrite("research", "SELECT count(*) FROM pg_catalog.pg_namespace").Grants); // translated, then metadata
        Assert.False(Rewrite("research", "SELECT count(*) FROM marketing.sales WHERE amount > 0").Barrier);
        Assert.True(Rewrite("research", "SELECT count(*) FROM marketing.sales WHERE ln(amount) > 0").Barrier);
    }

    [Fact]
    public void A_parse_error_is_42601_at_a_char_offset_of_the_text()
    {
        const string sql = "SELECT 'é😀' FROM WHERE";
        var e = Assert.Throws<PolicyException>(() => Rewrite("research", sql));
        Assert.Equal(("42601", sql.IndexOf("WHERE", StringComparison.Ordinal)), (e.SqlState, e.Position));
    }

    [Fact]
    public void Masks_transform_values_inside_the_subquery()
    {
        Exec("CREATE TABLE __datamesh_src AS SELECT 'abcdefgh' AS s, DATE '2024-05-06' AS d");
        string Eval(GrantColumn c) => Convert.ToString(Run($"SELECT {PolicySubquery.Expression(c, "k")} FROM __datamesh_src").Single()[0], System.Globalization.CultureInfo.InvariantCulture)!;
        Assert.Equal("ab****gh", Eval(new GrantColumn("s", "VARCHAR", "partial", 2, 2)));
        Assert.Equal("abc*****", Eval(new GrantColumn("s", "VARCHAR", "partial", 3, 0)));
        Assert.Equal("****", Eval(new GrantColumn("s", "VARCHAR", "redact")));
        Assert.Equal("", Eval(new GrantColumn("s", "VARCHAR", "null")));
        var year = Run($"SELECT {PolicySubquery.Expression(new GrantColumn("d", "DATE", "year"), "k")} FROM __datamesh_src").Single()[0];
        Assert.Equal(new DateOnly(2024, 1, 1), year is DateOnly d ? d : DateOnly.FromDateTime((DateTime)year!));
        var hash = Eval(new GrantColumn("s", "VARCHAR", "hash"));
        Assert.Equal(64, hash.Length);
        Assert.NotEqual(hash, Convert.ToString(Run("SELECT sha256('abcdefgh')").Single()[0])); // keyed: not the plain hash
    }

    public void Dispose()
    {
        _duck.Dispose();
        _parser.Dispose();
        _catalog.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }
}
