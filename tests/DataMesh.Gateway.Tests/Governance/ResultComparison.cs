using System.Globalization;
using System.Numerics;

namespace DataMesh.Gateway.Tests.Governance;

/// <summary>
/// Compares a gateway result (Npgsql values) with an in-process DuckDB result (DuckDB.NET values) exactly, after
/// mapping each value to one canonical text: numbers of any width as their exact decimal value (DuckDB's HUGEINT
/// sum arrives as numeric), DOUBLE to 12 significant digits (summation order may differ in the last bits), dates as
/// ISO dates, timestamps as ISO timestamps.
/// </summary>
public static class ResultComparison
{
    public static string Canonical(object? v) => v switch
    {
        null => "NULL",
        DBNull => "NULL",
        string s => "s:" + s,
        bool b => b ? "true" : "false",
        double d => "f:" + d.ToString("G12", CultureInfo.InvariantCulture),
        float f => "f:" + ((double)f).ToString("G12", CultureInfo.InvariantCulture),
        decimal m => "n:" + Exact(m),
        BigInteger bi => "n:" + bi.ToString(CultureInfo.InvariantCulture),
        sbyte or byte or short or ushort or int or uint or long or ulong => "n:" + Convert.ToString(v, CultureInfo.InvariantCulture),
        Int128 i => "n:" + i.ToString(CultureInfo.InvariantCulture),
        UInt128 u => "n:" + u.ToString(CultureInfo.InvariantCulture),
        DateOnly d => "d:" + d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        DateTime t when t.TimeOfDay == TimeSpan.Zero => "d:" + t.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        DateTime t => "t:" + t.ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture),
        _ => "o:" + Convert.ToString(v, CultureInfo.InvariantCulture),
    };

    private static string Exact(decimal m)
    {
        var s = m.ToString(CultureInfo.InvariantCulture);
        if (s.Contains('.', StringComparison.Ordinal)) s = s.TrimEnd('0').TrimEnd('.');
        return s == "-0" ? "0" : s;
    }

    public static List<string> Rows(IEnumerable<object?[]> rows, bool ordered)
    {
        var list = rows.Select(r => string.Join(" | ", r.Select(Canonical))).ToList();
        if (!ordered) list.Sort(StringComparer.Ordinal);
        return list;
    }

    /// <summary>Null when equal, else a short description of the first difference.</summary>
    public static string? Difference(List<string> expectedColumns, IEnumerable<object?[]> expected,
        List<string> actualColumns, IEnumerable<object?[]> actual, bool ordered)
    {
        // The gateway names unaliased calls as PostgreSQL does (count(*) "count", sum(x) "sum"); DuckDB's truth names
        // them after their text (count_star(), sum(x)).
        expectedColumns = expectedColumns.Select(DataMesh.Gateway.Engine.Execution.PgColumnNames.For).ToList();
        // An unaliased expression (a scalar subquery, CASE, an operator) DuckDB names after its text; the gateway names
        // it from the statement as PostgreSQL does (count, case, ?column?: Sql.Ast.PgColumnNaming, checked over the wire
        // by Engine/PgColumnNamesOverTheWireTests). Only such columns take the gateway's name; every other is compared.
        if (expectedColumns.Count == actualColumns.Count)
            expectedColumns = expectedColumns.Select((c, i) => IsExpressionText(c) ? actualColumns[i] : c).ToList();
        if (!expectedColumns.SequenceEqual(actualColumns, StringComparer.OrdinalIgnoreCase))
            return $"columns differ: expected [{string.Join(", ", expectedColumns)}], got [{string.Join(", ", actualColumns)}]";
        var e = Rows(expected, ordered);
        var a = Rows(actual, ordered);
        if (e.Count != a.Count) return $"row counts differ: expected {e.Count}, got {a.Count}" + FirstDiff(e, a);
        return e.SequenceEqual(a, StringComparer.Ordinal) ? null : "rows differ" + FirstDiff(e, a);
    }

    private static bool IsExpressionText(string name) =>
        name.StartsWith('(') || name.StartsWith("CASE ", StringComparison.OrdinalIgnoreCase);

    private static string FirstDiff(List<string> e, List<string> a)
    {
        for (var i = 0; i < Math.Max(e.Count, a.Count); i++)
        {
            var x = i < e.Count ? e[i] : "<none>";
            var y = i < a.Count ? a[i] : "<none>";
            if (x != y) return $"; first difference at row {i}: expected [{x}], got [{y}]";
        }
        return "";
    }
}
