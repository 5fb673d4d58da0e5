using System.Globalization;
using DataMesh.Gateway.Catalog.Model;
using DataMesh.Gateway.Protocol.Errors;
using DataMesh.Gateway.Protocol.Types.Codecs;
using DataMesh.Gateway.Sql.Admin;

namespace DataMesh.Gateway.Admin.Commands;

/// <summary>
/// The checks of a grant's policy, one set for APPROVE SUBSCRIPTION, ALTER SUBSCRIPTION, ADD COLUMNS and an approved
/// change request: a row filter over the asset's own columns (allow-listed functions, boolean), column lists naming its
/// columns and not excluding all of them, masks on shown columns of a type they fit, an expiry in the future.
/// </summary>
internal static class GrantPolicy
{
    public static string Filter(AdminContext ctx, AssetRecord asset, SqlFragment fragment, int statementOffset)
    {
        var filter = FilterValidator.Validate(ctx.Services.Metadata, fragment, asset.Schema.Select(c => c.Name).ToList(), statementOffset);
        FilterValidator.RequireBoolean(ctx.Services.Metadata, filter, asset.Schema.Select(c => (c.Name, c.Type)).ToList());
        return filter;
    }

    /// <summary>The asset's column of that name (case-insensitively), 42703 when it has none.</summary>
    public static string Column(AssetRecord asset, string name) =>
        asset.Schema.FirstOrDefault(c => c.Name.Equals(name, StringComparison.OrdinalIgnoreCase))?.Name
        ?? throw new PgErrorException(SqlState.UndefinedColumn, $"asset \"{asset.QualifiedName}\" has no column \"{name}\"");

    /// <summary>INCLUDE / EXCLUDE lists resolved to the asset's columns; excluding every column is refused.</summary>
    public static (List<string>? Include, List<string>? Exclude) Columns(AssetRecord asset, IReadOnlyList<string>? include, IReadOnlyList<string>? exclude)
    {
        var inc = include?.Select(c => Column(asset, c)).ToList();
        var exc = exclude?.Select(c => Column(asset, c)).ToList();
        if (exc is not null && exc.Distinct().Count() == asset.Schema.Count) throw AdminErrors.Invalid("the column filter excludes every column of the asset");
        return (inc, exc);
    }

    /// <summary>The asset's columns the filter lets through, in schema order (an include list in its own order).</summary>
    public static List<string> Visible(AssetRecord asset, IReadOnlyList<string>? include, IReadOnlyList<string>? exclude) =>
        include?.ToList() ?? asset.Schema.Select(c => c.Name).Where(c => exclude is null || !exclude.Contains(c)).ToList();

    public static MaskRecord Mask(AssetRecord asset, ColumnMask m, IReadOnlyCollection<string> visible)
    {
        var column = Column(asset, m.Column);
        if (!visible.Contains(column)) throw AdminErrors.Invalid($"column \"{column}\" is masked but not included by the column filter");
        var type = asset.Schema.First(c => c.Name == column).Type.ToUpperInvariant();
        switch (m.Kind)
        {
            case MaskKind.Year when !(type.StartsWith("DATE", StringComparison.Ordinal) || type.StartsWith("TIMESTAMP", StringComparison.Ordinal)):
                throw AdminErrors.Invalid($"the year mask applies to dates and timestamps; column \"{column}\" is {type}");
            case MaskKind.Partial when !type.StartsWith("VARCHAR", StringComparison.Ordinal):
                throw AdminErrors.Invalid($"the partial mask applies to text columns; column \"{column}\" is {type}");
        }
        return new MaskRecord(column, m.Kind.ToString().ToLowerInvariant(), m.KeepFirst, m.KeepLast);
    }

    public static string Describe(MaskRecord m) =>
        m.Kind == "partial" ? $"{m.Column} USING partial({m.KeepFirst}, {m.KeepLast})" : $"{m.Column} USING {m.Kind}";

    /// <summary>EXPIRES 'timestamp' or IN INTERVAL '…' from now; null when neither is given. It must be in the future.</summary>
    public static DateTimeOffset? Expiry(AdminContext ctx, string? at, string? interval)
    {
        DateTimeOffset? expires = null;
        if (at is not null)
        {
            if (!DateTimeOffset.TryParse(at, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t))
                throw AdminErrors.Invalid($"invalid expiry time \"{at}\"", "use an ISO date or timestamp such as '2027-06-30'");
            expires = t;
        }
        else if (interval is not null)
        {
            PgInterval parsed;
            try
            {
                parsed = IntervalCodec.ParseText(interval);
            }
            catch (PgErrorException)
            {
                throw AdminErrors.Invalid($"invalid interval \"{interval}\"", "use an interval such as '30 days' or '1 year'");
            }
            expires = ctx.Now.AddMonths(parsed.Months).AddDays(parsed.Days).AddTicks(parsed.Micros * 10);
        }
        if (expires is { } e && e <= ctx.Now) throw AdminErrors.Invalid($"the expiry {Format.Time(e)} is not in the future");
        return expires;
    }

    /// <summary>A grant's policy in one line, for events: what a consumer is told changed.</summary>
    public static string Summary(SubscriptionRecord s, IReadOnlyList<string> shown) =>
        $"row filter: {s.RowFilter ?? "none"}; columns: {Format.List(shown)}; masks: {(s.Masks.Count == 0 ? "none" : string.Join(", ", s.Masks.Select(Describe)))}; " +
        $"expires: {Format.Time(s.ExpiresAt) ?? "never"}";
}
