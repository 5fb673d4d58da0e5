using DataMesh.Gateway.Catalog.Model;
using DataMesh.Gateway.Protocol.Errors;

namespace DataMesh.Gateway.Admin.Commands;

/// <summary>
/// An asset's declared key and clustering (ALTER ASSET … SET PRIMARY KEY / SET CLUSTER BY): business metadata the
/// serving copy of a published revision is built from. Columns are checked against the asset's current schema and
/// kept in its spelling; an empty list clears the declaration.
/// </summary>
internal static class ServingDeclarations
{
    public static AssetRecord SetPrimaryKey(AssetRecord asset, IReadOnlyList<string> columns) =>
        asset with { PrimaryKey = Resolve(asset, columns, "key") };

    public static AssetRecord SetClusterBy(AssetRecord asset, IReadOnlyList<string> columns) =>
        asset with { ClusterBy = Resolve(asset, columns, "clustering") };

    private static List<string> Resolve(AssetRecord asset, IReadOnlyList<string> columns, string role)
    {
        var resolved = new List<string>(columns.Count);
        foreach (var name in columns)
        {
            var column = asset.Schema.FirstOrDefault(c => c.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
                ?? throw new PgErrorException(SqlState.UndefinedColumn, $"column \"{name}\" of asset {asset.QualifiedName} does not exist");
            if (IsNested(column.Type))
                throw new PgErrorException(SqlState.FeatureNotSupported,
                    $"column \"{column.Name}\" of type {column.Type} cannot be a {role} column", hint: "Choose columns of scalar types.");
            // The parser refused a repeat as written; a repeat in another case is the same column.
            if (resolved.Contains(column.Name, StringComparer.Ordinal))
                throw AdminErrors.Invalid($"column \"{column.Name}\" is listed twice");
            resolved.Add(column.Name);
        }
        return resolved;
    }

    /// <summary>Lists, structs, maps and unions: neither sortable into a useful order nor indexable by DuckDB's ART.</summary>
    private static bool IsNested(string duckDbType) =>
        duckDbType.EndsWith(']') || duckDbType.StartsWith("STRUCT", StringComparison.OrdinalIgnoreCase)
        || duckDbType.StartsWith("MAP", StringComparison.OrdinalIgnoreCase) || duckDbType.StartsWith("UNION", StringComparison.OrdinalIgnoreCase);
}
