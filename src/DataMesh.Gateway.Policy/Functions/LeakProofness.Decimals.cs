using System.Globalization;
using DataMesh.Gateway.Sql.Ast;

namespace DataMesh.Gateway.Policy.Functions;

/// <summary>Exact DECIMAL arithmetic that cannot fail (part of <see cref="LeakProofness"/>).</summary>
public sealed partial class LeakProofness
{
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
    private (int Width, int Scale)? DecimalShape(AstNode e)
    {
        switch (e.Class)
        {
            case "COLUMN_REF":
                if (Operand(e) is not { Type: { } type }) return null;
                var m = DecimalType().Match(type);
                return m.Success ? (int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture)) : null;
            case "CONSTANT":
                if (e.Constant is not { IsNull: false } constant) return null;
                return constant.TypeId switch
                {
                    "DECIMAL" => constant.Decimal,
                    "INTEGER" or "BIGINT" or "HUGEINT" or "SMALLINT" or "TINYINT" => IntegerConstantDigits(e) is { } digits ? (digits, 0) : null,
                    _ => null,
                };
            case "FUNCTION":
                if (!e.IsOperator) return null;
                var name = FunctionPolicy.Normalize(e.FunctionName);
                var children = e.Children;
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
    private static int? IntegerConstantDigits(AstNode constant)
    {
        var text = (constant.Constant?.Text ?? "").TrimStart('-');
        return text.Length is > 0 and <= MaxDecimalWidth && text.All(char.IsAsciiDigit) ? text.Length : null;
    }
}
