using DataMesh.Gateway.Engine;
using DataMesh.Gateway.Fuzz.Targets;
using DataMesh.Gateway.Policy.Planning;
using DataMesh.Gateway.Policy.Rewrite;
using DataMesh.Gateway.Sql.Ast;

namespace DataMesh.Gateway.Tests.Policy.Planning;

/// <summary>
/// DuckDB's syntax tree of a statement is read once per plan (issue 15): every step of <see cref="QueryPlanner.Plan"/>
/// (the constant checks on a real instance, the bound-cast trace, RowDescription's column sources and names among
/// them) reads the one typed tree. Planned as the rewrite fuzzer plans, with the server's own constant evaluator.
/// </summary>
public sealed class SyntaxTreeReadOnceTests : IDisposable
{
    // Constants (length, upper), a string compared with a typed column, a cast the binder adds over a constant, a
    // computed and a plain column, a function's name for an unaliased column: every reader of the tree has work.
    private const string Query = "SELECT region, amount + length('abc') AS a, upper(region) FROM marketing.sales "
        + "WHERE amount + 0 = length('xyz') AND sale_date > '2024-01-01' AND amount > abs(-1)";

    private readonly RewriteTarget _target = new();
    private readonly SqlParser _parser = new();

    [Fact]
    public void A_cache_miss_reads_the_statements_json_exactly_once()
    {
        var serialized = new List<(string Sql, string Json)>();
        var syntax = new SqlSyntax(sql =>
        {
            var json = _parser.Serialize(sql);
            serialized.Add((sql, json));
            return json;
        }, _parser.CanCast);
        var reads = new List<string>();
        RewriteResult result;
        using (SqlAst.ObserveReads(reads.Add))
            result = QueryPlanner.Plan(Query, _target.Catalog.Grants, syntax, RewriteOptions.Default, _target.Constants);

        // The statement went to DuckDB's parser once, and its JSON was read into a tree once; the only other document
        // of the plan's own is the rewritten text's, read to verify it.
        var statement = Assert.Single(serialized, s => s.Sql == Query);
        Assert.Equal(1, reads.Count(r => r == statement.Json));
        Assert.Contains(reads, r => r != statement.Json && serialized.Any(s => s.Sql == result.Sql && s.Json == r));
        // Every step ran on that tree: the constant checks kept the grant's filter, the names and sources are read.
        Assert.Equal(["region", "a", "upper"], result.ColumnNames);
        var sources = Assert.IsType<SelectColumnSources>(result.ColumnSources);
        Assert.Equal([new SelectSource("region", "", false), new SelectSource(null, "", false), new SelectSource(null, "", false)], sources.Select);
        Assert.Equal([new FromRelation("marketing", "sales", "sales")], sources.From);
        Assert.Single(result.Grants);
    }

    [Fact]
    public void The_parsed_query_keeps_no_json_for_a_step_to_parse_again()
    {
        // The tree is the only thing a step gets: no text of the document survives the one read.
        var strings = typeof(ParsedQuery).GetProperties().Where(p => p.PropertyType == typeof(string)).Select(p => p.Name);
        Assert.Equal(["OriginalSql"], strings);
        var json = _parser.Serialize(Query);
        var parsed = SqlAst.Parse(json, Query);
        Assert.DoesNotContain(typeof(ParsedQuery).GetFields(System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic
            | System.Reflection.BindingFlags.Public), f => ReferenceEquals(f.GetValue(parsed), json));
    }

    [Fact]
    public void The_constant_checks_run_on_the_tree_and_report_the_engines_error()
    {
        // A constant that cannot be evaluated (ConstantScan over the tree), and a cast the binder adds over a constant
        // (BoundCasts tracing the plan back to the tree): each fails at planning with the engine's error.
        var syntax = new SqlSyntax(_parser.Serialize, _parser.CanCast);
        var scan = Assert.Throws<ConstantError>(() => QueryPlanner.Plan(
            "SELECT region FROM marketing.sales WHERE amount > CAST('x' || 'y' AS INTEGER)", _target.Catalog.Grants, syntax,
            RewriteOptions.Default, _target.Constants));
        Assert.Equal("22P02", scan.Error.SqlState);
        Assert.Equal("Could not convert string 'xy' to INT32", scan.Error.Message);
        var bound = Assert.Throws<ConstantError>(() => QueryPlanner.Plan(
            "SELECT region FROM marketing.sales WHERE amount + 0 = lower('X')", _target.Catalog.Grants, syntax,
            RewriteOptions.Default, _target.Constants));
        Assert.Equal("22P02", bound.Error.SqlState);
        Assert.Contains("'x'", bound.Error.Message, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        _parser.Dispose();
        _target.Dispose();
    }
}
