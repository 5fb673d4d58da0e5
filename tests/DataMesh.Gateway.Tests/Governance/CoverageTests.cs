using System.Reflection;
using DataMesh.Gateway.Sql.Ast;
using DataMesh.Gateway.Tests.Sql.Ast;
using DuckDB.NET.Native;

namespace DataMesh.Gateway.Tests.Governance;

/// <summary>
/// Garnet's AllCommandsCovered, for the policy: every table-reference kind the AST reader knows, every statement type
/// DuckDB's parser can produce and every attack class must have an adversarial test tagged for it. A new DuckDB
/// (a new TableReferenceType or StatementType) fails here until someone writes its test.
/// </summary>
public sealed class CoverageTests
{
    /// <summary>Statement types the engine's SQL parser never produces: only C/C++ API objects have them.</summary>
    private static readonly HashSet<DuckDBStatementType> NotFromTheParser =
    [
        DuckDBStatementType.Invalid,     // an error value, not a statement
        DuckDBStatementType.Relation,    // built through the Relation API
        DuckDBStatementType.LogicalPlan, // built from a logical plan
    ];

    /// <summary>
    /// Unknown is what the reader maps an unknown DuckDB type to (the rewriter refuses it); "CTE" exists in DuckDB's
    /// enum but json_serialize_sql never emits it: a CTE reference is a BASE_TABLE the binder resolves to the CTE
    /// (AstCorpusTests). If the corpus ever produces either, <see cref="The_AST_corpus_produces_no_kind_the_enum_lacks"/>
    /// demands a tagged test for it.
    /// </summary>
    private static readonly HashSet<TableRefKind> KindsNotFromTheParser = [TableRefKind.Unknown, TableRefKind.Cte];

    private static IEnumerable<MethodInfo> AdversarialTests() =>
        typeof(CoverageTests).Assembly.GetTypes()
            .Where(t => t.Namespace == typeof(CoverageTests).Namespace)
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance))
            .Where(m => m.GetCustomAttributes<AdversarialAttribute>().Any()
                        && (m.GetCustomAttribute<FactAttribute>() is not null || m.GetCustomAttribute<TheoryAttribute>() is not null));

    [Fact]
    public void Every_table_reference_kind_has_an_adversarial_test_whose_sample_really_produces_it()
    {
        var tagged = AdversarialTests().SelectMany(m => m.GetCustomAttributes<CoversTableRefAttribute>()).ToList();
        var missing = Enum.GetValues<TableRefKind>()
            .Where(k => !KindsNotFromTheParser.Contains(k))
            .Where(k => tagged.All(t => t.Kind != k))
            .ToList();
        Assert.True(missing.Count == 0, "table-reference kinds without an adversarial test: " + string.Join(", ", missing));

        foreach (var tag in tagged)
        {
            var kinds = AstTestEngine.Parse(tag.Sample).TableReferences.Select(r => r.Kind).ToHashSet();
            Assert.True(kinds.Contains(tag.Kind), $"sample [{tag.Sample}] does not produce {tag.Kind}: {string.Join(", ", kinds)}");
        }
    }

    [Fact]
    public void Every_statement_type_the_parser_can_produce_has_an_adversarial_test()
    {
        var tagged = AdversarialTests().SelectMany(m => m.GetCustomAttributes<CoversStatementAttribute>()).Select(a => a.Type).ToHashSet();
        var missing = Enum.GetValues<DuckDBStatementType>().Where(t => !NotFromTheParser.Contains(t) && !tagged.Contains(t)).ToList();
        Assert.True(missing.Count == 0, "statement types without an adversarial test: " + string.Join(", ", missing));
    }

    /// <summary>The statement types DuckDB.NET 1.5.6.1 knows; a new one must be reviewed (and tagged) before this passes.</summary>
    [Fact]
    public void The_reviewed_statement_types_are_all_there_are()
    {
        Assert.Equal(29, Enum.GetValues<DuckDBStatementType>().Length);
    }

    [Fact]
    public void Every_attack_class_has_a_test_and_the_suite_is_large_enough()
    {
        var tests = AdversarialTests().ToList();
        var classes = tests.SelectMany(m => m.GetCustomAttributes<AdversarialAttribute>()).Select(a => a.Attack).ToHashSet();
        var missing = Enum.GetValues<AttackClass>().Where(c => !classes.Contains(c)).ToList();
        Assert.True(missing.Count == 0, "attack classes without a test: " + string.Join(", ", missing));
        Assert.True(tests.Count >= 45, $"only {tests.Count} adversarial test methods");
    }

    /// <summary>The table-reference kinds are built from a corpus of parsed statements (the AST corpus).</summary>
    [Fact]
    public void The_AST_corpus_produces_no_kind_the_enum_lacks()
    {
        var seen = new HashSet<TableRefKind>();
        foreach (var row in AstCorpus.Queries)
            foreach (var r in AstTestEngine.Parse((string)row[0]).TableReferences)
                seen.Add(r.Kind);
        Assert.DoesNotContain(TableRefKind.Unknown, seen);
        Assert.True(seen.Count >= 8, "the corpus covers " + string.Join(", ", seen));
        foreach (var kind in seen)
            Assert.Contains(AdversarialTests().SelectMany(m => m.GetCustomAttributes<CoversTableRefAttribute>()), t => t.Kind == kind);
    }
}
