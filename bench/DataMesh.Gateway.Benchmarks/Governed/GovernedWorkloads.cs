using System.Globalization;

namespace DataMesh.Gateway.Benchmarks.Governed;

/// <summary>
/// One consumer query of the governed benchmarks. <see cref="HandWritten"/> is what a user with direct access would
/// write over the file (the row filter in the outer WHERE, no subquery): the floor for the governed rewrite.
/// <see cref="Twin"/> names the leak-proof query that returns the same rows as a non-leak-proof one.
/// </summary>
public sealed record GovernedWorkload(string Name, string Sql, string HandWritten, bool ExpectBarrier, string? Twin = null);

/// <summary>
/// The workloads, as the consumer <c>bench_consumer</c> writes them against <c>bench.lineitem</c> (row filter
/// <c>l_shipmode IN ('MAIL','SHIP')</c>, <c>l_comment</c> excluded). <c>ln(l_quantity) &gt; 0</c> is not leak-proof
/// (ln is fallible, so DuckDB could raise on a hidden row) and selects the same rows as its twin <c>l_quantity &gt; 1</c>
/// (quantities are 1..50).
/// </summary>
public static class GovernedWorkloads
{
    /// <summary>
    /// An order key about 60% into the file with at least one visible row. Order key K holds rows i = 4(K-1)..4K-1,
    /// and a row is visible when its ship mode (index i % 7) is SHIP (3) or MAIL (5).
    /// </summary>
    public static long PointKey(long rows)
    {
        var key = Math.Max(1, rows * 6 / 10 / 4);
        while (!Enumerable.Range(0, 4).Any(j => (4 * (key - 1) + j) % 7 is 3 or 5)) key++;
        return key;
    }

    /// <summary>An order key whose four rows are all hidden by the row filter (i = 20..23: FOB, REG AIR, AIR, RAIL).</summary>
    public const long HiddenKey = 6;

    private const string Q6Where = " WHERE l_shipdate >= DATE '1994-01-01' AND l_shipdate < DATE '1995-01-01' "
        + "AND l_discount BETWEEN 0.05 AND 0.07 AND l_quantity < 24{1}";

    /// <summary>TPC-H Q6's shape: DECIMAL(15,2) × DECIMAL(15,2) fits 30 digits, so the product cannot fail and is unfenced.</summary>
    private const string Q6 = "SELECT sum(l_extendedprice * l_discount) AS revenue FROM {0}" + Q6Where;

    /// <summary>The same scan and filter with a leak-proof select list (sum of a column): unfenced.</summary>
    private const string Q6Sum = "SELECT sum(l_extendedprice) AS revenue, count(*) AS n FROM {0}" + Q6Where;

    private const string Point = "SELECT * FROM {0} WHERE l_orderkey = {2}{1}";

    private const string Columns = "l_orderkey, l_partkey, l_suppkey, l_linenumber, l_quantity, l_extendedprice, l_discount, l_tax, "
        + "l_returnflag, l_linestatus, l_shipdate, l_commitdate, l_receiptdate, l_shipinstruct, l_shipmode";

    public static IReadOnlyList<GovernedWorkload> For(string parquet, string rowFilter, long rows)
    {
        var key = PointKey(rows);
        var file = $"read_parquet('{parquet.Replace("'", "''", StringComparison.Ordinal)}')";
        string User(string template, string extra) => F(template, "bench.lineitem", extra, key);
        string Hand(string template, string extra) => F(template.Replace("SELECT *", "SELECT " + Columns, StringComparison.Ordinal), file,
            $" AND ({rowFilter}){extra}", key);
        const string LeakProne = " AND ln(l_quantity) > 0";
        const string LeakProof = " AND l_quantity > 1";
        var probe = $" AND chr(CASE WHEN l_orderkey = {HiddenKey} THEN -1 ELSE 65 END) IS NOT NULL";
        return
        [
            new("Q6: sum(price * discount), date range", User(Q6, ""), Hand(Q6, ""), ExpectBarrier: false),
            new("Q6 scan: sum(price), count(*)", User(Q6Sum, ""), Hand(Q6Sum, ""), ExpectBarrier: false),
            new("Point lookup (l_orderkey)", User(Point, ""), Hand(Point, ""), ExpectBarrier: false),
            new("Q6 scan + ln(l_quantity) > 0", User(Q6Sum, LeakProne), Hand(Q6Sum, LeakProne), ExpectBarrier: true, Twin: "Q6 scan + l_quantity > 1"),
            new("Q6 scan + l_quantity > 1", User(Q6Sum, LeakProof), Hand(Q6Sum, LeakProof), ExpectBarrier: false),
            new("Point + ln(l_quantity) > 0", User(Point, LeakProne), Hand(Point, LeakProne), ExpectBarrier: true, Twin: "Point + l_quantity > 1"),
            new("Point + l_quantity > 1", User(Point, LeakProof), Hand(Point, LeakProof), ExpectBarrier: false),
            new("Q6 scan + chr() error oracle on a hidden key", User(Q6Sum, probe), Hand(Q6Sum, probe), ExpectBarrier: true),
        ];
    }

    private static string F(string template, string source, string extra, long key) =>
        string.Format(CultureInfo.InvariantCulture, template, source, extra, key);
}
