using System.Globalization;
using System.Text.RegularExpressions;
using DataMesh.Gateway.Storage;

namespace DataMesh.Gateway.Configuration;

/// <summary>
/// The "Storage" section: accounts on S3-compatible object stores. Example:
/// <c>"Storage": { "CacheSize": "20GB", "CredentialFiles": { "lake": "/etc/datamesh/lake.credentials" } }</c>.
/// </summary>
public sealed partial class StorageSettings
{
    /// <summary>Where fetched objects are cached; default <c>&lt;data dir&gt;/tmp/objects</c>.</summary>
    public string? CacheDirectory { get; set; }
    public string CacheSize { get; set; } = "10GB";
    public int MaxConcurrentDownloads { get; set; } = 8;
    public int MaxConcurrentDownloadsPerProject { get; set; } = 3;
    public int MaxAttempts { get; set; } = 4;
    public double RetryBaseDelaySeconds { get; set; } = 0.1;
    public double RetryMaxDelaySeconds { get; set; } = 2;
    public double RequestTimeoutSeconds { get; set; } = 300;

    /// <summary>0: a query lists an asset's objects every time it runs (a changed object is drift at once).</summary>
    public double RevalidateSeconds { get; set; }
    public int MaxObjectsPerAsset { get; set; } = 10_000;

    /// <summary>Credentials files accounts may name as <c>credentials = 'file:NAME'</c>: NAME → path.</summary>
    public Dictionary<string, string> CredentialFiles { get; set; } = new(StringComparer.Ordinal);

    public StorageOptions ToOptions(string dataDirectory) => new()
    {
        CacheDirectory = CacheDirectory is { Length: > 0 } dir ? Path.GetFullPath(dir) : ObjectStorage.DefaultCacheDirectory(dataDirectory),
        CacheBytes = ParseSize(CacheSize),
        MaxConcurrentDownloads = MaxConcurrentDownloads,
        MaxConcurrentDownloadsPerProject = MaxConcurrentDownloadsPerProject,
        MaxAttempts = MaxAttempts,
        RetryBaseDelay = TimeSpan.FromSeconds(RetryBaseDelaySeconds),
        RetryMaxDelay = TimeSpan.FromSeconds(RetryMaxDelaySeconds),
        RequestTimeout = TimeSpan.FromSeconds(RequestTimeoutSeconds),
        RevalidateAfter = TimeSpan.FromSeconds(RevalidateSeconds),
        MaxObjectsPerAsset = MaxObjectsPerAsset,
        CredentialFiles = new Dictionary<string, string>(CredentialFiles, StringComparer.Ordinal),
    };

    /// <summary>"10GB", "512MB", "1.5GiB", or bytes.</summary>
    public static long ParseSize(string text)
    {
        var m = Size().Match(text);
        if (!m.Success) throw new ArgumentException($"Storage:CacheSize \"{text}\" is not a size such as '10GB'");
        var value = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        var unit = m.Groups[2].Value.ToUpperInvariant();
        var factor = unit switch
        {
            "" or "B" => 1d,
            "KB" or "KIB" => 1024d,
            "MB" or "MIB" => 1024d * 1024,
            "GB" or "GIB" => 1024d * 1024 * 1024,
            _ => 1024d * 1024 * 1024 * 1024,
        };
        return (long)(value * factor);
    }

    [GeneratedRegex(@"^\s*(\d+(?:\.\d+)?)\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB|)\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex Size();
}
