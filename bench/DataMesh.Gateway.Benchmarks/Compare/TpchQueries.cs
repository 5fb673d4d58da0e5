using System.Globalization;

namespace DataMesh.Gateway.Benchmarks.Compare;

/// <summary>
/// TPC-H Q1 and Q6 over the lineitem-like data (<see cref="LineitemData"/>), written once for both DuckDB and
/// PostgreSQL: <c>{0}</c> is the table. The generator spreads l_shipdate over 2,500 days from 1992-01-02, so Q1's
/// cut-off <c>1998-09-02</c> keeps ~97.4% of the rows (TPC-H: ~98%) and Q6's year × discount × quantity keeps
/// 14.6% × 27% × 46% ≈ 1.8% (TPC-H: ~1.9%). The consumer's row filter (2 of 7 ship modes) applies on top.
/// </summary>
public static class TpchQueries
{
    public const string Q1 = """
        SELECT l_returnflag, l_linestatus, sum(l_quantity) AS sum_qty, sum(l_extendedprice) AS sum_base_price,
               sum(l_extendedprice * (1 - l_discount)) AS sum_disc_price,
               sum(l_extendedprice * (1 - l_discount) * (1 + l_tax)) AS sum_charge,
               avg(l_quantity) AS avg_qty, avg(l_extendedprice) AS avg_price, avg(l_discount) AS avg_disc,
               count(*) AS count_order
        FROM {0}
        WHERE l_shipdate <= DATE '1998-09-02'
        GROUP BY l_returnflag, l_linestatus
        ORDER BY l_returnflag, l_linestatus
        """;

    public const string Q6 = """
        SELECT sum(l_extendedprice * l_discount) AS revenue
        FROM {0}
        WHERE l_shipdate >= DATE '1994-01-01' AND l_shipdate < DATE '1995-01-01'
          AND l_discount BETWEEN 0.05 AND 0.07 AND l_quantity < 24
        """;

    /// <summary>The columns the consumer may read (all but l_comment): PostgreSQL's column privilege forbids <c>*</c>.</summary>
    public const string VisibleColumns = "l_orderkey, l_partkey, l_suppkey, l_linenumber, l_quantity, l_extendedprice, l_discount, "
        + "l_tax, l_returnflag, l_linestatus, l_shipdate, l_commitdate, l_receiptdate, l_shipinstruct, l_shipmode";

    /// <summary>A point-ish lookup by order key (one to four rows), parameterised as <c>$1</c>.</summary>
    public const string PointParameterised = "SELECT " + VisibleColumns + " FROM {0} WHERE l_orderkey = $1";

    public static string On(string template, string table) => string.Format(CultureInfo.InvariantCulture, template, table);
}
