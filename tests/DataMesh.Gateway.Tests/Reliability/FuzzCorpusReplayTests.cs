using DataMesh.Gateway.Fuzz;
using DataMesh.Gateway.Fuzz.Targets;
using DataMesh.Gateway.Policy.Rewrite;

namespace DataMesh.Gateway.Tests.Reliability;

/// <summary>
/// Every seed and every crash the fuzzers found (tests/fuzz/&lt;target&gt;/corpus and crashes), replayed through the very
/// harness code afl-fuzz runs: a fixed crash that comes back fails the normal suite, with the file's name.
/// </summary>
public sealed class FuzzCorpusReplayTests
{
    // One instance per target for the whole class: the rewrite target opens DuckDB's parser and a catalog.
    private static readonly Dictionary<string, Lazy<IFuzzTarget>> Targets =
        FuzzTargets.Names.ToDictionary(n => n, n => new Lazy<IFuzzTarget>(() => FuzzTargets.Find(n)!));

    public static TheoryData<string, string> Inputs()
    {
        var data = new TheoryData<string, string>();
        foreach (var target in FuzzTargets.Names)
            foreach (var folder in new[] { "corpus", "crashes" })
            {
                var dir = Path.Combine(FuzzRoot(), target, folder);
                if (!Directory.Exists(dir)) continue;
                foreach (var file in Directory.GetFiles(dir).Order(StringComparer.Ordinal))
                    data.Add(target, Path.GetRelativePath(FuzzRoot(), file));
            }
        return data;
    }

    [Theory]
    [MemberData(nameof(Inputs))]
    public void Input_runs_without_a_crash(string target, string file)
    {
        var input = File.ReadAllBytes(Path.Combine(FuzzRoot(), file));
        var harness = Targets[target].Value;
        lock (harness) harness.Run(input);
    }

    [Fact]
    public void Every_target_has_a_seed_corpus()
    {
        foreach (var target in FuzzTargets.Names)
            Assert.True(Directory.GetFiles(Path.Combine(FuzzRoot(), target, "corpus")).Length >= 10, $"{target} has almost no seeds");
    }

    [Fact]
    public void The_rewrite_oracle_flags_a_source_read_outside_the_policy_subqueries()
    {
        var rewrite = (RewriteTarget)Targets["rewrite"].Value;
        lock (rewrite)
        {
            var path = rewrite.Catalog.SourcePaths.Single(p => p.EndsWith("secret.parquet", StringComparison.Ordinal));
            var leaking = new RewriteResult($"SELECT * FROM read_parquet('{path}')", [], false);
            Assert.Throws<FuzzInvariantException>(() => rewrite.Check("SELECT * FROM secret", leaking));
            var hidden = new RewriteResult($"SELECT {RewriteCatalog.HiddenColumn} FROM (SELECT 1)", [], false);
            Assert.Throws<FuzzInvariantException>(() => rewrite.Check("SELECT * FROM sales", hidden));
            // The user's own words are not a leak.
            rewrite.Check($"SELECT {RewriteCatalog.HiddenColumn} FROM (SELECT 1)", hidden);
        }
    }

    [Fact]
    public void A_real_rewrite_passes_the_oracle()
    {
        var rewrite = Targets["rewrite"].Value;
        lock (rewrite) rewrite.Run("SELECT s.region, n.note FROM marketing.sales s JOIN notes n ON s.amount = n.id"u8);
    }

    private static string FuzzRoot()
    {
        var dir = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(dir, "DataMesh.Gateway.sln"))) dir = Path.GetDirectoryName(dir)!;
        return Path.Combine(dir, "tests", "fuzz");
    }
}
