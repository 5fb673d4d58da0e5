using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using DataMesh.Gateway.Sql.Ast;

namespace DataMesh.Gateway.Policy.Functions;

/// <summary>One expression that is not leak-proof: its char offset in the query text (when known) and why.</summary>
public sealed record LeakFinding(int? Offset, string ExpressionClass, string Reason);

/// <summary>The result of <see cref="LeakProofness.Analyze(ParsedQuery)"/>.</summary>
public sealed record BarrierAnalysis(IReadOnlyList<LeakFinding> Findings)
{
    /// <summary>True when a query that reads a protected asset must fence its policy subqueries (OFFSET 0 or the
    /// CASE projection), because some expression might be evaluated on rows the row filter excludes.</summary>
    public bool RequiresBarrier => Findings.Count > 0;
}

/// <summary>
/// Decides whether an expression is leak-proof: it can never raise an error (nor otherwise behave differently) because
/// of the values of rows a row filter excludes, so DuckDB may push it below the filter without opening an error
/// oracle (REFERENCE.md, "Errors that depend on hidden rows").
///
/// <para>Leak-proof, and nothing else:</para>
/// <list type="bullet">
/// <item>column references, positional references, constants, parameters on their own (<c>WHERE flag</c>);</item>
/// <item>AND, OR, NOT, IS [NOT] NULL over leak-proof operands;</item>
/// <item>the comparisons = &lt;&gt; &lt; &lt;= &gt; &gt;= IS [NOT] DISTINCT FROM, IN (list), NOT IN (list), BETWEEN,
/// LIKE / NOT LIKE / ILIKE / NOT ILIKE (without ESCAPE) between a column and a constant, or between two columns,
/// ONLY when no per-row cast can fail. DuckDB casts implicitly: a VARCHAR column compared with <c>5</c> is cast to
/// INTEGER row by row, and a string literal compared with a BIGINT or DATE column is cast lazily, so
/// <c>id = K AND s = 'x'</c> raises "Could not convert string" exactly when row K exists (verified on 1.5.6; see the
/// tests). So a comparison is leak-proof only when the column types are known (the resolver given to the
/// constructor) and the pair is known to compare without a failing cast (<see cref="Compatible"/>); with unknown
/// column types every comparison involving a column is NOT leak-proof;</item>
/// <item>aggregate calls and window functions whose arguments (and FILTER, ORDER BY, PARTITION BY, frame bounds)
/// are leak-proof: an aggregate consumes the rows its input produced, after the policy subquery's filter, so its own
/// failures (overflow of sum) depend on visible rows only. <c>count(…)</c> is a BIGINT operand in comparisons
/// (<c>HAVING count(*) &gt; 1</c>); other aggregate results have no known type and compare as unknown.</item>
/// </list>
/// <para>Leak-proof too: <c>+ - *</c> over DECIMAL columns and numeric constants whose exact result fits 38 digits
/// (see <see cref="DecimalShape"/>).</para>
/// <para>Not leak-proof (per operator): other <c>+ - *</c> (integer and decimal overflow, date ± interval out of range),
/// unary <c>-</c> (negating the minimum integer overflows), <c>/ // %</c> (decimal overflow; with unknown types the
/// policy cannot tell an integer division from a float one), <c>**</c>/<c>^</c>, <c>!</c>; every CAST and TRY_CAST of
/// a column (casts fail; TRY_CAST still opens a timing channel and is kept out for simplicity); CAST of a constant
/// unless it is a valid typed literal (<c>DATE '2024-01-31'</c>); CASE, COALESCE, TRY, COLLATE, subscripts, slices,
/// lambdas, subqueries (a scalar subquery errors on more than one row); SIMILAR TO and LIKE … ESCAPE (invalid patterns
/// raise errors); GLOB; and every other function, including the REFERENCE.md error oracles chr, list_reduce,
/// to_timestamp, epoch_ms, regexp_replace, string_split_regex, to_base, ln, json parsing and strptime.</para>
/// <para>Each node is judged on its own operation, its operands separately, so a finding names the node it is about:
/// in <c>chr(x) IS NOT NULL</c> the culprit is chr, and in <c>upper(name) = 'X'</c> there are two (upper, and the
/// comparison, whose implicit cast between an unknown type and VARCHAR cannot be checked).</para>
/// </summary>
public sealed partial class LeakProofness
{
    private readonly Func<IReadOnlyList<string>, string?>? _columnType;

    /// <param name="columnType">
    /// The DuckDB type of a column reference (its parts as written, e.g. ["t", "amount"]) or null when unknown. Without
    /// a resolver no comparison with a column is leak-proof.
    /// </param>
    public LeakProofness(Func<IReadOnlyList<string>, string?>? columnType = null) => _columnType = columnType;

    /// <summary>A classifier that knows no column types (the most conservative).</summary>
    public static readonly LeakProofness Untyped = new();

    public bool IsLeakProof(JsonElement expression) => WhyNot(expression) is null;

    /// <summary>Null when the expression is leak-proof, otherwise the reason of its first (pre-order) culprit.</summary>
    public string? WhyNot(JsonElement e)
    {
        foreach (var node in ExpressionNodes(e))
            if (OwnReason(node) is { } why) return why;
        return null;
    }

    /// <summary>
    /// Why this node itself may fail or behave differently on some row values, judging its own operation only: its
    /// operands are judged as nodes of their own. An expression is leak-proof exactly when none of its nodes has a
    /// reason, and each reason is reported at the node it is about (the chr call, not the IS NOT NULL around it).
    /// </summary>
    private string? OwnReason(JsonElement e)
    {
        var cls = AstJson.Class(e);
        var type = AstJson.Type(e) ?? "";
        switch (cls)
        {
            case "CONSTANT":
            case "COLUMN_REF":
            case "POSITIONAL_REFERENCE":
            case "PARAMETER":
            case "STAR":
                // A star (with COLUMNS, EXCLUDE or REPLACE) only names columns; REPLACE expressions are nodes of their own.
                return null;
            case "CONJUNCTION":
                return type is "CONJUNCTION_AND" or "CONJUNCTION_OR" ? null : $"unknown conjunction {type}";
            case "OPERATOR":
                return type switch
                {
                    "OPERATOR_NOT" or "OPERATOR_IS_NULL" or "OPERATOR_IS_NOT_NULL" => null,
                    "COMPARE_IN" or "COMPARE_NOT_IN" => InList(AstJson.Children(e)),
                    _ => $"operator {type} may fail or is not known to be leak-proof",
                };
            case "COMPARISON":
                if (!IsComparison(type)) return $"unknown comparison {type}";
                if (AstJson.Property(e, "left") is not { } left || AstJson.Property(e, "right") is not { } right)
                    return "malformed comparison";
                return Compare(left, right);
            case "BETWEEN":
                if (AstJson.Property(e, "input") is not { } input || AstJson.Property(e, "lower") is not { } lower
                    || AstJson.Property(e, "upper") is not { } upper)
                    return "malformed BETWEEN";
                return Compare(input, lower) ?? Compare(input, upper);
            case "CAST":
                return ValidTypedLiteral(e) is not null || TypedParameter(e) is not null ? null : "a cast may fail on some values";
            case "FUNCTION":
                return Function(e);
            case "WINDOW":
                {
                    // Window functions run above the policy subquery, over the rows its filter let through.
                    var name = FunctionPolicy.Normalize(AstJson.String(e, "function_name") ?? "");
                    return FunctionCatalog.Aggregates.Contains(name) ? null : $"window function {name} is not known to be leak-proof";
                }
            case null:
                return "not an expression";
            default:
                return $"{cls} expressions are not leak-proof";
        }
    }

    /// <summary>
    /// The expression <paramref name="root"/> and every expression node below it, pre-order, without entering
    /// subqueries (query nodes, the objects holding a cte_map): a subquery is a SUBQUERY node of its own, and
    /// <see cref="Analyze(ParsedQuery)"/> visits the query inside it as a query.
    /// </summary>
    private static IEnumerable<JsonElement> ExpressionNodes(JsonElement root)
    {
        var stack = new Stack<JsonElement>();
        stack.Push(root);
        while (stack.Count > 0)
        {
            var e = stack.Pop();
            if (e.ValueKind == JsonValueKind.Array)
            {
                // Reverse, so that the first operand is visited first.
                var items = e.EnumerateArray().ToList();
                for (var i = items.Count - 1; i >= 0; i--) stack.Push(items[i]);
                continue;
            }
            if (e.ValueKind != JsonValueKind.Object || e.TryGetProperty("cte_map", out _)) continue;
            if (AstJson.IsExpression(e)) yield return e;
            var properties = e.EnumerateObject().ToList();
            for (var i = properties.Count - 1; i >= 0; i--) stack.Push(properties[i].Value);
        }
    }

    /// <summary>
    /// Every expression node that is not leak-proof on its own account (see <see cref="OwnReason"/>), found from the
    /// expression roots of the query (WHERE, JOIN … ON, HAVING, QUALIFY, select list, GROUP BY, ORDER BY, window
    /// specifications, LIMIT/OFFSET, subqueries at any depth). Arguments of FROM-clause
    /// table functions are evaluated once, not per row, and are skipped. Conservative: any finding means a query that
    /// reads a protected asset needs a barrier.
    /// </summary>
    public BarrierAnalysis Analyze(ParsedQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        using var document = JsonDocument.Parse(query.Json, new JsonDocumentOptions { MaxDepth = 4096 });
        return Analyze(document.RootElement, new Utf8Offsets(query.OriginalSql));
    }

    /// <summary>As <see cref="Analyze(ParsedQuery)"/> over a raw json_serialize_sql document (offsets stay in bytes).</summary>
    public BarrierAnalysis Analyze(JsonElement root) => Analyze(root, null);

    private BarrierAnalysis Analyze(JsonElement root, Utf8Offsets? offsets)
    {
        var findings = new List<LeakFinding>();
        var stack = new Stack<JsonElement>();
        stack.Push(root);
        while (stack.Count > 0)
        {
            var e = stack.Pop();
            if (e.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in e.EnumerateArray()) stack.Push(item);
                continue;
            }
            if (e.ValueKind != JsonValueKind.Object) continue;
            if (AstJson.IsExpression(e))
            {
                foreach (var node in ExpressionNodes(e))
                {
                    if (OwnReason(node) is not { } why) continue;
                    int? offset = null;
                    if (AstJson.Location(node) is { } bytes)
                        offset = offsets is null ? bytes : offsets.TryToCharOffset((ulong)bytes, out var c) ? c : null;
                    findings.Add(new LeakFinding(offset, AstJson.Class(node)!, why));
                }
                // Subqueries inside the expression have their own roots.
                foreach (var inner in QueryNodesBelow(e)) stack.Push(inner);
                continue;
            }
            var isTableFunction = AstJson.Type(e) == "TABLE_FUNCTION" && AstJson.Class(e) is null;
            foreach (var p in e.EnumerateObject())
            {
                if (isTableFunction && p.NameEquals("function"))
                {
                    // Arguments are evaluated once; subqueries in them still count.
                    foreach (var inner in QueryNodesBelow(p.Value)) stack.Push(inner);
                    continue;
                }
                stack.Push(p.Value);
            }
        }
        return new BarrierAnalysis(findings);
    }

    /// <summary>The outermost query nodes (objects with a cte_map) nested inside <paramref name="e"/>.</summary>
    private static IEnumerable<JsonElement> QueryNodesBelow(JsonElement e)
    {
        var stack = new Stack<JsonElement>();
        stack.Push(e);
        var first = true;
        while (stack.Count > 0)
        {
            var x = stack.Pop();
            if (x.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in x.EnumerateArray()) stack.Push(item);
                continue;
            }
            if (x.ValueKind != JsonValueKind.Object) continue;
            if (!first && x.TryGetProperty("cte_map", out _))
            {
                yield return x;
                continue;
            }
            first = false;
            foreach (var p in x.EnumerateObject()) stack.Push(p.Value);
        }
    }

    private static bool IsComparison(string type) => type is "COMPARE_EQUAL" or "COMPARE_NOTEQUAL" or "COMPARE_LESSTHAN"
        or "COMPARE_GREATERTHAN" or "COMPARE_LESSTHANOREQUALTO" or "COMPARE_GREATERTHANOREQUALTO"
        or "COMPARE_DISTINCT_FROM" or "COMPARE_NOT_DISTINCT_FROM";

    private static readonly HashSet<string> LikeOperators = new(StringComparer.Ordinal) { "~~", "!~~", "~~*", "!~~*" };

    private string? Function(JsonElement e)
    {
        var name = FunctionPolicy.Normalize(AstJson.String(e, "function_name") ?? "");
        var isOperator = e.TryGetProperty("is_operator", out var op) && op.ValueKind == JsonValueKind.True;
        var children = AstJson.Children(e);
        if (isOperator && LikeOperators.Contains(name) && children.Count == 2)
        {
            // LIKE never fails on two strings; require a string column against a string constant (or two string columns).
            if (Operand(children[0]) is not { } value || Operand(children[1]) is not { } pattern)
                return "LIKE over something other than a column or a constant";
            return IsStringOperand(value) && IsStringOperand(pattern) ? null : "LIKE whose operands are not known to be strings";
        }
        if (!isOperator && FunctionCatalog.Aggregates.Contains(name) && FunctionCatalog.AllowedScalar.Contains(name))
            return null;
        if (isOperator && name is "+" or "-" or "*" && children.Count == 2 && DecimalShape(e) is not null)
            return null;
        return isOperator ? $"operator {name} may fail (overflow, invalid input) or is not known to be leak-proof"
            : $"function {name} may fail on some values or is not known to be leak-proof";
    }

    // ---- exact decimal arithmetic ---------------------------------------------------------------------------------

    /// <summary>DuckDB's widest DECIMAL: 38 digits in a HUGEINT.</summary>
    private const int MaxDecimalWidth = 38;

    /// <summary>
    /// A DECIMAL(width, scale) that every value of <paramref name="e"/> is certain to fit, when <paramref name="e"/> is
    /// a DECIMAL column of known type, a numeric constant, or <c>+ - *</c> over such operands whose exact result cannot
    /// need more than 38 digits; otherwise null. Such arithmetic cannot fail on any row: DuckDB computes a decimal sum
    /// or product exactly in an integer wide enough for the result type (it fails only when a value overflows a result
    /// capped at 38 digits, which the bound rules out). Sum and difference need max(w1−s1, w2−s2) + max(s1, s2) + 1
    /// digits, a product w1 + w2 (checked on DuckDB 1.5.6 at the extremes of each type, see
    /// LeakProofnessTests.Decimal_arithmetic_within_38_digits_never_fails_and_beyond_can). Integer columns are left out
    /// on purpose (integer arithmetic overflows), and so are floats (DuckDB raises on an infinite DOUBLE result).
    /// This is what keeps TPC-H Q6's <c>sum(l_extendedprice * l_discount)</c> unfenced.
    /// </summary>
    private (int Width, int Scale)? DecimalShape(JsonElement e)
    {
        switch (AstJson.Class(e))
        {
            case "COLUMN_REF":
                if (Operand(e) is not { Type: { } type }) return null;
                var m = DecimalType().Match(type);
                return m.Success ? (int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture)) : null;
            case "CONSTANT":
                if (AstJson.ConstantIsNull(e)) return null;
                return AstJson.ConstantTypeId(e) switch
                {
                    "DECIMAL" => AstJson.DecimalInfo(e),
                    "INTEGER" or "BIGINT" or "HUGEINT" or "SMALLINT" or "TINYINT" => IntegerConstantDigits(e) is { } digits ? (digits, 0) : null,
                    _ => null,
                };
            case "FUNCTION":
                if (!(e.TryGetProperty("is_operator", out var op) && op.ValueKind == JsonValueKind.True)) return null;
                var name = FunctionPolicy.Normalize(AstJson.String(e, "function_name") ?? "");
                var children = AstJson.Children(e);
                if (children.Count != 2 || DecimalShape(children[0]) is not { } a || DecimalShape(children[1]) is not { } b) return null;
                (int Width, int Scale) result = name switch
                {
                    "+" or "-" => (Math.Max(a.Width - a.Scale, b.Width - b.Scale) + Math.Max(a.Scale, b.Scale) + 1, Math.Max(a.Scale, b.Scale)),
                    "*" => (a.Width + b.Width, a.Scale + b.Scale),
                    _ => (int.MaxValue, 0),
                };
                return result.Width <= MaxDecimalWidth ? result : null;
            default:
                return null;
        }
    }

    /// <summary>The number of digits of an integer constant (its JSON value), or null when it is not a plain integer.</summary>
    private static int? IntegerConstantDigits(JsonElement constant)
    {
        if (AstJson.Property(constant, "value") is not { } value || AstJson.Property(value, "value") is not { } v) return null;
        var text = v.ValueKind switch
        {
            JsonValueKind.Number => v.GetRawText(),
            JsonValueKind.String => v.GetString() ?? "",
            _ => "",
        };
        text = text.TrimStart('-');
        return text.Length is > 0 and <= MaxDecimalWidth && text.All(char.IsAsciiDigit) ? text.Length : null;
    }

    // ---- operands and type compatibility -------------------------------------------------------------------------

    private enum OperandKind { Column, Constant, Null, Parameter }

    private sealed record OperandInfo(OperandKind Kind, string? Type, JsonElement Node, string? Text = null);

    /// <summary>A column, NULL, a constant (VARCHAR/INTEGER/BIGINT/HUGEINT/DECIMAL/DOUBLE) or a valid typed literal.</summary>
    private OperandInfo? Operand(JsonElement e)
    {
        switch (AstJson.Class(e))
        {
            case "COLUMN_REF":
                var parts = new List<string>();
                foreach (var p in AstJson.Property(e, "column_names") is { ValueKind: JsonValueKind.Array } names
                             ? names.EnumerateArray() : default)
                    if (p.ValueKind == JsonValueKind.String) parts.Add(p.GetString()!);
                return new OperandInfo(OperandKind.Column, _columnType?.Invoke(parts) is { } t ? NormalizeType(t) : null, e);
            case "CONSTANT":
                if (AstJson.ConstantIsNull(e)) return new OperandInfo(OperandKind.Null, null, e);
                var id = AstJson.ConstantTypeId(e);
                AstJson.TryConstantString(e, out var text);
                return id is null ? null : new OperandInfo(OperandKind.Constant, id, e, text);
            case "PARAMETER":
                return new OperandInfo(OperandKind.Parameter, null, e);
            case "FUNCTION" when IsCount(e):
                // count(...) is always BIGINT, whatever it counts: it compares like a BIGINT column (HAVING count(*) > 1).
                return new OperandInfo(OperandKind.Column, "BIGINT", e);
            case "CAST":
                if (ValidTypedLiteral(e) is { } literal) return new OperandInfo(OperandKind.Constant, literal, e);
                return TypedParameter(e) is { } parameterType ? new OperandInfo(OperandKind.Constant, parameterType, e) : null;
            default:
                return null;
        }
    }

    private static bool IsCount(JsonElement e) =>
        !(e.TryGetProperty("is_operator", out var op) && op.ValueKind == JsonValueKind.True)
        && FunctionPolicy.Normalize(AstJson.String(e, "function_name") ?? "") is "count" or "count_star";

    private bool IsStringOperand(OperandInfo o) => o.Kind switch
    {
        OperandKind.Null => true,
        OperandKind.Constant => o.Type == "VARCHAR",
        OperandKind.Column => o.Type is not null && Family(o.Type) == TypeFamily.String,
        _ => false,
    };

    private string? Compare(JsonElement a, JsonElement b)
    {
        // The operands' own failures are reported at the operands; here only the implicit cast between them counts,
        // and it is known not to fail only between columns and constants of known types.
        if (Operand(a) is not { } x || Operand(b) is not { } y)
            return "a comparison whose operands are not a column and a constant (an implicit cast may fail)";
        return Compatible(x, y) || Compatible(y, x) ? null : "a comparison that may cast a value implicitly (and fail) on some rows";
    }

    private string? InList(IReadOnlyList<JsonElement> children)
    {
        if (children.Count < 2) return "malformed IN";
        // DuckDB finds one common type for the probe and the whole list: require every pair to be compatible, and
        // the list to be all of one constant kind (mixed lists such as (1, 2.5, 'x') cast the string to DECIMAL).
        string? listType = null;
        foreach (var item in children.Skip(1))
        {
            if (Compare(children[0], item) is { } why) return why;
            if (Operand(item) is { Kind: OperandKind.Constant } c)
            {
                var family = c.Type == "VARCHAR" ? "VARCHAR" : IsNumericConstant(c.Type) ? "NUMBER" : c.Type;
                if (listType is not null && listType != family) return "an IN list mixing constant types (implicit casts)";
                listType = family;
            }
        }
        return null;
    }

    /// <summary>
    /// True when comparing column <paramref name="col"/> with <paramref name="other"/> cannot fail on any row value.
    /// Checked on DuckDB 1.5.6 (see LeakProofnessTests): integer columns against integer, decimal and double constants;
    /// decimal (width ≤ 18) and float columns against numeric constants; string columns against string constants;
    /// boolean against boolean; DATE/TIMESTAMP/TIMESTAMPTZ against valid ISO literals of the same or a narrower kind;
    /// two columns of the same type; anything against NULL. String constants against non-string columns only when
    /// the string is a valid literal of the column type (the cast is then folded at bind time).
    /// </summary>
    private static bool Compatible(OperandInfo col, OperandInfo other)
    {
        if (col.Kind == OperandKind.Null || other.Kind == OperandKind.Null) return true;
        if (col.Kind == OperandKind.Constant && other.Kind == OperandKind.Constant)
            return col.Type is not null && col.Type == other.Type;
        if (col.Kind != OperandKind.Column || col.Type is null) return false;
        var family = Family(col.Type);
        if (other.Kind == OperandKind.Column)
            return other.Type is not null && string.Equals(col.Type, other.Type, StringComparison.Ordinal) && family != TypeFamily.Other;
        if (other.Kind != OperandKind.Constant || other.Type is null) return false;
        var k = other.Type;
        switch (family)
        {
            case TypeFamily.String:
                return k == "VARCHAR";
            case TypeFamily.Integer:
                return IsNumericConstant(k) || (k == "VARCHAR" && FitsInteger(other.Text, col.Type));
            case TypeFamily.WideInteger:
                return k is "INTEGER" or "BIGINT";
            case TypeFamily.Float:
            case TypeFamily.NarrowDecimal:
                if (k == "DECIMAL") return AstJson.DecimalInfo(other.Node) is { Width: <= 18 };
                return k is "INTEGER" or "BIGINT" or "DOUBLE";
            case TypeFamily.Boolean:
                return k == "BOOLEAN" || (k == "VARCHAR" && other.Text is "true" or "false" or "t" or "f");
            case TypeFamily.Date:
                return k == "DATE" || (k == "VARCHAR" && IsIsoDate(other.Text));
            case TypeFamily.Timestamp:
                return k is "DATE" or "TIMESTAMP" || (k == "VARCHAR" && (IsIsoDate(other.Text) || IsIsoTimestamp(other.Text)));
            default:
                return false;
        }
    }

    private static bool IsNumericConstant(string? id) => id is "INTEGER" or "BIGINT" or "HUGEINT" or "UBIGINT" or "UHUGEINT"
        or "DECIMAL" or "DOUBLE" or "FLOAT" or "SMALLINT" or "TINYINT";

    /// <summary>The target type of <c>CAST('literal' AS T)</c> when the literal is certainly valid for T, else null.</summary>
    private static string? ValidTypedLiteral(JsonElement cast)
    {
        if (PlainCast(cast) is not var (child, target) || AstJson.Class(child) != "CONSTANT") return null;
        if (AstJson.ConstantIsNull(child)) return target;
        if (!AstJson.TryConstantString(child, out var text)) return null;
        return target switch
        {
            "DATE" when IsIsoDate(text) => "DATE",
            "TIMESTAMP" when IsIsoDate(text) || IsIsoTimestamp(text) => "TIMESTAMP",
            "BOOLEAN" when text is "t" or "f" or "true" or "false" => "BOOLEAN",
            "VARCHAR" => "VARCHAR",
            _ => null,
        };
    }

    /// <summary>
    /// The type of <c>CAST($n AS T)</c> when T is a plain scalar type, else null. The server writes that cast around
    /// every parameter whose type the client declared at Parse (ParameterCasts), and decodes the bound value with
    /// that same type at Bind, so the cast is of a value already of type T: it cannot fail, and in any case it is
    /// one value per execution, not per row. Such a parameter therefore compares like a constant of type T
    /// (<c>l_orderkey = $1</c> with an int8 parameter stays unfenced and keeps Parquet row-group pruning).
    /// </summary>
    private static string? TypedParameter(JsonElement cast)
    {
        if (PlainCast(cast) is not var (child, target) || AstJson.Class(child) != "PARAMETER") return null;
        return target is "BOOLEAN" or "TINYINT" or "SMALLINT" or "INTEGER" or "BIGINT" or "DOUBLE" or "FLOAT" or "VARCHAR"
            or "DATE" or "TIMESTAMP" ? target : null;
    }

    /// <summary>The operand and target type id of a CAST (not TRY_CAST), or null.</summary>
    private static (JsonElement Child, string Target)? PlainCast(JsonElement cast)
    {
        if (cast.TryGetProperty("try_cast", out var tc) && tc.ValueKind == JsonValueKind.True) return null;
        if (AstJson.Property(cast, "child") is not { } child) return null;
        if (AstJson.Property(cast, "cast_type") is not { } castType || AstJson.String(castType, "id") is not { } target) return null;
        return (child, target);
    }

    private static bool IsIsoDate(string? s) =>
        s is not null && IsoDate().IsMatch(s)
        && DateOnly.TryParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _);

    private static bool IsIsoTimestamp(string? s)
    {
        if (s is null) return false;
        var m = IsoTimestamp().Match(s);
        if (!m.Success || !IsIsoDate(m.Groups[1].Value)) return false;
        var h = int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture);
        var min = int.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture);
        var sec = m.Groups[4].Success ? int.Parse(m.Groups[4].Value, CultureInfo.InvariantCulture) : 0;
        return h < 24 && min < 60 && sec < 60;
    }

    private static bool FitsInteger(string? s, string columnType)
    {
        if (s is null || !IntegerText().IsMatch(s)) return false;
        if (!Int128.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v)) return false;
        var (min, max) = columnType switch
        {
            "TINYINT" => ((Int128)sbyte.MinValue, (Int128)sbyte.MaxValue),
            "SMALLINT" => (short.MinValue, short.MaxValue),
            "INTEGER" => (int.MinValue, int.MaxValue),
            "BIGINT" => (long.MinValue, long.MaxValue),
            "UTINYINT" => (0, byte.MaxValue),
            "USMALLINT" => (0, ushort.MaxValue),
            "UINTEGER" => (0, uint.MaxValue),
            "UBIGINT" => (0, (Int128)ulong.MaxValue),
            _ => ((Int128)1, (Int128)0),
        };
        return v >= min && v <= max;
    }

    private enum TypeFamily { String, Integer, WideInteger, Float, NarrowDecimal, Boolean, Date, Timestamp, Other }

    private static string NormalizeType(string t) => t.Trim().ToUpperInvariant() switch
    {
        "TEXT" or "STRING" or "BPCHAR" or "CHAR" => "VARCHAR",
        "INT" or "INT4" or "SIGNED" => "INTEGER",
        "INT8" or "LONG" => "BIGINT",
        "INT2" or "SHORT" => "SMALLINT",
        "INT1" => "TINYINT",
        "FLOAT4" or "REAL" => "FLOAT",
        "FLOAT8" => "DOUBLE",
        "BOOL" or "LOGICAL" => "BOOLEAN",
        "DATETIME" => "TIMESTAMP",
        "TIMESTAMPTZ" => "TIMESTAMP WITH TIME ZONE",
        var other => other.StartsWith("VARCHAR(", StringComparison.Ordinal) ? "VARCHAR" : other,
    };

    private static TypeFamily Family(string t)
    {
        switch (t)
        {
            case "VARCHAR": return TypeFamily.String;
            case "TINYINT" or "SMALLINT" or "INTEGER" or "BIGINT" or "UTINYINT" or "USMALLINT" or "UINTEGER" or "UBIGINT":
                return TypeFamily.Integer;
            case "HUGEINT" or "UHUGEINT": return TypeFamily.WideInteger;
            case "FLOAT" or "DOUBLE": return TypeFamily.Float;
            case "BOOLEAN": return TypeFamily.Boolean;
            case "DATE": return TypeFamily.Date;
            case "TIMESTAMP" or "TIMESTAMP WITH TIME ZONE": return TypeFamily.Timestamp;
        }
        var m = DecimalType().Match(t);
        if (m.Success)
            return int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) <= 18 ? TypeFamily.NarrowDecimal : TypeFamily.Other;
        return TypeFamily.Other;
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}$", RegexOptions.CultureInvariant)]
    private static partial Regex IsoDate();

    [GeneratedRegex(@"^(\d{4}-\d{2}-\d{2})[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,6})?)?$", RegexOptions.CultureInvariant)]
    private static partial Regex IsoTimestamp();

    [GeneratedRegex(@"^-?\d{1,40}$", RegexOptions.CultureInvariant)]
    private static partial Regex IntegerText();

    [GeneratedRegex(@"^(?:DECIMAL|NUMERIC)\((\d+),\s*(\d+)\)$", RegexOptions.CultureInvariant)]
    private static partial Regex DecimalType();
}
