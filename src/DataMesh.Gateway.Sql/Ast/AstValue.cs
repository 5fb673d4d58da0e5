using System.Globalization;

namespace DataMesh.Gateway.Sql.Ast;

public enum AstValueKind { Null, False, True, Number, String, Object, Array }

/// <summary>
/// One value of DuckDB's syntax tree: an object (<see cref="Node"/>), an array (<see cref="Items"/>), a string or a
/// number (<see cref="Text"/>: the string's value, or the number as written), true, false or null. A missing property
/// reads as <see cref="Missing"/> (a null). Unsigned integers (locations, widths) are kept as numbers, not text. Two
/// words: the payload says the kind, so a tree of them stays small.
/// </summary>
public readonly struct AstValue
{
    private static readonly object TrueTag = new();
    private static readonly object FalseTag = new();
    private static readonly object IntegerTag = new();

    /// <summary>A number that is not an unsigned 64-bit integer, as written.</summary>
    private sealed record RawNumber(string Text);

    private readonly object? _payload;
    private readonly ulong _integer;

    private AstValue(object? payload, ulong integer = 0)
    {
        _payload = payload;
        _integer = integer;
    }

    public static readonly AstValue Missing = default;

    public AstValueKind Kind => _payload switch
    {
        null => AstValueKind.Null,
        AstNode => AstValueKind.Object,
        AstValue[] => AstValueKind.Array,
        string => AstValueKind.String,
        RawNumber => AstValueKind.Number,
        _ when ReferenceEquals(_payload, IntegerTag) => AstValueKind.Number,
        _ when ReferenceEquals(_payload, TrueTag) => AstValueKind.True,
        _ => AstValueKind.False,
    };

    public AstNode? Node => _payload as AstNode;

    public IReadOnlyList<AstValue> Items => _payload as AstValue[] ?? [];

    /// <summary>A string's value or a number as written; null for anything else.</summary>
    public string? Text => _payload switch
    {
        string s => s,
        RawNumber n => n.Text,
        _ when ReferenceEquals(_payload, IntegerTag) => _integer.ToString(CultureInfo.InvariantCulture),
        _ => null,
    };

    public bool IsNull => _payload is null;

    /// <summary>The value of a number that is an unsigned integer.</summary>
    public bool TryGetUInt64(out ulong value)
    {
        value = _integer;
        if (ReferenceEquals(_payload, IntegerTag)) return true;
        return _payload is RawNumber n && ulong.TryParse(n.Text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }

    /// <summary>Writes this value as JSON, as DuckDB wrote it (a number as written, an object with every property).</summary>
    public void WriteTo(System.Text.Json.Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        switch (Kind)
        {
            case AstValueKind.Object:
                Node!.WriteTo(writer);
                break;
            case AstValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in Items) item.WriteTo(writer);
                writer.WriteEndArray();
                break;
            case AstValueKind.String:
                writer.WriteStringValue(Text);
                break;
            case AstValueKind.Number:
                writer.WriteRawValue(Text!, skipInputValidation: true);
                break;
            case AstValueKind.True or AstValueKind.False:
                writer.WriteBooleanValue(Kind == AstValueKind.True);
                break;
            default:
                writer.WriteNullValue();
                break;
        }
    }

    internal static AstValue Of(AstNode node) => new(node);

    internal static AstValue Of(AstValue[] items) => new(items);

    internal static AstValue String(string text) => new(text);

    /// <summary>A number as written (negative, fractional, exponent, or beyond 64 bits).</summary>
    internal static AstValue Number(string text) => new(new RawNumber(text));

    internal static AstValue Number(ulong value) => new(IntegerTag, value);

    internal static AstValue Boolean(bool value) => new(value ? TrueTag : FalseTag);

    internal static readonly AstValue Null = default;
}
