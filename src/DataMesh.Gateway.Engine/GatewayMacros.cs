namespace DataMesh.Gateway.Engine;

/// <summary>
/// Instance macros that guard consumer queries (built before lockdown with the pg_catalog emulation):
/// <list type="bullet">
/// <item>the per-row wrapper the policy puts around session and clock calls (Policy: PerRowCalls);</item>
/// <item>size guards in front of DuckDB's value builders: a count argument is checked before the built-in runs, and
/// one that would build a value over <see cref="MaxValueBytes"/> fails with 54000 "requested length too large" (as in
/// PostgreSQL). DuckDB allocates these values outside its buffer manager, so memory_limit never sees them:
/// <c>length(repeat('x', 2147483647))</c> took 5.2 GB under a 2 GB limit. Unqualified calls reach the macro; the
/// policy refuses qualified calls to these names (FunctionCatalog.GatewayShadowed);</item>
/// <item>PostgreSQL's privilege inquiry functions, answered from the project's shadow catalog (what its grants show).</item>
/// </list>
/// </summary>
public static class GatewayMacros
{
    /// <summary>The largest value a builder may make: the default cap of one result row (MaxResultRowBytes).</summary>
    public const long MaxValueBytes = 64L * 1024 * 1024;

    /// <summary>The most elements a list builder may make (8 bytes each).</summary>
    public const long MaxListElements = MaxValueBytes / 8;

    /// <summary>The error message of a refused builder; <see cref="EngineErrors"/> maps it to 54000.</summary>
    public const string TooLarge = "requested length too large";

    /// <summary>Hidden columns of the shadow tables (their names are public metadata of published assets; no data).</summary>
    public const string HiddenColumnsTable = "__datamesh_hidden_columns";

    public static IEnumerable<string> Statements()
    {
        // random() is never folded, so DuckDB evaluates the argument per row, only on rows that reach it.
        yield return "CREATE OR REPLACE MACRO __datamesh_per_row(x) AS CASE WHEN random() >= 0 THEN x END";

        var fail = $"error('{TooLarge}')";
        // A count over the limit, or a count times the text length of the repeated value (any type: lists too).
        yield return $"CREATE OR REPLACE MACRO repeat(s, n) AS CASE WHEN n > {MaxValueBytes} OR (n > 0 AND length(CAST(s AS VARCHAR)) * n > {MaxValueBytes}) THEN {fail} ELSE system.main.repeat(s, n) END";
        foreach (var pad in new[] { "lpad", "rpad" })
            yield return $"CREATE OR REPLACE MACRO {pad}(s, n, f) AS CASE WHEN n > {MaxValueBytes / 4} THEN {fail} ELSE system.main.{pad}(s, n, f) END";
        foreach (var resize in new[] { "list_resize", "array_resize" })
            yield return $"""
                CREATE OR REPLACE MACRO {resize}(l, n) AS CASE WHEN n > {MaxListElements} THEN {fail} ELSE system.main.{resize}(l, n) END,
                  (l, n, v) AS CASE WHEN n > {MaxListElements} THEN {fail} ELSE system.main.{resize}(l, n, v) END
                """;
        // range/generate_series as list builders (the FROM-clause table functions stream and are not affected). Counts
        // of integer ranges are checked, and of date and timestamp ranges: their span over the step's length at the
        // start, in microseconds (TRY_CAST through text gives NULL for the other kind, so each check sees its own).
        foreach (var range in new[] { "range", "generate_series" })
            yield return $"""
                CREATE OR REPLACE MACRO {range}(b) AS CASE WHEN TRY_CAST(b AS HUGEINT) > {MaxListElements} THEN {fail} ELSE system.main.{range}(b) END,
                  (a, b) AS CASE WHEN TRY_CAST(b AS HUGEINT) - TRY_CAST(a AS HUGEINT) > {MaxListElements} THEN {fail} ELSE system.main.{range}(a, b) END,
                  (a, b, s) AS CASE WHEN abs(TRY_CAST(s AS HUGEINT)) > 0 AND abs(TRY_CAST(b AS HUGEINT) - TRY_CAST(a AS HUGEINT)) // abs(TRY_CAST(s AS HUGEINT)) > {MaxListElements}
                    THEN {fail} WHEN {TimestampSteps("a", "b", "s")} > {MaxListElements} THEN {fail} ELSE system.main.{range}(a, b, s) END
                """;
        foreach (var sql in FormatGuards(fail)) yield return sql;
        yield return $"""
            CREATE OR REPLACE MACRO bar(x, lo, hi) AS system.main.bar(x, lo, hi),
              (x, lo, hi, w) AS CASE WHEN w > {MaxValueBytes / 4} THEN {fail} ELSE system.main.bar(x, lo, hi, w) END
            """;
        // replace() multiplies: every occurrence of f grows by length(t) - length(f).
        yield return $"""
            CREATE OR REPLACE MACRO replace(s, f, t) AS CASE WHEN length(f) > 0 AND length(t) > length(f)
              AND (length(s) // length(f)) * length(t) > {MaxValueBytes} THEN {fail} ELSE system.main.replace(s, f, t) END
            """;
        yield return $"""
            CREATE OR REPLACE MACRO equi_width_bins(lo, hi, n, nice) AS CASE WHEN n > {MaxListElements} THEN {fail}
              ELSE system.main.equi_width_bins(lo, hi, n, nice) END
            """;

        // Filled by the shadow catalog; the privilege macros read it, and DuckDB binds a macro's tables when it is created.
        yield return $"CREATE TABLE {HiddenColumnsTable} (attrelid {Types.TypeMapper.OidAlias}, attname VARCHAR)";
        foreach (var sql in PrivilegeInquiry.Statements()) yield return sql;
    }

    /// <summary>How many steps of <paramref name="s"/> (an interval) lie between two dates or timestamps; NULL for numbers.</summary>
    private static string TimestampSteps(string a, string b, string s)
    {
        static string Micros(string x) => $"CAST(epoch_us(TRY_CAST(CAST({x} AS VARCHAR) AS TIMESTAMP)) AS HUGEINT)";
        var step = $"CAST(epoch_us(TRY_CAST(CAST({a} AS VARCHAR) AS TIMESTAMP) + TRY_CAST(CAST({s} AS VARCHAR) AS INTERVAL)) AS HUGEINT)";
        return $"abs({Micros(b)} - {Micros(a)}) // greatest(1, abs({step} - {Micros(a)}))";
    }

    /// <summary>The most arguments after the format string a guarded printf/format call takes (more: no such macro).</summary>
    public const int MaxFormatArguments = 32;

    /// <summary>
    /// printf and format pad a value to a width or precision written in the format string, so the sum of the numbers
    /// in its conversion specifications bounds what the format adds to its arguments (each bounded already); a width
    /// or precision taken from an argument (printf's <c>*</c>, fmt's nested <c>{}</c>) is refused outright. A number
    /// over twelve digits counts as over the limit (a cast would overflow). printf('%300000000d', 1) took 600 MB
    /// under a 200 MB memory_limit.
    /// </summary>
    private static IEnumerable<string> FormatGuards(string fail)
    {
        var over = MaxValueBytes + 1;
        string Sum(string specs) =>
            $"coalesce(list_sum(list_transform({specs}, m -> coalesce(list_sum(list_transform(regexp_extract_all(m, '[0-9]+'), "
            + $"d -> CASE WHEN length(d) > 12 THEN {over} ELSE CAST(d AS BIGINT) END)), 0))), 0)";
        yield return $@"CREATE OR REPLACE MACRO __datamesh_printf_size(f) AS CASE WHEN regexp_matches(f, '%[-+ #0-9$.]*\*') THEN {over} "
            + $@"ELSE {Sum(@"regexp_extract_all(f, '%[-+ #0-9$.]*')")} END";
        yield return $@"CREATE OR REPLACE MACRO __datamesh_format_size(f) AS CASE WHEN regexp_matches(f, '\{{[^{{}}]*:[^{{}}]*\{{') THEN {over} "
            + $@"ELSE {Sum(@"regexp_extract_all(f, '\{[^{}]*\}')")} END";
        foreach (var (name, size) in new[] { ("printf", "__datamesh_printf_size"), ("format", "__datamesh_format_size") })
        {
            var overloads = Enumerable.Range(0, MaxFormatArguments + 1).Select(n =>
            {
                var args = string.Concat(Enumerable.Range(1, n).Select(i => $", a{i}"));
                return $"(f{args}) AS CASE WHEN {size}(f) > {MaxValueBytes} THEN {fail} ELSE system.main.{name}(f{args}) END";
            });
            yield return $"CREATE OR REPLACE MACRO {name}" + string.Join(",\n  ", overloads);
        }
    }

    /// <summary>The names the macros above shadow: a qualified call would reach the unguarded built-in.</summary>
    public static readonly IReadOnlySet<string> GuardedBuiltIns = new HashSet<string>(StringComparer.Ordinal)
    {
        "repeat", "lpad", "rpad", "list_resize", "array_resize", "range", "generate_series", "bar", "replace", "equi_width_bins",
        "printf", "format",
    };
}
