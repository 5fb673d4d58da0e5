using DataMesh.Gateway.Portal.Data;
using Microsoft.AspNetCore.Mvc;

namespace DataMesh.Gateway.Portal.Pages;

/// <summary>/projects/{project}: see <see cref="ProjectDetails"/>.</summary>
public sealed class ProjectModel(ProjectDetails details) : PortalPage
{
    [BindProperty(SupportsGet = true)]
    public string Project { get; set; } = "";

    public ProjectView View { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync()
    {
        if (!SqlText.IsName(Project) || await details.LoadAsync(Me, Project, HttpContext.RequestAborted) is not { } view) return NotFound();
        View = view;
        return Page();
    }
}
