using DataMesh.Gateway.Admin;
using DataMesh.Gateway.Portal.Data;
using Microsoft.AspNetCore.Mvc;

namespace DataMesh.Gateway.Portal.Pages;

/// <summary>/assets/{project}/{asset}: the asset's page (see <see cref="AssetDetails"/>) and its Request subscription form.</summary>
public sealed class AssetModel(AssetDetails details, PortalSql sql) : PortalPage
{
    [BindProperty(SupportsGet = true)]
    public string Project { get; set; } = "";

    [BindProperty(SupportsGet = true, Name = "asset")]
    public string AssetName { get; set; } = "";

    /// <summary>Compare the schemas of two revisions (?from=1&amp;to=2): bookmarkable.</summary>
    [BindProperty(SupportsGet = true)]
    public int? From { get; set; }

    [BindProperty(SupportsGet = true)]
    public int? To { get; set; }

    [BindProperty]
    public string? TargetProject { get; set; }

    [BindProperty]
    public string? Justification { get; set; }

    public AssetView View { get; private set; } = null!;

    public IReadOnlyList<SchemaChange>? Comparison { get; private set; }

    public async Task<IActionResult> OnGetAsync() => await LoadAsync() ? Page() : NotFound();

    public async Task<IActionResult> OnPostRequestAsync()
    {
        if (!SqlText.IsName(Project) || !SqlText.IsName(AssetName)) return NotFound();
        if (!SqlText.IsName(TargetProject))
        {
            Error = new Protocol.Errors.PgErrorException(Protocol.Errors.SqlState.InvalidParameterValue, "choose the project to subscribe");
            return await LoadAsync() ? Page() : NotFound();
        }
        var text = $"REQUEST SUBSCRIPTION TO {SqlText.Asset(Project, AssetName)} FOR PROJECT {SqlText.Name(TargetProject!)} JUSTIFICATION {SqlText.Literal(Justification ?? "")}";
        var answer = await sql.AdminAsync(Me, text, HttpContext.RequestAborted);
        if (answer.Error is { } error)
        {
            Error = error;
            return await LoadAsync() ? Page() : NotFound();
        }
        var row = answer.Rows.First();
        Flash = $"Subscription request {row["subscription"]} filed for project {row["project"]}: {row["status"]}.";
        return Redirect(Request.Path);
    }

    private async Task<bool> LoadAsync()
    {
        if (!SqlText.IsName(Project) || !SqlText.IsName(AssetName)) return false;
        var view = await details.LoadAsync(Me, Project, AssetName, HttpContext.RequestAborted);
        if (view is null) return false;
        View = view;
        TargetProject ??= view.RequestableProjects.FirstOrDefault();
        var revisions = view.Revisions.Select(r => r.Revision).ToList();
        if (From is { } from && To is { } to && revisions.FirstOrDefault(r => r.Revision == from) is { } a && revisions.FirstOrDefault(r => r.Revision == to) is { } b)
            Comparison = SchemaDiff.Between(a.Schema, b.Schema);
        return true;
    }

    public static string ChangeText(SchemaChange change) => change.Kind switch
    {
        SchemaChangeKind.Added => $"added {change.Column} {change.After}",
        SchemaChangeKind.Removed => $"removed {change.Column} {change.Before}",
        _ => $"{change.Column}: {change.Before} → {change.After}",
    };
}
