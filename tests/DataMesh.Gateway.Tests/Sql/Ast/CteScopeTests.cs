using DataMesh.Gateway.Sql.Ast;

namespace DataMesh.Gateway.Tests.Sql.Ast;

/// <summary>
/// CTE binding, each case checked against DuckDB 1.5.6 by running it with real tables of the same names.
/// The expectation lists (offset, refers-to-CTE) for each BASE_TABLE in AST order.
/// </summary>
public sealed class CteScopeTests
{
    private static (int?, bool)[] Refs(string sql) =>
        AstTestEngine.Parse(sql).BaseTables.Select(t => (t.Offset, t.RefersToCte)).ToArray();

    private static int At(string sql, string needle, int occurrence = 1)
    {
        var i = -1;
        for (var k = 0; k < occurrence; k++) i = sql.IndexOf(needle, i + 1, StringComparison.Ordinal);
        return i;
    }

    [Fact]
    public void A_non_recursive_body_does_not_see_itself()
    {
        const string sql = "WITH t AS (SELECT * FROM t) SELECT * FROM t";
        Assert.Equal([(25, false), (42, true)], Refs(sql));
    }

    [Fact]
    public void Later_siblings_are_invisible_even_under_recursive()
    {
        Assert.Equal([(25, false), (59, true)], Refs("WITH a AS (SELECT * FROM b), b AS (SELECT 1) SELECT * FROM a"));
        const string rec = "WITH RECURSIVE a AS (SELECT * FROM b), b AS (SELECT 1) SELECT * FROM a";
        Assert.Equal([(At(rec, "b)"), false), (At(rec, "a", 5), true)], Refs(rec));
    }

    [Fact]
    public void Recursive_term_sees_itself_but_the_anchor_does_not()
    {
        const string sql = "WITH RECURSIVE r(n) AS (SELECT * FROM r UNION ALL SELECT n + 1 FROM r WHERE n < (SELECT max(n) FROM r)) SELECT * FROM r";
        Assert.Equal([(38, false), (68, true), (100, true), (118, true)], Refs(sql));
        // Without a UNION there is no recursive term: the name is the table.
        Assert.Equal([(35, false), (52, true)], Refs("WITH RECURSIVE t AS (SELECT * FROM t) SELECT * FROM t"));
    }

    [Fact]
    public void Qualified_names_are_never_ctes_and_case_is_ignored_for_ascii()
    {
        Assert.Equal([(42, true), (47, false), (57, true)], Refs("WITH tbl AS (SELECT 1 AS x) SELECT * FROM tbl, main.tbl, \"TBL\""));
        Assert.Equal([(44, true), (51, true)], Refs("WITH Sales AS (SELECT 1 AS x) SELECT * FROM SALES, \"sales\""));
        Assert.Equal([(37, false)], Refs("WITH \"É\" AS (SELECT 1) SELECT * FROM \"é\""));
        Assert.Equal([(37, true)], Refs("WITH \"é\" AS (SELECT 1) SELECT * FROM \"é\""));
    }

    [Fact]
    public void Inner_ctes_shadow_outer_ones_and_nested_subqueries_see_outer_ctes()
    {
        Assert.Equal([(71, true), (77, true)], Refs("WITH t AS (SELECT 1) SELECT * FROM (WITH t AS (SELECT 2) SELECT * FROM t) x, t"));
        Assert.Equal([(50, true), (83, true)], Refs("WITH a AS (SELECT 1) SELECT * FROM (SELECT * FROM a) s WHERE EXISTS (SELECT * FROM a)"));
        const string nested = "WITH a AS (SELECT 1), b AS (SELECT * FROM (WITH c AS (SELECT * FROM a) SELECT * FROM c)) SELECT * FROM b";
        Assert.Equal([true, true, true], AstTestEngine.Parse(nested).BaseTables.Select(t => t.RefersToCte));
    }

    [Fact]
    public void A_with_before_a_set_operation_covers_both_sides_but_a_parenthesised_one_does_not()
    {
        Assert.Equal([(35, true), (61, true)], Refs("WITH b AS (SELECT 1) SELECT * FROM b UNION ALL SELECT * FROM b"));
        Assert.Equal([(36, true), (63, false)], Refs("(WITH b AS (SELECT 1) SELECT * FROM b) UNION ALL SELECT * FROM b"));
    }

    [Fact]
    public void A_string_literal_table_name_binds_to_a_cte_of_that_name()
    {
        Assert.Equal([(45, true)], Refs("WITH \"x.parquet\" AS (SELECT 1) SELECT * FROM 'x.parquet'"));
    }

    [Fact]
    public void Using_key_recurring_reference_is_left_as_a_table()
    {
        const string sql = "WITH RECURSIVE r(n) USING KEY (n) AS (SELECT 1 UNION SELECT n + 1 FROM recurring.r WHERE n < 3) SELECT * FROM r";
        var tables = AstTestEngine.Parse(sql).BaseTables.ToList();
        Assert.Equal(("recurring", "r", false), (tables[0].SchemaName, tables[0].TableName, tables[0].RefersToCte));
        Assert.True(tables[1].RefersToCte);
    }

    [Theory]
    [InlineData("abc", "ABC", true)]
    [InlineData("a_1", "A_1", true)]
    [InlineData("é", "É", false)]
    [InlineData("ab", "abc", false)]
    public void Names_match_with_ascii_case_folding_only(string a, string b, bool match) =>
        Assert.Equal(match, CteScope.NamesMatch(a, b));
}
