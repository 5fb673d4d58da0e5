using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using DataMesh.Gateway.Catalog.Snapshots;
using DataMesh.Gateway.Engine.Instances;
using DataMesh.Gateway.Policy.Grants;
using DataMesh.Gateway.Server.Governance;

namespace DataMesh.Gateway.Server.Engines;

/// <summary>
/// Derives a project's engine instance from its grants: DuckDB may read exactly the granted sources, the shadow
/// catalog holds the visible assets with their visible columns (masked columns with the masked type), and the
/// limits come from the project's query_limits blueprint. OIDs are stable: tables from the asset's catalog id,
/// schemas from the project's name, so a \d's follow-up queries and later sessions see the same numbers.
/// </summary>
internal static partial class EngineSpecs
{
    private const int FirstTableOid = 16384; // PostgreSQL's first user object id

    public static EngineSpec For(CatalogSnapshot snapshot, GrantSet grants, ProjectAccess access, EngineDefaults defaults)
    {
        var project = snapshot.Project(access.Project);
        var resources = project?.Resources ?? new Dictionary<string, string>();
        var tables = new List<ShadowTable>();
        var schemaOids = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var grant in grants.All.OrderBy(g => g.QualifiedName, StringComparer.Ordinal))
        {
            var asset = grants.AssetOf(grant.Project, grant.Asset) ?? snapshot.Asset(grant.Project, grant.Asset);
            if (asset is null) continue;
            schemaOids.TryAdd(grant.Project, SchemaOid(grant.Project));
            var columns = grant.Columns.Select(c => new ShadowColumn(c.Name, c.VisibleType, asset.ColumnDescriptions.GetValueOrDefault(c.Name))).ToList();
            var hidden = asset.Schema.Select(c => c.Name).Where(n => grant.Columns.All(c => c.Name != n)).ToList();
            tables.Add(new ShadowTable(grant.Project, grant.Asset, checked(FirstTableOid + (int)asset.Id), asset.Description, columns, hidden));
        }
        var memory = resources.GetValueOrDefault("memory_limit") ?? defaults.MemoryLimit;
        var threads = int.TryParse(resources.GetValueOrDefault("threads"), NumberStyles.None, CultureInfo.InvariantCulture, out var t) && t > 0
            ? Math.Min(t, defaults.Threads) : defaults.Threads;
        var sources = grants.All.SelectMany(g => g.ReadPaths).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        // The workspace blueprint's database file: one read-write attach per project instance (DuckDB allows one writer
        // per file in a process); the gateway lets only owners and contributors send the statements that write to it.
        var workspace = resources.GetValueOrDefault("workspace") is { } w && File.Exists(w) ? w : null;
        var shape = string.Join(',', tables.Select(x => x.Oid + ":" + x.Description + ":" + string.Join(';', x.Columns.Select(c => c.Description))
            + ":" + string.Join(';', x.HiddenColumns ?? Array.Empty<string>())));
        var fingerprint = Hash($"{grants.Fingerprint}|{memory}|{threads}|{workspace}|{shape}");
        return new EngineSpec
        {
            Key = access.Project,
            Fingerprint = fingerprint,
            AllowedSources = sources,
            ShadowTables = tables,
            SchemaOids = schemaOids,
            MemoryLimit = memory,
            Threads = threads,
            TempDirectory = defaults.TempDirectory,
            MaxTempDirectorySize = defaults.MaxTempDirectorySize,
            WorkspacePath = workspace,
            WorkspaceWritable = workspace is not null,
            SettingDefinitions = Sessions.SessionParameters.Definitions,
        };
    }

    /// <summary>The project's statement timeout from its query_limits blueprint, or zero.</summary>
    public static TimeSpan StatementTimeout(CatalogSnapshot snapshot, string project)
    {
        var text = snapshot.Project(project)?.Resources.GetValueOrDefault("statement_timeout");
        if (text is null || Duration().Match(text) is not { Success: true } m) return TimeSpan.Zero;
        var value = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        return m.Groups[2].Value.ToLowerInvariant() switch
        {
            "ms" => TimeSpan.FromMilliseconds(value),
            "s" or "" => TimeSpan.FromSeconds(value),
            "min" or "m" => TimeSpan.FromMinutes(value),
            "h" => TimeSpan.FromHours(value),
            _ => TimeSpan.Zero,
        };
    }

    private static int SchemaOid(string project)
    {
        var hash = BitConverter.ToUInt32(SHA256.HashData(Encoding.UTF8.GetBytes(project)), 0);
        return 1_000_000 + (int)(hash % 1_000_000_000u);
    }

    private static string Hash(string text) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)), 0, 12).ToLowerInvariant();

    [GeneratedRegex(@"^\s*(\d+(?:\.\d+)?)\s*(ms|s|min|m|h|)\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex Duration();
}
