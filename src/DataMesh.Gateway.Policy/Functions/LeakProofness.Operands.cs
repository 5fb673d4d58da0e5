using System.Globalization;
using System.Text.RegularExpressions;
using DataMesh.Gateway.Sql.Ast;

namespace DataMesh.Gateway.Policy.Functions;

/// <summary>Operands of comparisons and the pairs of types that compare without a failing cast (part of <see cref="LeakProofness"/>).</summary>
public sealed partial class LeakProofness
{
    // ---- operands and type compatibility -------------------------------------------------------------------------

    private enum OperandKind { Column, Constant, Null, Parameter }

    private sealed record OperandInfo(OperandKind Kind, string? Type, AstNode Node, string? Text = null);

    /// <summary>A column, NULL, a constant (VARCHAR/INTEGER/BIGINT/HUGEINT/DECIMAL/DOUBLE) or a valid typed literal.</summary>
    private OperandInfo? Operand(AstNode e)
    {
        switch (e.Class)
        {
            case "COLUMN_REF":
                return new OperandInfo(OperandKind.Column, _columnType?.Invoke(e.ColumnNames) is { } t ? NormalizeType(t) : null, e);
            case "CONSTANT":
                var constant = e.Constant!.Value;
                if (constant.IsNull) return new OperandInfo(OperandKind.Null, null, e);
                var id = constant.TypeId;
                constant.TryString(out var text);
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

    private static bool IsCount(AstNode e) => !e.IsOperator && FunctionPolicy.Normalize(e.FunctionName) is "count" or "count_star";

    private bool IsStringOperand(OperandInfo o) => o.Kind switch
    {
        OperandKind.Null => true,
        OperandKind.Constant => o.Type == "VARCHAR",
        OperandKind.Column => o.Type is not null && Family(o.Type) == TypeFamily.String,
        _ => false,
    };

    private string? Compare(AstNode a, AstNode b)
    {
        // The operands' own failures are reported at the operands; here only the implicit cast between them counts,
        // and it is known not to fail only between columns and constants of known types.
        if (Operand(a) is not { } x || Operand(b) is not { } y)
            return "a comparison whose operands are not a column and a constant (an implicit cast may fail)";
        return Compatible(x, y) || Compatible(y, x) ? null : "a comparison that may cast a value implicitly (and fail) on some rows";
    }

    private string? InList(IReadOnlyList<AstNode> children)
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
                if (k == "DECIMAL") return other.Node.Constant?.Decimal is { Width: <= 18 };
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
    private static string? ValidTypedLiteral(AstNode cast)
    {
        if (PlainCast(cast) is not var (child, target) || child.Constant is not { } constant) return null;
        if (constant.IsNull) return target;
        if (!constant.TryString(out var text)) return null;
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
    private static string? TypedParameter(AstNode cast)
    {
        if (PlainCast(cast) is not var (child, target) || child.Class != "PARAMETER") return null;
        return target is "BOOLEAN" or "TINYINT" or "SMALLINT" or "INTEGER" or "BIGINT" or "DOUBLE" or "FLOAT" or "VARCHAR"
            or "DATE" or "TIMESTAMP" ? target : null;
    }

    /// <summary>The operand and target type id of a CAST (not TRY_CAST), or null.</summary>
    private static (AstNode Child, string Target)? PlainCast(AstNode cast)
    {
        if (cast.IsTryCast || cast.CastChild is not { } child || cast.CastTypeId is not { } target) return null;
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
