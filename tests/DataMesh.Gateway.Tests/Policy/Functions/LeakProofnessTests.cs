using DataMesh.Gateway.Policy.Functions;
using DataMesh.Gateway.Sql.Ast;
using DataMesh.Gateway.Tests.Sql.Ast;
using DuckDB.NET.Data;

namespace DataMesh.Gateway.Tests.Policy.Functions;

public sealed class LeakProofnessTests
{
    private static readonly Dictionary<string, string> Types = new(StringComparer.OrdinalIgnoreCase)
    {
        ["region"] = "VARCHAR", ["name"] = "VARCHAR", ["amount"] = "DECIMAL(10,2)", ["id"] = "BIGINT",
        ["qty"] = "INTEGER", ["price"] = "DOUBLE", ["d"] = "DATE", ["ts"] = "TIMESTAMP", ["flag"] = "BOOLEAN",
        ["l_orderkey"] = "BIGINT", ["big"] = "HUGEINT", ["tags"] = "VARCHAR[]", ["region2"] = "VARCHAR",
    };

    private static readonly LeakProofness Typed = new(parts => Types.TryGetValue(parts[^1], out var t) ? t : null);

    /// <summary>The WHERE clause of <c>SELECT * FROM t WHERE {predicate}</c> as DuckDB serialises it.</summary>
    private static AstNode Where(string predicate) =>
        AstTestEngine.Parse($"SELECT * FROM t WHERE {predicate}").Statement.Node("node")!.Node("where_clause")!;

    [Fact]
    public void The_reference_error_oracle_predicate_is_not_leak_proof()
    {
        var e = Where("chr(CASE WHEN l_orderkey = 5 THEN -1 ELSE 65 END) IS NOT NULL");
        Assert.False(Typed.IsLeakProof(e));
        Assert.False(LeakProofness.Untyped.IsLeakProof(e));
    }

    [Fact]
    public void A_plain_filter_on_typed_columns_is_leak_proof()
    {
        Assert.True(Typed.IsLeakProof(Where("region = 'Europe' AND amount > 10")), Typed.WhyNot(Where("region = 'Europe' AND amount > 10")));
    }

    [Fact]
    public void Without_column_types_no_comparison_with_a_column_is_leak_proof()
    {
        // region could be an INTEGER column (then 'Europe' is cast lazily and fails only when a row reaches it) and
        // amount could be VARCHAR (then every row is cast to INTEGER): see Implicit_casts_are_row_dependent_error_oracles.
        Assert.False(LeakProofness.Untyped.IsLeakProof(Where("region = 'Europe' AND amount > 10")));
        Assert.True(LeakProofness.Untyped.IsLeakProof(Where("flag")));
        Assert.True(LeakProofness.Untyped.IsLeakProof(Where("name IS NULL OR NOT flag")));
    }

    public static readonly TheoryData<string> LeakProof = new()
    {
        "flag", "NOT flag", "true", "name IS NULL", "name IS NOT NULL", "region = 'Europe' OR region <> 'Asia'",
        "amount >= 10.5 AND amount < 100", "qty = 1000000000000", "id > 5 AND id <= 2.5", "price > 1e300",
        "id IS DISTINCT FROM 3", "id IS NOT DISTINCT FROM NULL", "region IN ('a', 'b', 'c')", "qty NOT IN (1, 2, 3)",
        "qty BETWEEN 1 AND 10", "d BETWEEN DATE '2024-01-01' AND '2024-12-31'", "ts >= '2024-01-01 10:00:00'",
        "ts < DATE '2024-06-30'", "name LIKE 'A%'", "name NOT LIKE '%x%'", "name ILIKE 'a%'", "name NOT ILIKE 'b%'",
        "flag = true", "region = region2", "id = '42'", "region = NULL", "qty > 1 AND (name LIKE 'a%' OR flag IS NULL)",
        // Parameters the client typed at Parse (the server writes the cast; the value is decoded with that type at Bind).
        "id = CAST($1 AS BIGINT)", "qty >= CAST($1 AS INTEGER)", "region = CAST($1 AS VARCHAR)", "d >= CAST($1 AS DATE)",
        "ts < CAST($2 AS TIMESTAMP)", "amount > CAST($1 AS BIGINT)", "flag = CAST($1 AS BOOLEAN)",
    };

    [Theory]
    [MemberData(nameof(LeakProof))]
    public void Leak_proof_predicates(string predicate)
    {
        var e = Where(predicate);
        Assert.True(Typed.IsLeakProof(e), Typed.WhyNot(e));
    }

    public static readonly TheoryData<string> NotLeakProof = new()
    {
        // Error oracles from REFERENCE.md.
        "chr(CASE WHEN l_orderkey = 5 THEN -1 ELSE 65 END) IS NOT NULL",
        "list_reduce([], (a, b) -> a + b) IS NULL",
        "to_timestamp(id) IS NOT NULL",
        "epoch_ms(id) IS NOT NULL",
        "regexp_replace(name, '(', 'x') = 'a'",
        "string_split_regex(name, '[') IS NOT NULL",
        "name SIMILAR TO '('",
        "to_base(id, 1) = 'x'",
        "ln(amount) > 0",
        "json_extract(name, '$.a') IS NOT NULL",
        "strptime(name, '%Y') IS NOT NULL",
        "error('x')",
        // Casts can fail.
        "CAST(name AS INTEGER) = 1", "name::DATE > DATE '2024-01-01'", "TRY_CAST(name AS INTEGER) = 1",
        "DATE '2024-13-45' = d",
        // Arithmetic can overflow or fail.
        "qty + 1 > 5", "qty - 1 > 5", "qty * 2 > 5", "qty / 2 > 5", "qty // 2 > 5", "qty % 2 = 0", "-qty > 5",
        "qty ** 2 > 5", "d + INTERVAL 1 DAY > DATE '2024-01-01'",
        // Decimal arithmetic that could need more than 38 digits, or mixes in integer or float columns.
        "(amount * amount * amount * amount) IS NOT NULL", "(qty * amount) IS NOT NULL", "(price * amount) IS NOT NULL",
        "(amount / 2) IS NOT NULL", "(amount % 2) IS NOT NULL", "(-amount) IS NOT NULL", "(amount * '2') IS NOT NULL",
        // Implicit per-row casts (types that do not match).
        "name = 5", "name IN (5, 6)", "id = 'x'", "qty = '99999999999'", "d = '2024-13-45'", "qty IN (1, 2.5, 'x')",
        "big = 5.5", "region = qty", "tags = 'x'", "flag = 'maybe'", "d = TIMESTAMP '2024-01-01 10:00'",
        // Other shapes.
        "CASE WHEN flag THEN true ELSE false END", "coalesce(flag, false)", "upper(name) = 'MAIL'",
        "name LIKE 'a!%' ESCAPE '!'", "name GLOB 'a*'", "id = (SELECT max(id) FROM u)", "id IN (SELECT id FROM u)",
        "EXISTS (SELECT 1 FROM u)", "tags[1] = 'x'", "name COLLATE nocase = 'a'", "id = $1", "TRY(qty + 1) > 0",
        "list_contains(tags, 'x')", "id = abs(-3)",
        // Typed parameters whose type does not compare safely with the column, or casts other than the server's.
        "region = CAST($1 AS BIGINT)", "id = CAST($1 AS VARCHAR)", "id = TRY_CAST($1 AS BIGINT)",
        "amount = CAST($1 AS DECIMAL(10,2))", "d = CAST($1 AS TIMESTAMP)", "id = CAST(CAST($1 AS VARCHAR) AS BIGINT) + 0",
    };

    [Theory]
    [MemberData(nameof(NotLeakProof))]
    public void Not_leak_proof_expressions(string predicate)
    {
        var e = Where(predicate);
        Assert.False(Typed.IsLeakProof(e));
        Assert.NotNull(Typed.WhyNot(e));
    }

    [Fact]
    public void Query_with_only_leak_proof_expressions_needs_no_barrier()
    {
        var q = AstTestEngine.Parse(
            "SELECT region, sum(amount), count(*), max(d) FROM sales WHERE region = 'Europe' AND amount > 10 GROUP BY region HAVING count(*) > 1 ORDER BY region LIMIT 10");
        var analysis = Typed.Analyze(q);
        Assert.False(analysis.RequiresBarrier, string.Join("; ", analysis.Findings));
    }

    [Theory]
    [InlineData("SELECT * FROM sales WHERE chr(CASE WHEN l_orderkey = 5 THEN -1 ELSE 65 END) IS NOT NULL", "FUNCTION")]
    [InlineData("SELECT qty + 1 FROM sales", "FUNCTION")]
    [InlineData("SELECT amount * price FROM sales", "FUNCTION")]
    [InlineData("SELECT * FROM sales s JOIN other o ON CAST(s.name AS INT) = o.id", "COMPARISON")]
    [InlineData("SELECT region, count(*) FROM sales GROUP BY region HAVING max(to_timestamp(id)) IS NOT NULL", "FUNCTION")]
    [InlineData("SELECT region FROM sales QUALIFY row_number() OVER (ORDER BY ln(amount)) = 1", "COMPARISON")]
    [InlineData("SELECT * FROM sales WHERE id IN (SELECT id FROM other WHERE qty * 2 > 3)", "FUNCTION")]
    [InlineData("SELECT sum(qty * 2) FROM sales", "FUNCTION")]
    public void Query_with_a_non_leak_proof_expression_needs_a_barrier(string sql, string cls)
    {
        var q = AstTestEngine.Parse(sql);
        var analysis = Typed.Analyze(q);
        Assert.True(analysis.RequiresBarrier);
        Assert.Contains(analysis.Findings, f => f.ExpressionClass == cls && f.Offset is not null && f.Reason.Length > 0);
    }

    [Theory]
    [InlineData("SELECT sum(amount * amount), sum(amount - 1.5), sum((amount + 1) * 0.07) FROM sales WHERE region = 'x'")]
    [InlineData("SELECT region, sum(amount * (1 - amount)) AS v FROM sales GROUP BY region")]
    [InlineData("SELECT amount * 100 AS cents FROM sales")]
    public void Decimal_arithmetic_that_fits_38_digits_needs_no_barrier(string sql)
    {
        var analysis = Typed.Analyze(AstTestEngine.Parse(sql));
        Assert.False(analysis.RequiresBarrier, string.Join("; ", analysis.Findings));
    }

    /// <summary>
    /// Why decimal + - * within 38 digits is leak-proof and beyond is not, on the engine itself (DuckDB 1.5.6): at the
    /// extremes of each type the first kind never raises, the second does. The classifier must agree with both.
    /// </summary>
    [Theory]
    [InlineData("DECIMAL(15,2)", "DECIMAL(15,2)", "*", false)]
    [InlineData("DECIMAL(19,0)", "DECIMAL(19,0)", "*", false)]
    [InlineData("DECIMAL(18,4)", "DECIMAL(20,4)", "*", false)]
    [InlineData("DECIMAL(37,0)", "DECIMAL(37,0)", "+", false)]
    [InlineData("DECIMAL(37,2)", "DECIMAL(30,10)", "-", true)]
    [InlineData("DECIMAL(37,0)", "DECIMAL(37,0)", "-", false)]
    [InlineData("DECIMAL(38,0)", "DECIMAL(38,0)", "+", true)]
    [InlineData("DECIMAL(38,0)", "DECIMAL(2,0)", "*", true)]
    [InlineData("DECIMAL(20,0)", "DECIMAL(19,0)", "*", true)]
    public void Decimal_arithmetic_within_38_digits_never_fails_and_beyond_can(string left, string right, string op, bool canFail)
    {
        using var c = new DuckDBConnection("DataSource=:memory:");
        c.Open();
        static string Max(string type)
        {
            var m = System.Text.RegularExpressions.Regex.Match(type, @"DECIMAL\((\d+),(\d+)\)");
            var (w, sc) = (int.Parse(m.Groups[1].Value), int.Parse(m.Groups[2].Value));
            return new string('9', w - sc) + (sc > 0 ? "." + new string('9', sc) : "");
        }
        using (var create = c.CreateCommand())
        {
            // Every sign combination of the extremes: the largest magnitudes each type holds.
            create.CommandText = $"CREATE TABLE t AS SELECT CAST(a AS {left}) AS x, CAST(b AS {right}) AS y FROM "
                + $"(VALUES ({Max(left)}, {Max(right)}), (-{Max(left)}, {Max(right)}), ({Max(left)}, -{Max(right)}), (-{Max(left)}, -{Max(right)})) v(a, b)";
            create.ExecuteNonQuery();
        }
        var failed = false;
        using (var cmd = c.CreateCommand())
        {
            cmd.CommandText = $"SELECT sum(CASE WHEN (x {op} y) IS NULL THEN 0 ELSE 1 END) FROM t";
            try { cmd.ExecuteScalar(); }
            catch (DuckDBException) { failed = true; }
        }
        var typed = new LeakProofness(p => p[^1] switch { "x" => left, "y" => right, _ => null });
        var analysis = typed.Analyze(AstTestEngine.Parse($"SELECT sum(x {op} y) FROM t"));
        if (canFail) Assert.True(analysis.RequiresBarrier, $"{left} {op} {right} can overflow but was judged leak-proof");
        else Assert.False(analysis.RequiresBarrier, string.Join("; ", analysis.Findings));
        // The engine agrees wherever a failure is possible at all; a "can fail" case the engine happens to survive
        // (the capped result still fits these values) would only make the classifier conservative, never wrong.
        if (!canFail) Assert.False(failed, $"DuckDB raised on {left} {op} {right} although the result fits 38 digits");
        if (canFail && op == "+" || canFail && left == "DECIMAL(38,0)") Assert.True(failed, $"expected DuckDB to overflow on {left} {op} {right}");
    }

    [Theory]
    [InlineData("flag AND chr(qty) IS NOT NULL", "FUNCTION", "chr")]
    [InlineData("NOT (region = 'x' OR to_timestamp(id) IS NULL)", "FUNCTION", "to_timestamp")]
    [InlineData("region = 'Europe' AND CAST(name AS INTEGER) IS NULL", "CAST", "cast")]
    [InlineData("qty IN (1, 2) AND (SELECT 1) IS NULL", "SUBQUERY", "SUBQUERY")]
    public void A_finding_names_the_culprit_node_not_the_connective_around_it(string predicate, string cls, string reason)
    {
        var sql = $"SELECT * FROM sales WHERE {predicate}";
        var finding = Assert.Single(Typed.Analyze(AstTestEngine.Parse(sql)).Findings);
        Assert.Equal(cls, finding.ExpressionClass);
        Assert.Contains(reason, finding.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("HAVING count(*) > 1", true)]
    [InlineData("HAVING count(DISTINCT name) <= 10", true)]
    [InlineData("HAVING count(*) = 'x'", false)]
    [InlineData("HAVING sum(amount) > 10", false)] // sum's result type is not tracked: its comparison stays unknown
    [InlineData("HAVING max(to_timestamp(id)) IS NOT NULL", false)]
    public void Count_results_compare_like_bigint_columns(string having, bool leakProof)
    {
        var analysis = Typed.Analyze(AstTestEngine.Parse($"SELECT region FROM sales GROUP BY region {having}"));
        Assert.True(leakProof != analysis.RequiresBarrier, string.Join("; ", analysis.Findings));
    }

    [Fact]
    public void Table_function_arguments_are_evaluated_once_and_do_not_need_a_barrier()
    {
        var q = AstTestEngine.Parse("SELECT i FROM range(10 * 2) r(i) WHERE i = 3");
        var typed = new LeakProofness(parts => parts[^1] == "i" ? "BIGINT" : null);
        Assert.False(typed.Analyze(q).RequiresBarrier, string.Join("; ", typed.Analyze(q).Findings));
    }

    [Fact]
    public void Findings_carry_char_offsets_into_the_original_text()
    {
        // Two culprits: upper (not known to be leak-proof) and the comparison (its operand has no known type, so the
        // implicit cast to VARCHAR cannot be checked). Each finding sits at its own node, in chars, not UTF-8 bytes.
        const string sql = "SELECT 'é€' AS a FROM sales WHERE upper(name) = 'X'";
        var findings = Typed.Analyze(AstTestEngine.Parse(sql)).Findings;
        Assert.Equal(2, findings.Count);
        Assert.Contains(findings, f => f.ExpressionClass == "COMPARISON" && f.Offset == sql.IndexOf("= 'X'", StringComparison.Ordinal));
        Assert.Contains(findings, f => f.ExpressionClass == "FUNCTION" && f.Offset == sql.IndexOf("upper", StringComparison.Ordinal)
            && f.Reason.Contains("upper", StringComparison.Ordinal));
    }

    /// <summary>
    /// Why comparisons need column types: DuckDB casts implicitly, per row and lazily, so a conjunction of two
    /// "harmless" comparisons raises an error exactly when a given row exists (checked on DuckDB 1.5.6).
    /// </summary>
    [Fact]
    public void Implicit_casts_are_row_dependent_error_oracles()
    {
        using var c = new DuckDBConnection("DataSource=:memory:");
        c.Open();
        using (var create = c.CreateCommand())
        {
            create.CommandText = "CREATE TABLE t AS SELECT range AS id, range % 7 AS s, 'v' || range AS v FROM range(100000)";
            create.ExecuteNonQuery();
        }
        bool Fails(string where)
        {
            using var cmd = c.CreateCommand();
            cmd.CommandText = $"SELECT count(*) FROM t WHERE {where}";
            try { cmd.ExecuteScalar(); return false; }
            catch (DuckDBException) { return true; }
        }
        Assert.True(Fails("id = 3 AND s = 'x'"));   // row 3 exists: error
        Assert.False(Fails("id = -3 AND s = 'x'")); // no such row: no error
        Assert.True(Fails("id = 3 AND v = 5"));
        Assert.False(Fails("id = -3 AND v = 5"));

        var bigintS = new LeakProofness(p => p[^1] switch { "id" => "BIGINT", "s" => "BIGINT", "v" => "VARCHAR", _ => null });
        Assert.False(bigintS.IsLeakProof(Where("id = 3 AND s = 'x'")));
        Assert.False(bigintS.IsLeakProof(Where("id = 3 AND v = 5")));
        Assert.True(bigintS.IsLeakProof(Where("id = 3 AND s = '4' AND v = 'v3'")));
    }
}
