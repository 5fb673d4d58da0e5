using DataMesh.Gateway.Admin;
using DataMesh.Gateway.Catalog.Model;
using DataMesh.Gateway.Portal.Security;
using DataMesh.Gateway.Protocol.Errors;

namespace DataMesh.Gateway.Portal.Data;

public sealed record AssetColumn(string Name, string Type, string? Description);

public sealed record RevisionView(RevisionRecord Revision, IReadOnlyList<SchemaChange> Changes);

/// <summary>A DESCRIBE ASSET row that is neither a fact, a column nor a revision: drift and, for owners, subscriptions.</summary>
public sealed record DescribeRow(string Item, string? Value, string? Detail);

/// <summary>Everything the asset page shows.</summary>
public sealed record AssetView(
    AssetRecord Asset,
    IReadOnlyDictionary<string, string?> Facts,
    IReadOnlyList<KeyValuePair<string, string?>> Metadata,
    IReadOnlyList<AssetColumn> Columns,
    IReadOnlyList<RevisionView> Revisions,
    IReadOnlyList<DescribeRow> Drift,
    IReadOnlyList<DescribeRow> OwnerSubscriptions,
    IReadOnlyList<IReadOnlyDictionary<string, string?>> CallerSubscriptions,
    IReadOnlyList<string> RequestableProjects);

/// <summary>
/// The asset page's data: <c>DESCRIBE ASSET</c> as the user (the same visibility and the same sections: owners also
/// get drift and the asset's subscriptions), <c>SHOW SUBSCRIPTIONS FOR PROJECT</c> for each of the user's projects
/// (their state for this asset), and the revisions' schemas (readable once DESCRIBE answered) for the schema diffs.
/// </summary>
public sealed class AssetDetails(PortalServices services, PortalSql sql)
{
    /// <summary>Null when the asset does not exist or the user may not see it (DESCRIBE ASSET's 42704).</summary>
    public async Task<AssetView?> LoadAsync(PortalUser user, string project, string asset, CancellationToken ct)
    {
        var describe = await sql.AdminAsync(user, "DESCRIBE ASSET " + SqlText.Asset(project, asset), ct).ConfigureAwait(false);
        if (describe.Error is { SqlState: SqlState.UndefinedObject }) return null;
        if (describe.Error is { } error) throw error;
        var record = services.Catalog.Snapshot.Asset(project, asset);
        if (record is null) return null;

        var rows = describe.Rows.ToList();
        string? Section(IReadOnlyDictionary<string, string?> r) => r["section"];
        var facts = rows.Where(r => Section(r) == "asset").ToDictionary(r => r["item"]!, r => r["value"], StringComparer.Ordinal);
        var metadata = rows.Where(r => Section(r) == "metadata").Select(r => new KeyValuePair<string, string?>(r["item"]!, r["value"])).ToList();
        var columns = rows.Where(r => Section(r) == "column").Select(r => new AssetColumn(r["item"]!, r["value"] ?? "", r["detail"])).ToList();
        var drift = rows.Where(r => Section(r) == "drift").Select(r => new DescribeRow(r["item"]!, r["value"], r["detail"])).ToList();
        var subscriptions = rows.Where(r => Section(r) == "subscription").Select(r => new DescribeRow(r["item"]!, r["value"], r["detail"])).ToList();

        var revisions = services.Catalog.Store.Read(r => r.Revisions(record.Id)).OrderBy(r => r.Revision).ToList();
        var views = revisions.Select((r, i) => new RevisionView(r, i == 0 ? [] : SchemaDiff.Between(revisions[i - 1].Schema, r.Schema)))
            .OrderByDescending(v => v.Revision.Revision).ToList();

        var snapshot = services.Catalog.Snapshot;
        var mine = snapshot.Projects.Where(p => snapshot.RoleIn(user.Name, p.Name, user.Identity.TokenGroups) is not null)
            .Select(p => p.Name).Order(StringComparer.Ordinal).ToList();
        var callerSubscriptions = new List<IReadOnlyDictionary<string, string?>>();
        foreach (var consumer in mine.Where(p => p != project))
        {
            var shown = await sql.AdminAsync(user, "SHOW SUBSCRIPTIONS FOR PROJECT " + SqlText.Name(consumer), ct).ConfigureAwait(false);
            if (!shown.Ok) continue;
            callerSubscriptions.AddRange(shown.Rows.Where(r => r["asset"] == record.QualifiedName)
                .Select(r => (IReadOnlyDictionary<string, string?>)new Dictionary<string, string?>(r) { ["project"] = consumer }));
        }
        var requestable = record.Published
            ? mine.Where(p => p != project && snapshot.RoleIn(user.Name, p, user.Identity.TokenGroups) >= MemberRole.Contributor).ToList()
            : [];
        if (snapshot.IsDomainAdmin(user.Name) && record.Published)
            requestable = snapshot.Projects.Select(p => p.Name).Where(p => p != project).Order(StringComparer.Ordinal).ToList();
        return new AssetView(record, facts, metadata, columns, views, drift, subscriptions, callerSubscriptions, requestable);
    }
}
