using System.Globalization;
using System.Text.RegularExpressions;
using DataMesh.Gateway.Protocol.Errors;
using DataMesh.Gateway.Protocol.Types.Input;

namespace DataMesh.Gateway.Server.Sessions.Settings;

/// <summary>
/// TimeZone as PostgreSQL's check_timezone reads it: <c>INTERVAL '…'</c> (what <c>SET TIME ZONE INTERVAL '+00:00' HOUR
/// TO MINUTE</c> flattens to), a number of hours, or a zone name (IANA or POSIX). The engine's time zone is fixed at
/// UTC when its instance is locked, so only zones that are UTC at every instant are honoured, named as PostgreSQL
/// names them (<c>&lt;+00&gt;-00</c> for an offset, the tz database's spelling for a name); any other real zone is
/// 0A000, a name PostgreSQL does not know 22023.
/// </summary>
internal static partial class TimeZoneSetting
{
    public const string OffsetZero = "<+00>-00";

    // Zone names that are UTC at every instant, as the tz database spells them (PostgreSQL looks names up ignoring case).
    private static readonly string[] UtcNames =
    [
        "UTC", "Etc/UTC", "GMT", "Etc/GMT", "Zulu", "Etc/Zulu", "UCT", "Etc/UCT", "Universal", "Etc/Universal", "Greenwich",
        "Etc/Greenwich", "GMT0", "Etc/GMT0", "GMT+0", "GMT-0", "Etc/GMT+0", "Etc/GMT-0",
    ];

    public static string Honour(string value)
    {
        if (value.StartsWith("interval", StringComparison.OrdinalIgnoreCase)) return FromInterval(value);
        if (Hours(value) is { } hours) return hours == 0 ? OffsetZero : throw NotUtc(value);
        foreach (var name in UtcNames)
            if (name.Equals(value, StringComparison.OrdinalIgnoreCase)) return name;
        // POSIX zone specifications ("UTC0", "-00:00", "<+00>+00"): kept as typed, like PostgreSQL.
        if (PosixZone().Match(value) is { Success: true } posix)
            return posix.Groups["dst"].Success || !IsZero(posix.Groups["offset"].Value) ? throw NotUtc(value) : value;
        if (IsKnownZone(value)) throw NotUtc(value);
        throw Invalid(value);
    }

    private static string FromInterval(string value)
    {
        var rest = value[8..].TrimStart();
        if (rest.Length < 2 || rest[0] != '\'' || rest.IndexOf('\'', 1) != rest.Length - 1) throw Invalid(value);
        var interval = IntervalInput.Parse(rest[1..^1]);
        if (interval.Months != 0) throw Invalid(value, "Cannot specify months in time zone interval.");
        if (interval.Days != 0) throw Invalid(value, "Cannot specify days in time zone interval.");
        return interval.Micros / 1_000_000 == 0 ? OffsetZero : throw NotUtc(value);
    }

    /// <summary>The value as C's strtod reads all of it, or null (PostgreSQL then tries it as a zone name).</summary>
    private static double? Hours(string value) =>
        NumberOnly().IsMatch(value) && double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var h) ? h : null;

    [GeneratedRegex(@"^\s*[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$")]
    private static partial Regex NumberOnly();

    [GeneratedRegex(@"^(?:[A-Za-z]{3,}|<[A-Za-z0-9+-]+>)?(?<offset>[+-]?[0-9]{1,2}(?::[0-9]{2}){0,2})(?<dst>[A-Za-z<].*)?$")]
    private static partial Regex PosixZone();

    private static bool IsZero(string offset) => offset.TrimStart('+', '-').All(c => c is '0' or ':');

    private static bool IsKnownZone(string name)
    {
        if (TimeZoneInfo.TryFindSystemTimeZoneById(name, out _)) return true;
        return TimeZoneInfo.GetSystemTimeZones().Any(z => z.Id.Equals(name, StringComparison.OrdinalIgnoreCase));
    }

    private static PgErrorException NotUtc(string value) => new(SqlState.FeatureNotSupported,
        $"invalid value for parameter \"TimeZone\": \"{value}\"", detail: "The gateway reports times in UTC only.",
        hint: "Use SET TIME ZONE 'UTC' (or LOCAL, DEFAULT, INTERVAL '+00:00' HOUR TO MINUTE) and convert in the client.");

    private static PgErrorException Invalid(string value, string? detail = null) =>
        new(SqlState.InvalidParameterValue, $"invalid value for parameter \"TimeZone\": \"{value}\"", detail: detail);
}
