using System.Collections.Frozen;
using System.Globalization;
using DataMesh.Gateway.Policy.Settings;

namespace DataMesh.Gateway.Server.Sessions.Settings;

/// <summary>
/// Every run-time parameter of PostgreSQL 15 (<see cref="PgSettingsData"/>), with the gateway's rules applied (<see cref="GatewaySettingRules"/>).
/// A client's SET of any of them is accepted or refused as PostgreSQL would (context, type, range, enum values), so
/// the session statements ORMs and tools send at connect time work; SHOW, current_setting() and pg_settings read the
/// same table. Lookups ignore case, as PostgreSQL's do.
/// </summary>
public static class PgSettingTable
{
    public static IReadOnlyList<PgSetting> All { get; } = Load();

    private static readonly FrozenDictionary<string, PgSetting> ByName =
        All.ToFrozenDictionary(s => s.Name, StringComparer.OrdinalIgnoreCase);

    public static PgSetting? Find(string name) => ByName.GetValueOrDefault(name);

    private static List<PgSetting> Load()
    {
        var settings = new List<PgSetting>();
        foreach (var f in PgSettingsData.Rows)
        {
            var setting = new PgSetting(
                f[0],
                ParseContext(f[1]),
                Enum.Parse<SettingType>(f[2], ignoreCase: true),
                f[3],
                f[4].Length == 0 ? double.MinValue : double.Parse(f[4], CultureInfo.InvariantCulture),
                f[5].Length == 0 ? double.MaxValue : double.Parse(f[5], CultureInfo.InvariantCulture),
                f[6].Length == 0 ? [] : f[6].Split(','),
                f[7],
                f[8] == "superuser-only");
            settings.Add(GatewaySettingRules.Apply(setting));
        }
        settings.AddRange(GatewaySettingRules.Unlisted);
        return settings;
    }

    private static SettingContext ParseContext(string context) => context switch
    {
        "superuser-backend" => SettingContext.SuperuserBackend,
        _ => Enum.Parse<SettingContext>(context, ignoreCase: true),
    };
}
