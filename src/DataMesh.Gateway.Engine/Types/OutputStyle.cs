using System.Globalization;
using DataMesh.Gateway.Protocol.Types.Codecs;

namespace DataMesh.Gateway.Engine.Types;

/// <summary>
/// The session settings that change how values are written as text: IntervalStyle, extra_float_digits and
/// bytea_output. Binary output never depends on them, as in PostgreSQL.
/// </summary>
internal sealed record OutputStyle(IntervalStyle Interval, int ExtraFloatDigits, bool ByteaEscape)
{
    public static readonly OutputStyle Default = new(IntervalStyle.Postgres, 1, false);

    /// <summary>From the session's changed settings (names in any case); anything absent keeps its default.</summary>
    public static OutputStyle From(IEnumerable<KeyValuePair<string, string>> settings)
    {
        var style = Default;
        foreach (var (name, value) in settings)
        {
            switch (name.ToLowerInvariant())
            {
                case "intervalstyle": style = style with { Interval = IntervalText.ParseStyle(value) }; break;
                case "extra_float_digits" when int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n):
                    style = style with { ExtraFloatDigits = n };
                    break;
                case "bytea_output": style = style with { ByteaEscape = value == "escape" }; break;
            }
        }
        return style;
    }
}
