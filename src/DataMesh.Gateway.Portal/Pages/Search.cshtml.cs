using DataMesh.Gateway.Portal.Data;
using Microsoft.AspNetCore.Mvc;

namespace DataMesh.Gateway.Portal.Pages;

/// <summary>/search?q=…[&amp;project=…][&amp;term=…][&amp;key=…]: catalog search with facets (see <see cref="CatalogSearch"/>).</summary>
public sealed class SearchModel(CatalogSearch search) : PortalPage
{
    [BindProperty(SupportsGet = true, Name = "q")]
    public string? Query { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Project { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Term { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Key { get; set; }

    public SearchPage Result { get; private set; } = null!;

    public async Task OnGetAsync()
    {
        Result = await search.SearchAsync(Me, Query, new SearchFilters(Empty(Project), Empty(Term), Empty(Key)), HttpContext.RequestAborted);
        Error = Result.Error;
    }

    /// <summary>This page's URL with one facet set (or cleared when it is the selected one).</summary>
    public string Link(string facet, string value, bool selected)
    {
        var query = new Dictionary<string, string?>
        {
            ["q"] = Empty(Query),
            ["project"] = facet == "project" ? (selected ? null : value) : Empty(Project),
            ["term"] = facet == "term" ? (selected ? null : value) : Empty(Term),
            ["key"] = facet == "key" ? (selected ? null : value) : Empty(Key),
        };
        return Microsoft.AspNetCore.WebUtilities.QueryHelpers.AddQueryString("/search", query.Where(p => p.Value is not null)!);
    }

    public static string AssetLink(Catalog.Model.AssetRecord asset) =>
        $"/assets/{Uri.EscapeDataString(asset.Project)}/{Uri.EscapeDataString(asset.Name)}";

    private static string? Empty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
