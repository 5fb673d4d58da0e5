using System.Text.RegularExpressions;
using DataMesh.Gateway.Protocol.Errors;

namespace DataMesh.Gateway.Server.Sessions.Settings;

/// <summary>
/// What the gateway adds to PostgreSQL's parameter table: the parameters reported to clients, list syntax, its own
/// server facts (version, time zone), and for the parameters whose value changes what a client sees, the values it can
/// honour. A value it cannot honour is refused (0A000), never accepted and ignored: TimeZone must be UTC (every query
/// runs in one locked-down engine whose time zone is UTC), DateStyle must be ISO, client_encoding UTF8,
/// standard_conforming_strings on. IntervalStyle, bytea_output, extra_float_digits and client_min_messages change the
/// gateway's output as in PostgreSQL. Everything else (planner, memory, WAL, replication, locale-free knobs) has no
/// effect on a read-only governed engine: a valid value is accepted, kept for SHOW/current_setting/pg_settings, and
/// documented as such in docs/CLIENTS.md.
/// </summary>
internal static partial class GatewaySettingRules
{
    private static readonly HashSet<string> Reported = new(StringComparer.OrdinalIgnoreCase)
    {
        "server_version", "server_encoding", "client_encoding", "application_name", "default_transaction_read_only",
        "in_hot_standby", "is_superuser", "session_authorization", "DateStyle", "IntervalStyle", "TimeZone",
        "integer_datetimes", "standard_conforming_strings",
    };

    private static readonly HashSet<string> Lists = new(StringComparer.OrdinalIgnoreCase)
    {
        "DateStyle", "search_path", "temp_tablespaces", "local_preload_libraries", "session_preload_libraries",
        "shared_preload_libraries", "log_destination", "restrict_nonsystem_relation_kind", "unix_socket_directories",
        "wal_consistency_checking",
    };

    private static readonly HashSet<string> QuotedLists = new(StringComparer.OrdinalIgnoreCase)
    {
        "search_path", "temp_tablespaces", "local_preload_libraries", "session_preload_libraries", "shared_preload_libraries",
    };

    /// <summary>Parameters pg_settings does not list but SHOW answers (GUC_NO_SHOW_ALL).</summary>
    public static IEnumerable<PgSetting> Unlisted =>
    [
        Apply(new PgSetting("is_superuser", SettingContext.Internal, SettingType.Bool, "", 0, 0, [], "off", false) { Hidden = true }),
        Apply(new PgSetting("session_authorization", SettingContext.User, SettingType.String, "", 0, 0, [], "", false) { Hidden = true }),
        Apply(new PgSetting("role", SettingContext.User, SettingType.String, "", 0, 0, [], "none", false) { Hidden = true }),
        // setseed() by another name: the value is checked, and SHOW says "unavailable", as in PostgreSQL.
        Apply(new PgSetting("seed", SettingContext.User, SettingType.Real, "", -1, 1, [], "unavailable", false) { Hidden = true }) with
        {
            Honour = (_, _) => "unavailable",
        },
        // Kept by PostgreSQL 12+ only to refuse true.
        Apply(new PgSetting("default_with_oids", SettingContext.User, SettingType.Bool, "", 0, 0, [], "off", false) { Hidden = true }),
    ];

    public static PgSetting Apply(PgSetting s)
    {
        s = s with
        {
            Reportable = Reported.Contains(s.Name), ListInput = Lists.Contains(s.Name), ListQuote = QuotedLists.Contains(s.Name),
            ShowPlain = s.Name.StartsWith("tcp_", StringComparison.Ordinal),
        };
        return s.Name switch
        {
            "server_version" => s with { Default = Engine.PgCatalogEmulation.ServerVersion },
            "server_version_num" => s with { Default = Engine.PgCatalogEmulation.ServerVersionNum },
            "TimeZone" => s with { Honour = (v, _) => TimeZoneSetting.Honour(v) },
            "DateStyle" => s with { Honour = DateStyleSetting.Honour },
            "client_encoding" => s with { Honour = (v, _) => Startup.ParameterValues.ClientEncoding(v) },
            "standard_conforming_strings" => s with { Honour = (v, _) => Only(s.Name, v, "on", "the gateway reads backslashes in '…' literally") },
            "transform_null_equals" => s with { Honour = (v, _) => Only(s.Name, v, "off", "the engine keeps expr = NULL as SQL defines it") },
            "default_with_oids" => s with
            {
                Honour = (v, _) => v == "off" ? v : throw new PgErrorException(SqlState.FeatureNotSupported, "tables declared WITH OIDS are not supported"),
            },
            // The gateway's messages are English only: an English or C locale changes nothing, as in PostgreSQL built
            // without translations. PostgreSQL lets only superusers set it; tools that send it at connect would fail.
            "lc_messages" => s with { Context = SettingContext.User, Honour = (v, _) => Locale(s.Name, v, englishToo: true) },
            "lc_monetary" or "lc_numeric" or "lc_time" => s with { Honour = (v, _) => Locale(s.Name, v, englishToo: false) },
            "session_authorization" => s with
            {
                Honour = (_, _) => throw new PgErrorException(SqlState.InsufficientPrivilege, "permission denied to set session authorization"),
            },
            "role" => s with
            {
                Honour = (v, _) => v.Equals("none", StringComparison.OrdinalIgnoreCase) ? "none"
                    : throw new PgErrorException(SqlState.InsufficientPrivilege, $"permission denied to set role \"{v}\""),
            },
            _ => s,
        };
    }

    private static string Only(string name, string value, string allowed, string why) =>
        value == allowed ? value : throw new PgErrorException(SqlState.FeatureNotSupported, $"invalid value for parameter \"{name}\": \"{value}\"",
            detail: $"The gateway supports only \"{allowed}\": {why}.");

    private static string Locale(string name, string value, bool englishToo)
    {
        if (value is "C" or "POSIX" or "C.UTF-8" or "C.utf8") return value;
        if (englishToo && EnglishLocale().IsMatch(value)) return value;
        throw new PgErrorException(SqlState.InvalidParameterValue, $"invalid value for parameter \"{name}\": \"{value}\"");
    }

    [GeneratedRegex(@"^en(_[A-Z]{2})?(\.[A-Za-z0-9-]+)?(@[a-z]+)?$")]
    private static partial Regex EnglishLocale();
}
