using DataMesh.Gateway.Catalog.Model;

namespace DataMesh.Gateway.Admin;

public enum SchemaChangeKind { Added, Removed, TypeChanged }

/// <summary>One column's difference between two revisions of an asset's schema.</summary>
public sealed record SchemaChange(string Column, SchemaChangeKind Kind, string? Before, string? After);

/// <summary>
/// The difference between two published schemas: columns added, removed, or with another type, by name. DESCRIBE ASSET …
/// REVISION n DIFF and the portal's asset page both show it from here.
/// </summary>
public static class SchemaDiff
{
    public static IReadOnlyList<SchemaChange> Between(IReadOnlyList<ColumnRecord> before, IReadOnlyList<ColumnRecord> after)
    {
        var old = before.ToDictionary(c => c.Name, c => c.Type, StringComparer.Ordinal);
        var changes = new List<SchemaChange>();
        foreach (var column in after)
        {
            if (!old.TryGetValue(column.Name, out var type)) changes.Add(new SchemaChange(column.Name, SchemaChangeKind.Added, null, column.Type));
            else if (type != column.Type) changes.Add(new SchemaChange(column.Name, SchemaChangeKind.TypeChanged, type, column.Type));
        }
        var current = after.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        changes.AddRange(before.Where(c => !current.Contains(c.Name)).Select(c => new SchemaChange(c.Name, SchemaChangeKind.Removed, c.Type, null)));
        return changes;
    }
}
