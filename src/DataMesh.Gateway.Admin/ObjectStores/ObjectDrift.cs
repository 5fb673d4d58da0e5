using System.Globalization;
using DataMesh.Gateway.Catalog.Model;
using DataMesh.Gateway.Protocol.Errors;

namespace DataMesh.Gateway.Admin.ObjectStores;

/// <summary>
/// DESCRIBE ASSET's drift rows for an asset on an object store, for its owners: the objects as listed now against the
/// ETags its latest revision pinned (changed, deleted, added), and the columns of changed or added objects against
/// the published schema (read from their footers). A store that cannot be reached is reported, not raised.
/// </summary>
internal static class ObjectDrift
{
    /// <summary>Footers read to compare columns; more changed objects are counted but not all opened.</summary>
    private const int MaxFootersChecked = 100;

    public static IEnumerable<object?[]> Rows(AdminContext ctx, AssetRecord asset)
    {
        var pinned = asset.Objects!;
        var against = asset.LatestRevision is { } r ? $"revision {r.ToString(CultureInfo.InvariantCulture)}" : "the inventory";
        var account = ctx.Read(reader => reader.GetAccount(reader.GetProject(asset.Project)!.Account))!;
        IReadOnlyList<ObjectRecord> now;
        try
        {
            now = ObjectSources.Current(ctx, account, asset);
        }
        catch (PgErrorException e)
        {
            return [Row("status", "the object store cannot be reached", e.Message)];
        }
        var current = now.ToDictionary(o => o.Key, StringComparer.Ordinal);
        var changed = pinned.Where(p => current.TryGetValue(p.Key, out var c) && c.ETag != p.ETag).Select(p => current[p.Key]).ToList();
        var deleted = pinned.Count(p => !current.ContainsKey(p.Key));
        var added = now.Where(o => pinned.All(p => p.Key != o.Key)).ToList();
        var objects = $"{Count(pinned.Count)} object(s) pinned, {Count(now.Count)} listed";
        var rows = new List<object?[]>
        {
            changed.Count == 0 && deleted == 0 && added.Count == 0
                ? Row("status", $"objects match {against}", objects)
                : Row("status", $"objects differ from {against}", objects),
        };
        if (changed.Count > 0) rows.Add(Row("changed objects", Count(changed.Count), "ETag differs from the pinned one: queries fail with 55000 until the asset is published again"));
        if (deleted > 0) rows.Add(Row("deleted objects", Count(deleted), "queries fail with 58030 until the asset is published again"));
        if (added.Count > 0) rows.Add(Row("added objects", Count(added.Count), "not read until the asset is published again"));
        var schemas = changed.Concat(added).Take(MaxFootersChecked).Select(o => ObjectSources.SchemaOf(ctx, account, asset, o)).ToList();
        var report = SourceCheck.Compare(schemas, asset.Schema);
        if (report.UnreadableFiles > 0) rows.Add(Row("unreadable objects", Count(report.UnreadableFiles), "not readable as Parquet (truncated or corrupt)"));
        foreach (var d in report.Drifts) rows.Add(Row(d.Column, d.Describe(), $"in {Count(d.FileCount)} of {Count(report.Files)} changed or added object(s)"));
        return rows;
    }

    private static object?[] Row(string item, string? value, string? detail = null) => ["drift", item, value, detail];

    private static string Count(int n) => n.ToString(CultureInfo.InvariantCulture);
}
