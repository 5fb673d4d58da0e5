using DataMesh.Gateway.Sql.Ast;

namespace DataMesh.Gateway.Tests.Sql.Ast;

public sealed class AstCorpusTests
{
    public static TheoryData<string, string[]> Corpus => AstCorpus.Queries;

    [Theory]
    [MemberData(nameof(Corpus))]
    public void Base_table_spans_and_cte_binding_match_the_text(string sql, string[] expected)
    {
        var query = AstTestEngine.Parse(sql);
        var actual = query.BaseTables.Select(t => (t.RefersToCte ? "*" : "") + t.NameSpan!.Value.Of(sql)).ToArray();
        Assert.Equal(expected, actual);
    }

    [Theory]
    [MemberData(nameof(Corpus))]
    public void Every_base_table_has_a_span_that_starts_at_its_offset_and_is_exactly_the_name(string sql, string[] _)
    {
        var query = AstTestEngine.Parse(sql);
        foreach (var table in query.BaseTables)
        {
            Assert.NotNull(table.NameSpan);
            var span = table.NameSpan!.Value;
            Assert.Equal(table.Offset, span.Start);
            // Re-measuring the span text alone gives the whole text back: it is exactly the qualified name.
            var text = span.Of(sql);
            Assert.Equal(span.Length, TableNameLexer.Measure(text, 0, table.CatalogName, table.SchemaName, table.TableName).Length);
        }
    }

    [Fact]
    public void Every_class_and_type_in_the_corpus_is_known_to_the_walker()
    {
        var classes = new SortedSet<string>(StringComparer.Ordinal);
        var types = new SortedSet<string>(StringComparer.Ordinal);
        var unknown = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var row in AstCorpus.Queries)
        {
            var query = AstTestEngine.Parse((string)row[0]);
            classes.UnionWith(query.NodeClasses);
            types.UnionWith(query.NodeTypes);
            unknown.UnionWith(query.UnknownKinds);
        }
        Assert.Empty(unknown);
        Assert.All(classes, c => Assert.True(AstKinds.IsKnownClass(c), c));
        Assert.All(types, t => Assert.True(AstKinds.IsKnownType(t), t));
        // The corpus exercises every table reference kind DuckDB 1.5.6 serialises (it never emits "CTE").
        foreach (var kind in new[] { "BASE_TABLE", "TABLE_FUNCTION", "SUBQUERY", "JOIN", "EXPRESSION_LIST", "EMPTY", "PIVOT", "SHOW_REF" })
            Assert.Contains(kind, types);
        foreach (var kind in new[] { "SELECT_NODE", "SET_OPERATION_NODE", "RECURSIVE_CTE_NODE" })
            Assert.Contains(kind, types);
    }

    [Fact]
    public void Corpus_is_large_enough() => Assert.True(AstCorpus.Queries.Count() >= 60);
}
