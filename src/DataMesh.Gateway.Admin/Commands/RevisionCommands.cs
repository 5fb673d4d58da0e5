using System.Globalization;
using DataMesh.Gateway.Catalog.Model;
using DataMesh.Gateway.Sql.Admin;

namespace DataMesh.Gateway.Admin.Commands;

/// <summary>
/// DESCRIBE ASSET p.a REVISION n (that revision's schema, who published it and when) and … REVISION n DIFF [FROM m] (its
/// schema changes against revision m, by default the one before it). Visible to whoever may DESCRIBE the asset.
/// </summary>
internal static class RevisionCommands
{
    public static AdminResult Describe(AdminContext ctx, DescribeAsset s)
    {
        var (asset, revisions) = ctx.Read(r =>
        {
            var a = r.GetAsset(s.Name.Project, s.Name.Asset);
            return (a, a is null ? [] : r.Revisions(a.Id));
        });
        if (asset is null || !AssetVisibility.CanSee(ctx, asset)) throw AdminErrors.Unknown("asset", s.Name.ToString());
        var revision = Find(revisions, asset, s.Revision!.Value);
        if (!s.Diff)
        {
            var rows = new List<object?[]>
            {
                Row("revision", "number", Number(revision.Revision)),
                Row("revision", "published", $"by {revision.PublishedBy} at {Format.Time(revision.PublishedAt)}"),
                Row("revision", "description", revision.Description),
            };
            rows.AddRange(revision.Schema.Select(c => Row("column", c.Name, c.Type)));
            return new AdminResult([new("section"), new("item"), new("value"), new("detail")], rows, $"DESCRIBE ASSET {rows.Count}");
        }
        var from = s.DiffFrom ?? revision.Revision - 1;
        var before = from == 0 ? [] : Find(revisions, asset, from).Schema;
        var changes = SchemaDiff.Between(before, revision.Schema);
        return new AdminResult([new("column"), new("change"), new("before"), new("after")],
            changes.Select(c => new object?[] { c.Column, Describe(c.Kind), c.Before, c.After }).ToList(), $"DESCRIBE ASSET {changes.Count}");
    }

    private static RevisionRecord Find(IReadOnlyList<RevisionRecord> revisions, AssetRecord asset, int number) =>
        revisions.FirstOrDefault(r => r.Revision == number) ?? throw AdminErrors.Unknown($"revision of asset {asset.QualifiedName}", Number(number));

    private static string Describe(SchemaChangeKind kind) => kind switch
    {
        SchemaChangeKind.Added => "added",
        SchemaChangeKind.Removed => "removed",
        _ => "type changed",
    };

    private static string Number(int n) => n.ToString(CultureInfo.InvariantCulture);

    private static object?[] Row(string section, string item, string? value, string? detail = null) => [section, item, value, detail];
}
