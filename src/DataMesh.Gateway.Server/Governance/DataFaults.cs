using System.Globalization;
using DataMesh.Gateway.Admin;
using DataMesh.Gateway.Catalog.Snapshots;
using DataMesh.Gateway.Engine;
using DataMesh.Gateway.Policy.Rewrite;
using DataMesh.Gateway.Protocol.Errors;

namespace DataMesh.Gateway.Server.Governance;

/// <summary>
/// When a governed query fails on something that may be the producer's files (an I/O error, an unreadable file, a
/// column the engine could not find or convert), looks at the files of every asset the query read and, if one of
/// them is at fault, answers with what is wrong with that asset instead of the engine's text:
/// <list type="bullet">
/// <item>files that no longer match the published schema: 55000, naming the asset and the columns the consumer sees;</item>
/// <item>a file that cannot be read as Parquet (truncated, overwritten): XX001 data_corrupted;</item>
/// <item>a file gone, or a read that failed while the files were replaced: 58030 io_error.</item>
/// </list>
/// Runs only on the error path (footers only, never data), and never names a path or a column the grant hides.
/// </summary>
public static class DataFaults
{
    /// <param name="streamingSince">When the failing query started, for a failure while its rows streamed.</param>
    public static PgErrorException? Diagnose(PgErrorException error, RewriteResult plan, CatalogSnapshot snapshot, MetadataEngine metadata,
        DateTime? streamingSince = null)
    {
        if (error.IsFatal || error.SqlState == SqlState.QueryCanceled || !MayConcernFiles(error.SqlState)) return null;
        foreach (var grant in plan.Grants)
        {
            if (snapshot.Asset(grant.Project, grant.Asset) is not { } asset) continue;
            var report = grant.Files is { } files ? SourceCheck.Check(metadata, files, asset.Schema) : SourceCheck.Check(metadata, grant.SourcePath, asset.Schema);
            var name = $"\"{grant.QualifiedName}\"";
            var revision = asset.LatestRevision is { } r ? $"its published revision {r.ToString(CultureInfo.InvariantCulture)}" : "its catalog schema";
            // Added columns break nothing: the policy subquery names the columns it reads.
            var breaking = report.Drifts.Where(d => d.Published is not null).ToList();
            if (breaking.Count > 0)
            {
                var visible = breaking.Where(d => grant.Columns.Any(c => c.Name == d.Column)).Select(d => d.Describe()).ToList();
                var what = visible.Count > 0 ? string.Join("; ", visible) : "the files' columns differ from the published ones";
                return new PgErrorException(SqlState.ObjectNotInPrerequisiteState,
                    $"asset {name} no longer matches {revision}: {what}",
                    hint: "the producer changed the asset's files; its owners see the difference in DESCRIBE ASSET");
            }
            if (report.UnreadableFiles > 0)
            {
                return new PgErrorException(SqlState.DataCorrupted,
                    $"the data of asset {name} is corrupt: {Count(report.UnreadableFiles)} of its {Count(report.Files)} file(s) cannot be read as Parquet",
                    hint: "the asset's owners must replace the damaged files");
            }
            if (report.NoFiles)
                return new PgErrorException(SqlState.IoError, $"could not read asset {name}: it has no data files");
        }
        // Every footer reads and matches: a file vanished or changed while the query ran, or a page is damaged.
        if (plan.Grants.Count == 0) return null;
        var assets = string.Join(", ", plan.Grants.Select(g => $"\"{g.QualifiedName}\""));
        // DuckDB loses the error of a fetch that failed while streaming: the result then only says it was closed.
        // Only when an asset's files changed since the query started is that taken as the files' fault.
        var lost = error.Message.StartsWith(LostStreamError, StringComparison.Ordinal);
        if (error.SqlState == SqlState.IoError || (lost && streamingSince is { } since && plan.Grants.Any(g => g.Files is null && ChangedSince(g.SourcePath, since))))
            return new PgErrorException(SqlState.IoError,
                $"could not read the data of asset {assets}: a file was missing or unreadable while the query ran",
                hint: "the producer may have replaced the asset's files during the query; it can be repeated");
        if (LooksCorrupt(error.Message))
            return new PgErrorException(SqlState.DataCorrupted, $"the data of asset {assets} is corrupt: a data page cannot be decoded",
                hint: "the asset's owners must replace the damaged files");
        return null;
    }

    /// <summary>SQLSTATEs the engine raises for unreadable, vanished, changed or damaged files.</summary>
    private static bool MayConcernFiles(string state) => state is SqlState.IoError or SqlState.InvalidParameterValue
        or SqlState.InternalError or SqlState.UndefinedColumn or SqlState.DatatypeMismatch or SqlState.InvalidTextRepresentation
        or SqlState.UndefinedFunction or SqlState.DataCorrupted;

    private const string LostStreamError = "Attempting to execute an unsuccessful or closed pending query result";

    private static bool LooksCorrupt(string message) =>
        CorruptionWords.Any(w => message.Contains(w, StringComparison.OrdinalIgnoreCase));

    private static readonly string[] CorruptionWords =
        ["corrupt", "decompress", "magic bytes", "too small to be a Parquet file", "thrift", "checksum", "out of buffer", "invalid page", "snappy", "zstd"];

    /// <summary>
    /// True when the source's directory (a file removed or added) or one of its files was modified after
    /// <paramref name="since"/>. Stats only; looks at the directory before the first wildcard of the path.
    /// </summary>
    private static bool ChangedSince(string sourcePath, DateTime since)
    {
        var wildcard = sourcePath.IndexOfAny(['*', '?', '[', '{']);
        var directory = Path.GetDirectoryName(wildcard < 0 ? sourcePath : sourcePath[..wildcard]);
        if (directory is null || !Directory.Exists(directory)) return true;
        var threshold = since.AddMilliseconds(-100); // file times and the wall clock are read by different clocks
        if (Directory.GetLastWriteTimeUtc(directory) >= threshold) return true;
        return Directory.EnumerateFiles(directory).Take(1000).Any(f => File.GetLastWriteTimeUtc(f) >= threshold);
    }

    private static string Count(int n) => n.ToString(CultureInfo.InvariantCulture);
}
