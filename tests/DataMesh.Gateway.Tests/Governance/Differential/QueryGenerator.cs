using System.Globalization;

namespace DataMesh.Gateway.Tests.Governance.Differential;

/// <summary>One generated query; <see cref="Ordered"/> when its ORDER BY makes the row order total.</summary>
public sealed record GeneratedQuery(string Sql, bool Ordered);

/// <summary>
/// Queries from a small grammar over the granted assets: projections, filters, self-joins and joins with the other
/// granted asset, GROUP BY/HAVING, ORDER BY ALL with LIMIT, CTEs, set operations, IN/EXISTS/scalar subqueries,
/// DISTINCT and windows. Results stay small (selective item_id ranges or aggregates) so that hundreds run in seconds.
/// Deterministic for a seed. Column names follow the grants: mkt_sls_table (item_id, sales_qty_sld, region,
/// sale_date, amount) and campaigns (campaign_id, name, channel, budget).
/// </summary>
public sealed class QueryGenerator(int seed, bool withCampaigns)
{
    private readonly Random _rng = new(seed);

    private static readonly string[] Regions = ["Europe", "Asia", "North America", "South America", "Nowhere"];
    private static readonly string[] Comparisons = ["=", "<>", "<", "<=", ">", ">="];

    private int Int(int min, int maxInclusive) => _rng.Next(min, maxInclusive + 1);

    private T Pick<T>(IReadOnlyList<T> items) => items[_rng.Next(items.Count)];

    private bool Chance(int percent) => _rng.Next(100) < percent;

    private static string S(int v) => v.ToString(CultureInfo.InvariantCulture);

    /// <summary>A predicate over one alias of mkt_sls_table.</summary>
    private string Predicate(string a, int depth = 0)
    {
        if (depth < 2 && Chance(30))
        {
            var op = Chance(60) ? "AND" : "OR";
            return $"({Predicate(a, depth + 1)} {op} {Predicate(a, depth + 1)})";
        }
        if (depth < 2 && Chance(8)) return $"NOT ({Predicate(a, depth + 1)})";
        return Int(0, 9) switch
        {
            0 => $"{a}.sales_qty_sld {Pick(Comparisons)} {S(Int(1, 50))}",
            1 => $"{a}.amount {Pick(Comparisons)} {S(Int(0, 999))}.{S(Int(0, 99)):D2}",
            2 => $"{a}.region = '{Pick(Regions)}'",
            3 => $"{a}.region IN ('{Pick(Regions)}', '{Pick(Regions)}')",
            4 => $"{a}.sale_date >= DATE '{2023 + Int(0, 1)}-{S(Int(1, 12)).PadLeft(2, '0')}-{S(Int(1, 28)).PadLeft(2, '0')}'",
            5 => $"{a}.item_id % {S(Int(2, 9))} = {S(Int(0, 1))}",
            6 => $"{a}.sales_qty_sld BETWEEN {S(Int(1, 25))} AND {S(Int(25, 50))}",
            7 => $"{a}.amount IS NOT NULL",
            8 => $"{a}.region LIKE '{Pick(new[] { "E%", "%a", "%ope", "A%" })}'",
            _ => $"{a}.item_id <> {S(Int(1, 4000))}",
        };
    }

    /// <summary>A selective range on item_id (every 4th item is granted): at most a few hundred rows.</summary>
    private string Range(string a) => $"{a}.item_id <= {S(Int(20, 2000))}";

    private string OrderLimit(out bool ordered)
    {
        ordered = Chance(50);
        return ordered ? $" ORDER BY ALL LIMIT {S(Int(1, 50))}" : "";
    }

    public GeneratedQuery Next()
    {
        var shapes = withCampaigns ? 12 : 10;
        switch (_rng.Next(shapes))
        {
            case 0:
            {
                var cols = Pick(new[] { "a.*", "a.item_id, a.region", "a.item_id, a.amount, a.sale_date", "a.sales_qty_sld * 2 AS q, upper(a.region) AS r, a.item_id" });
                var tail = OrderLimit(out var ordered);
                return new($"SELECT {cols} FROM mkt_sls_table a WHERE {Range("a")} AND {Predicate("a")}{tail}", ordered);
            }
            case 1:
            {
                var g = Pick(new[] { "a.region", "a.sales_qty_sld", "year(a.sale_date)", "a.sales_qty_sld % 5", "a.region, month(a.sale_date)" });
                var having = Chance(40) ? $" HAVING count(*) > {S(Int(0, 3000))}" : "";
                var tail = OrderLimit(out var ordered);
                return new($"SELECT {g}, count(*), sum(a.sales_qty_sld), min(a.amount), max(a.item_id) FROM mkt_sls_table a WHERE {Predicate("a")} GROUP BY {g}{having}{tail}", ordered);
            }
            case 2:
            {
                var offset = S(4 * Int(0, 50));
                return new($"SELECT count(*), sum(b.sales_qty_sld), max(a.amount) FROM mkt_sls_table a JOIN marketing.mkt_sls_table b ON a.item_id = b.item_id + {offset} WHERE {Range("a")} AND {Predicate("a")} AND {Predicate("b")}", false);
            }
            case 3:
            {
                var tail = OrderLimit(out var ordered);
                return new($"SELECT a.item_id, b.item_id AS other FROM mkt_sls_table a LEFT JOIN mkt_sls_table b ON b.item_id = a.item_id + {S(Int(1, 8))} WHERE {Range("a")} AND {Predicate("a")}{tail}", ordered);
            }
            case 4:
            {
                var inner = Predicate("s0").Replace("s0.", "", StringComparison.Ordinal);
                return new($"WITH s AS (SELECT * FROM mkt_sls_table WHERE {inner}) SELECT count(*), max(s.item_id), sum(s.amount) FROM s WHERE {Predicate("s")}", false);
            }
            case 5:
            {
                var op = Pick(new[] { "UNION", "UNION ALL", "EXCEPT", "INTERSECT" });
                return new($"SELECT count(*), sum(v) FROM (SELECT a.item_id AS v FROM mkt_sls_table a WHERE {Range("a")} AND {Predicate("a")} {op} SELECT b.item_id FROM mkt_sls_table b WHERE {Range("b")} AND {Predicate("b")}) u", false);
            }
            case 6:
            {
                var sub = Int(0, 2) switch
                {
                    0 => $"a.item_id IN (SELECT b.item_id + {S(4 * Int(0, 5))} FROM mkt_sls_table b WHERE {Predicate("b")})",
                    1 => $"a.amount > (SELECT avg(b.amount) FROM mkt_sls_table b WHERE {Predicate("b")})",
                    _ => $"EXISTS (SELECT 1 FROM mkt_sls_table b WHERE b.item_id = a.item_id + {S(Int(1, 12))} AND {Predicate("b")})",
                };
                return new($"SELECT count(*), min(a.item_id) FROM mkt_sls_table a WHERE {Range("a")} AND {sub}", false);
            }
            case 7:
            {
                var tail = OrderLimit(out var ordered);
                return new($"SELECT DISTINCT a.region, a.sales_qty_sld FROM mkt_sls_table a WHERE {Predicate("a")}{tail}", ordered);
            }
            case 8:
                return new($"SELECT a.item_id, row_number() OVER (PARTITION BY a.sales_qty_sld % 3 ORDER BY a.item_id) AS rn FROM mkt_sls_table a WHERE {Range("a")} AND {Predicate("a")} ORDER BY ALL", true);
            case 9:
            {
                var inner = Predicate("x");
                return new($"SELECT count(*) FROM (SELECT x.* FROM mkt_sls_table x WHERE {inner}) a WHERE {Predicate("a")} AND a.item_id IN (SELECT item_id FROM mkt_sls_table WHERE {Range("mkt_sls_table")})", false);
            }
            case 10:
            {
                var tail = OrderLimit(out var ordered);
                return new($"SELECT c.channel, c.name, count(*), sum(a.amount) FROM mkt_sls_table a JOIN campaigns c ON c.campaign_id = a.sales_qty_sld WHERE {Predicate("a")} GROUP BY c.channel, c.name{tail}", ordered);
            }
            default:
            {
                var op = Pick(new[] { "UNION", "UNION ALL", "EXCEPT" });
                return new($"SELECT v FROM (SELECT a.region AS v FROM mkt_sls_table a WHERE {Predicate("a")} {op} SELECT c.channel FROM marketing.campaigns c WHERE c.budget > {S(Int(0, 15000))}) u ORDER BY v", true);
            }
        }
    }
}
