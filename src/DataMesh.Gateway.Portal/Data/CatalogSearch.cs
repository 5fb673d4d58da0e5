using DataMesh.Gateway.Admin;
using DataMesh.Gateway.Catalog.Model;
using DataMesh.Gateway.Portal.Security;
using DataMesh.Gateway.Protocol.Errors;

namespace DataMesh.Gateway.Portal.Data;

public sealed record SearchHit(AssetRecord Asset, string? Score);

/// <summary>One value of a facet, how many of the hits have it, and whether the page is filtered by it.</summary>
public sealed record FacetValue(string Value, int Count, bool Selected);

public sealed record SearchFilters(string? Project, string? Term, string? Key)
{
    public bool Any => Project is not null || Term is not null || Key is not null;
}

public sealed record SearchPage(string Query, IReadOnlyList<SearchHit> Hits, int Matched, IReadOnlyList<FacetValue> Projects,
    IReadOnlyList<FacetValue> Terms, IReadOnlyList<FacetValue> Keys, PgErrorException? Error);

/// <summary>
/// The catalog search page: with text, the hits of <c>SEARCH CATALOG</c> run as the user (the same ranking, the same
/// visibility, audited the same), in its order; without text, every asset the user may see (the same visibility rule,
/// <see cref="AssetVisibility"/>), by project and name. Facets count the hits by owning project, glossary term and
/// metadata key; choosing one narrows the list and keeps its order.
/// </summary>
public sealed class CatalogSearch(PortalServices services, PortalSql sql)
{
    public async Task<SearchPage> SearchAsync(PortalUser user, string? query, SearchFilters filters, CancellationToken ct)
    {
        var text = (query ?? "").Trim();
        var snapshot = services.Catalog.Snapshot;
        List<SearchHit> hits;
        if (text.Length == 0)
        {
            var ctx = new AdminContext(user.Caller, PortalSql.HomeDatabase, "", services.Admin.Services);
            hits = snapshot.Assets.Where(a => AssetVisibility.CanSee(ctx, a))
                .OrderBy(a => a.Project, StringComparer.Ordinal).ThenBy(a => a.Name, StringComparer.Ordinal)
                .Select(a => new SearchHit(a, null)).ToList();
        }
        else
        {
            var answer = await sql.AdminAsync(user, "SEARCH CATALOG " + SqlText.Literal(text), ct).ConfigureAwait(false);
            if (answer.Error is { } error) return new SearchPage(text, [], 0, [], [], [], error);
            hits = answer.Rows
                .Select(r => (Asset: snapshot.Asset(r["project"]!, r["asset"]!), Score: r["score"]))
                .Where(h => h.Asset is not null)
                .Select(h => new SearchHit(h.Asset!, h.Score)).ToList();
        }
        var shown = hits.Where(h => Matches(h.Asset, filters)).ToList();
        return new SearchPage(text, shown, hits.Count,
            Facet(hits, h => [h.Asset.Project], filters.Project),
            Facet(hits, h => h.Asset.Terms, filters.Term),
            Facet(hits, h => h.Asset.Metadata.Keys, filters.Key),
            null);
    }

    private static bool Matches(AssetRecord asset, SearchFilters f) =>
        (f.Project is null || asset.Project == f.Project)
        && (f.Term is null || asset.Terms.Contains(f.Term, StringComparer.Ordinal))
        && (f.Key is null || asset.Metadata.ContainsKey(f.Key));

    private static List<FacetValue> Facet(List<SearchHit> hits, Func<SearchHit, IEnumerable<string>> values, string? selected) =>
        hits.SelectMany(h => values(h).Distinct(StringComparer.Ordinal))
            .GroupBy(v => v, StringComparer.Ordinal)
            .Select(g => new FacetValue(g.Key, g.Count(), g.Key == selected))
            .OrderByDescending(f => f.Count).ThenBy(f => f.Value, StringComparer.Ordinal)
            .ToList();
}
