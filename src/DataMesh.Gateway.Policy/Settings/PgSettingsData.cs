using System.Collections.Frozen;

namespace DataMesh.Gateway.Policy.Settings;

/// <summary>
/// PostgreSQL 15's run-time parameters as data: the embedded <c>pg15-settings.tsv</c>, regenerated from a real server by
/// <c>tests/corpus/pg-settings.sh</c> (name, context, type, unit, min, max, enum values, the default as SHOW gives it,
/// and whether only a superuser may read it). The server's session settings are built from it; the function policy
/// uses it to decide which names <c>current_setting('…')</c> may read.
/// </summary>
public static class PgSettingsData
{
    /// <summary>One row per parameter, its nine tab-separated fields split.</summary>
    public static IReadOnlyList<string[]> Rows { get; } = Load();

    /// <summary>Parameters pg_settings does not list but SHOW and current_setting answer (GUC_NO_SHOW_ALL).</summary>
    public static readonly IReadOnlyList<string> Unlisted = ["is_superuser", "session_authorization", "role", "seed", "default_with_oids"];

    private static readonly FrozenSet<string> SuperuserOnly =
        Rows.Where(r => r[8] == "superuser-only").Select(r => r[0]).ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    /// <summary>Every name a session may read with SHOW or current_setting (matched case-insensitively).</summary>
    public static IReadOnlySet<string> Readable { get; } =
        Rows.Where(r => r[8] != "superuser-only").Select(r => r[0]).Concat(Unlisted).ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    /// <summary>What pg_settings lists to a user who is not a superuser (no unlisted, no superuser-only parameters).</summary>
    public static IReadOnlySet<string> Listed { get; } =
        Rows.Where(r => r[8] != "superuser-only").Select(r => r[0]).ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    /// <summary>A parameter only a superuser may read (data_directory, config_file, …): 42501 for everybody else.</summary>
    public static bool IsSuperuserOnly(string name) => SuperuserOnly.Contains(name);

    private static List<string[]> Load()
    {
        using var stream = typeof(PgSettingsData).Assembly.GetManifestResourceStream("pg15-settings.tsv")
            ?? throw new InvalidOperationException("the embedded pg15-settings.tsv is missing");
        using var reader = new StreamReader(stream);
        var rows = new List<string[]>();
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0 || line[0] == '#') continue;
            var fields = line.Split('\t');
            if (fields.Length != 9) throw new InvalidOperationException($"pg15-settings.tsv: expected 9 fields in \"{line}\"");
            rows.Add(fields);
        }
        return rows;
    }
}
