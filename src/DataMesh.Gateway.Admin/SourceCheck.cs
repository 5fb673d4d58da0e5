using DataMesh.Gateway.Catalog.Model;
using DataMesh.Gateway.Engine;
using DataMesh.Gateway.Protocol.Errors;

namespace DataMesh.Gateway.Admin;

/// <summary>
/// Compares an asset's Parquet files, as they are now, with the schema of its latest published revision: files that
/// cannot be read as Parquet, columns missing from a file, columns whose type changed, columns a file added. Used
/// after a governed read failed (to tell the consumer what is wrong with the asset) and by DESCRIBE ASSET (to show
/// the owners). Reads footers only, never data; file names stay inside: nothing here reaches a client as a path.
/// </summary>
public static class SourceCheck
{
    /// <summary>Enough to judge a source without reading the footers of a very large directory.</summary>
    private const int MaxFiles = 1000;

    public sealed record Report(int Files, int UnreadableFiles, IReadOnlyList<Drift> Drifts)
    {
        public bool NoFiles => Files == 0;
        public bool Healthy => Files > 0 && UnreadableFiles == 0 && Drifts.Count == 0;
    }

    /// <summary>One column that differs: <see cref="Found"/> is null when files lack it, <see cref="Published"/> when
    /// files added it. <see cref="FileCount"/> is how many files differ this way.</summary>
    public sealed record Drift(string Column, string? Published, string? Found, int FileCount)
    {
        public string Describe() => (Published, Found) switch
        {
            (not null, null) => $"column \"{Column}\" ({Published}) is missing",
            (null, not null) => $"column \"{Column}\" ({Found}) was added",
            _ => $"column \"{Column}\" is {Found}, published as {Published}",
        };
    }

    public static Report Check(MetadataEngine metadata, string resolvedPath, IReadOnlyList<ColumnRecord> published) =>
        Check(metadata, metadata.ListFiles(resolvedPath, MaxFiles), published);

    /// <summary>The same check over an explicit list of local files (the cached objects of an asset on an object store).</summary>
    public static Report Check(MetadataEngine metadata, IReadOnlyList<string> files, IReadOnlyList<ColumnRecord> published) =>
        Compare(files.Select(file =>
        {
            try
            {
                return metadata.DescribeParquet(file);
            }
            catch (PgErrorException)
            {
                return null; // deleted since the listing, truncated, or not Parquet at all
            }
        }).ToList(), published);

    /// <summary>Compares the schemas files have (null: unreadable) with the published one.</summary>
    public static Report Compare(IReadOnlyList<IReadOnlyList<(string Name, string Type)>?> schemas, IReadOnlyList<ColumnRecord> published)
    {
        var unreadable = 0;
        var drifts = new Dictionary<(string, string?, string?), int>();
        foreach (var found in schemas)
        {
            if (found is null)
            {
                unreadable++;
                continue;
            }
            foreach (var column in published)
            {
                var match = found.FirstOrDefault(f => f.Name == column.Name);
                if (match.Name is null) Count((column.Name, column.Type, null));
                else if (!string.Equals(match.Type, column.Type, StringComparison.OrdinalIgnoreCase)) Count((column.Name, column.Type, match.Type));
            }
            foreach (var extra in found.Where(f => published.All(c => c.Name != f.Name))) Count((extra.Name, null, extra.Type));
        }
        return new Report(schemas.Count, unreadable,
            drifts.Select(d => new Drift(d.Key.Item1, d.Key.Item2, d.Key.Item3, d.Value)).OrderBy(d => d.Column, StringComparer.Ordinal).ToList());

        void Count((string, string?, string?) key) => drifts[key] = drifts.GetValueOrDefault(key) + 1;
    }
}
