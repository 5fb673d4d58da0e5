using System.Globalization;
using System.Text;

namespace DataMesh.Gateway.Protocol.Types.Codecs;

/// <summary>The session's IntervalStyle: how interval values are written as text.</summary>
public enum IntervalStyle
{
    Postgres,
    PostgresVerbose,
    SqlStandard,
    Iso8601,
}

/// <summary>
/// PostgreSQL's interval_out in each IntervalStyle (datetime.c EncodeInterval): <c>1 year 2 mons -3 days +04:05:06</c>
/// (postgres), <c>@ 1 year 2 mons -3 days 4 hours ago</c> (postgres_verbose), <c>+1-2 -3 +4:05:06</c> or <c>1-2</c>
/// (sql_standard), <c>P1Y2M-3DT4H5M6S</c> (iso_8601). Years and months come from the month count, the clock from the
/// microseconds, each truncated toward zero so its parts share its sign.
/// </summary>
public static class IntervalText
{
    public static IntervalStyle ParseStyle(string value) => value.ToLowerInvariant() switch
    {
        "postgres_verbose" => IntervalStyle.PostgresVerbose,
        "sql_standard" => IntervalStyle.SqlStandard,
        "iso_8601" => IntervalStyle.Iso8601,
        _ => IntervalStyle.Postgres,
    };

    public static string Format(PgInterval v, IntervalStyle style)
    {
        var f = new Parts(v.Months / 12, v.Months % 12, v.Days, v.Micros / 3_600_000_000, (int)(v.Micros / 60_000_000 % 60),
            (int)(v.Micros / 1_000_000 % 60), (int)(v.Micros % 1_000_000));
        var sb = new StringBuilder();
        switch (style)
        {
            case IntervalStyle.SqlStandard: SqlStandard(sb, f); break;
            case IntervalStyle.Iso8601: Iso8601(sb, f); break;
            case IntervalStyle.PostgresVerbose: Verbose(sb, f); break;
            default: Postgres(sb, f); break;
        }
        return sb.ToString();
    }

    private readonly record struct Parts(int Year, int Mon, int Day, long Hour, int Min, int Sec, int Fsec)
    {
        public bool TimeIsZero => Hour == 0 && Min == 0 && Sec == 0 && Fsec == 0;
        public bool TimeIsNegative => Hour < 0 || Min < 0 || Sec < 0 || Fsec < 0;
    }

    private static void Postgres(StringBuilder sb, Parts f)
    {
        bool isZero = true, isBefore = false;
        void Part(int value, string unit)
        {
            if (value == 0) return;
            sb.Append(isZero ? "" : " ").Append(isBefore && value > 0 ? "+" : "").Append(Int(value)).Append(' ').Append(unit).Append(value != 1 ? "s" : "");
            isBefore = value < 0;
            isZero = false;
        }
        Part(f.Year, "year");
        Part(f.Mon, "mon");
        Part(f.Day, "day");
        if (isZero || !f.TimeIsZero)
        {
            sb.Append(isZero ? "" : " ").Append(f.TimeIsNegative ? "-" : isBefore ? "+" : "");
            Clock(sb, f);
        }
    }

    private static void Verbose(StringBuilder sb, Parts f)
    {
        bool isZero = true, isBefore = false;
        sb.Append('@');
        void Part(long value, string unit)
        {
            if (value == 0) return;
            if (isZero)
            {
                isBefore = value < 0;
                value = Math.Abs(value);
            }
            else if (isBefore)
            {
                value = -value;
            }
            sb.Append(' ').Append(value.ToString(CultureInfo.InvariantCulture)).Append(' ').Append(unit).Append(value == 1 ? "" : "s");
            isZero = false;
        }
        Part(f.Year, "year");
        Part(f.Mon, "mon");
        Part(f.Day, "day");
        Part(f.Hour, "hour");
        Part(f.Min, "min");
        if (f.Sec != 0 || f.Fsec != 0)
        {
            sb.Append(' ');
            if (f.Sec < 0 || (f.Sec == 0 && f.Fsec < 0))
            {
                if (isZero) isBefore = true;
                else if (!isBefore) sb.Append('-');
            }
            else if (isBefore)
            {
                sb.Append('-');
            }
            Seconds(sb, f.Sec, f.Fsec, fillZeros: false);
            sb.Append(" sec").Append(Math.Abs(f.Sec) != 1 || f.Fsec != 0 ? "s" : "");
            isZero = false;
        }
        if (isZero) sb.Append(" 0");
        if (isBefore) sb.Append(" ago");
    }

    private static void SqlStandard(StringBuilder sb, Parts f)
    {
        var negative = f.Year < 0 || f.Mon < 0 || f.Day < 0 || f.TimeIsNegative;
        var positive = f.Year > 0 || f.Mon > 0 || f.Day > 0 || f.Hour > 0 || f.Min > 0 || f.Sec > 0 || f.Fsec > 0;
        var yearMonth = f.Year != 0 || f.Mon != 0;
        var dayTime = f.Day != 0 || !f.TimeIsZero;
        var standard = !(negative && positive) && !(yearMonth && dayTime);
        if (negative && standard)
        {
            sb.Append('-');
            f = new Parts(-f.Year, -f.Mon, -f.Day, -f.Hour, -f.Min, -f.Sec, -f.Fsec);
        }
        if (!negative && !positive)
        {
            sb.Append('0');
        }
        else if (!standard)
        {
            sb.Append(f.Year < 0 || f.Mon < 0 ? '-' : '+').Append(Int(Math.Abs(f.Year))).Append('-').Append(Int(Math.Abs(f.Mon)))
              .Append(' ').Append(f.Day < 0 ? '-' : '+').Append(Int(Math.Abs(f.Day)))
              .Append(' ').Append(f.TimeIsNegative ? '-' : '+').Append(Math.Abs(f.Hour).ToString(CultureInfo.InvariantCulture)).Append(':')
              .Append(Math.Abs(f.Min).ToString("00", CultureInfo.InvariantCulture)).Append(':');
            Seconds(sb, f.Sec, f.Fsec, fillZeros: true);
        }
        else if (yearMonth)
        {
            sb.Append(Int(f.Year)).Append('-').Append(Int(f.Mon));
        }
        else
        {
            if (f.Day != 0) sb.Append(Int(f.Day)).Append(' ');
            sb.Append(f.Hour.ToString(CultureInfo.InvariantCulture)).Append(':').Append(f.Min.ToString("00", CultureInfo.InvariantCulture)).Append(':');
            Seconds(sb, f.Sec, f.Fsec, fillZeros: true);
        }
    }

    private static void Iso8601(StringBuilder sb, Parts f)
    {
        if (f.Year == 0 && f.Mon == 0 && f.Day == 0 && f.TimeIsZero)
        {
            sb.Append("PT0S");
            return;
        }
        sb.Append('P');
        void Part(long value, char unit)
        {
            if (value != 0) sb.Append(value.ToString(CultureInfo.InvariantCulture)).Append(unit);
        }
        Part(f.Year, 'Y');
        Part(f.Mon, 'M');
        Part(f.Day, 'D');
        if (!f.TimeIsZero) sb.Append('T');
        Part(f.Hour, 'H');
        Part(f.Min, 'M');
        if (f.Sec != 0 || f.Fsec != 0)
        {
            if (f.Sec < 0 || f.Fsec < 0) sb.Append('-');
            Seconds(sb, f.Sec, f.Fsec, fillZeros: false);
            sb.Append('S');
        }
    }

    /// <summary>hh:mm:ss[.ffffff] of the absolute clock; the caller writes the sign.</summary>
    private static void Clock(StringBuilder sb, Parts f)
    {
        sb.Append(Math.Abs(f.Hour).ToString("00", CultureInfo.InvariantCulture)).Append(':')
          .Append(Math.Abs(f.Min).ToString("00", CultureInfo.InvariantCulture)).Append(':');
        Seconds(sb, f.Sec, f.Fsec, fillZeros: true);
    }

    private static void Seconds(StringBuilder sb, int sec, int fsec, bool fillZeros)
    {
        sb.Append(Math.Abs(sec).ToString(fillZeros ? "00" : "0", CultureInfo.InvariantCulture));
        if (fsec != 0) sb.Append('.').Append(Math.Abs(fsec).ToString("000000", CultureInfo.InvariantCulture).TrimEnd('0'));
    }

    private static string Int(int value) => value.ToString(CultureInfo.InvariantCulture);
}
