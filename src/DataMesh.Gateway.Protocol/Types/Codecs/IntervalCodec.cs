using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using DataMesh.Gateway.Protocol.Errors;

namespace DataMesh.Gateway.Protocol.Types.Codecs;

/// <summary>An interval as PostgreSQL and DuckDB both store it: months, days and microseconds kept apart.</summary>
public readonly record struct PgInterval(int Months, int Days, long Micros);

/// <summary>interval (1186): binary is micros (int64), days (int32), months (int32); text is IntervalStyle=postgres.</summary>
public static partial class IntervalCodec
{
    public static bool TryWriteBinary(PgInterval value, Span<byte> dest, out int written)
    {
        written = 16;
        if (dest.Length < 16) return false;
        BinaryPrimitives.WriteInt64BigEndian(dest, value.Micros);
        BinaryPrimitives.WriteInt32BigEndian(dest[8..], value.Days);
        BinaryPrimitives.WriteInt32BigEndian(dest[12..], value.Months);
        return true;
    }

    public static bool TryWriteText(PgInterval value, Span<byte> dest, out int written) =>
        TextCodec.TryWriteString(FormatText(value), dest, out written);

    public static string FormatText(PgInterval v)
    {
        var sb = new StringBuilder();
        var years = v.Months / 12;
        var months = v.Months % 12;
        void Part(long n, string unit, string plural)
        {
            if (n == 0) return;
            if (sb.Length > 0) sb.Append(' ');
            sb.Append(n.ToString(CultureInfo.InvariantCulture)).Append(' ').Append(n == 1 ? unit : plural);
        }
        Part(years, "year", "years");
        Part(months, "mon", "mons");
        Part(v.Days, "day", "days");
        if (v.Micros != 0 || sb.Length == 0)
        {
            if (sb.Length > 0) sb.Append(' ');
            var micros = v.Micros;
            if (micros < 0)
            {
                sb.Append('-');
                micros = -micros;
            }
            var seconds = micros / 1_000_000;
            var fraction = micros % 1_000_000;
            sb.Append((seconds / 3600).ToString("00", CultureInfo.InvariantCulture)).Append(':')
              .Append((seconds / 60 % 60).ToString("00", CultureInfo.InvariantCulture)).Append(':')
              .Append((seconds % 60).ToString("00", CultureInfo.InvariantCulture));
            if (fraction != 0) sb.Append('.').Append(fraction.ToString("000000", CultureInfo.InvariantCulture).TrimEnd('0'));
        }
        return sb.ToString();
    }

    public static PgInterval ReadBinary(ReadOnlySpan<byte> data)
    {
        if (data.Length != 16) throw CodecErrors.BinaryLength("interval", data.Length);
        return new PgInterval(
            BinaryPrimitives.ReadInt32BigEndian(data[12..]),
            BinaryPrimitives.ReadInt32BigEndian(data[8..]),
            BinaryPrimitives.ReadInt64BigEndian(data));
    }

    /// <summary>Parses the postgres style this codec writes (and the common "N unit" forms clients send).</summary>
    public static PgInterval ParseText(string text)
    {
        int months = 0, days = 0;
        long micros = 0;
        var rest = text.Trim();
        foreach (Match m in UnitPart().Matches(rest))
        {
            var n = long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            var unit = m.Groups[2].Value.ToLowerInvariant();
            switch (unit.TrimEnd('s'))
            {
                case "year": months += (int)(n * 12); break;
                case "mon" or "month": months += (int)n; break;
                case "week": days += (int)(n * 7); break;
                case "day": days += (int)n; break;
                case "hour": micros += n * 3_600_000_000; break;
                case "minute" or "min": micros += n * 60_000_000; break;
                case "second" or "sec": micros += n * 1_000_000; break;
                default: throw CodecErrors.TextSyntax("interval", text);
            }
        }
        rest = UnitPart().Replace(rest, "").Trim();
        if (rest.Length > 0)
        {
            var clock = Clock().Match(rest);
            if (!clock.Success) throw CodecErrors.TextSyntax("interval", text);
            var sign = clock.Groups[1].Value == "-" ? -1 : 1;
            var fraction = clock.Groups[5].Success ? clock.Groups[5].Value.PadRight(6, '0')[..6] : "0";
            micros += sign * (long.Parse(clock.Groups[2].Value, CultureInfo.InvariantCulture) * 3_600_000_000
                + long.Parse(clock.Groups[3].Value, CultureInfo.InvariantCulture) * 60_000_000
                + long.Parse(clock.Groups[4].Value, CultureInfo.InvariantCulture) * 1_000_000
                + long.Parse(fraction, CultureInfo.InvariantCulture));
        }
        return new PgInterval(months, days, micros);
    }

    // [0-9], not \d: .NET's \d matches every Unicode digit, which long.Parse then refuses (found by the protocol fuzzer),
    // and at most 18 digits so the number fits a long; anything else is left over and is a syntax error.
    [GeneratedRegex(@"([+-]?[0-9]{1,18})\s*(years?|mons?|months?|weeks?|days?|hours?|minutes?|mins?|seconds?|secs?)\b", RegexOptions.IgnoreCase)]
    private static partial Regex UnitPart();

    [GeneratedRegex(@"^([+-]?)([0-9]{1,12}):([0-9]{2}):([0-9]{2})(?:\.([0-9]+))?$")]
    private static partial Regex Clock();
}
