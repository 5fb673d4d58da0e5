namespace DataMesh.Gateway.Policy.Grants;

/// <summary>
/// The DuckDB type a column name has in the session's grants, as the consumer sees it (hash, redact and partial masks
/// make text). A name that means different types in different assets maps to null: unknown, so callers stay
/// conservative.
/// </summary>
public static class GrantColumnTypes
{
    public static Dictionary<string, string?> Of(GrantSet grants)
    {
        ArgumentNullException.ThrowIfNull(grants);
        var types = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var column in grants.All.SelectMany(g => g.Columns))
        {
            var type = column.VisibleType;
            types[column.Name] = types.TryGetValue(column.Name, out var seen) && seen != type ? null : type;
        }
        return types;
    }
}
