using DataMesh.Gateway.Portal.Data;
using DataMesh.Gateway.Portal.Queries;
using DataMesh.Gateway.Protocol.Errors;
using Microsoft.AspNetCore.Mvc;

namespace DataMesh.Gateway.Portal.Pages;

/// <summary>
/// /query?project=…: the query editor (see <see cref="QueryEditor"/>). GET only fills the form (a bookmark never runs
/// anything); the form posts <c>project</c> and <c>sql</c> to /query, with buttons for the grid, CSV and Parquet.
/// </summary>
public sealed class QueryModel(QueryEditor editor, PortalServices services) : PortalPage
{
    [BindProperty(SupportsGet = true)]
    public string? Project { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Sql { get; set; }

    public IReadOnlyList<string> Projects { get; private set; } = [];

    public SqlAnswer? Answer { get; private set; }

    public IActionResult OnGet()
    {
        Load();
        if (Refusal() is { } refused)
        {
            Error = refused;
            Response.StatusCode = 403;
        }
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        Load();
        if (Invalid() is { } invalid) return invalid;
        Answer = await editor.RunAsync(Me, Project!, Sql!, HttpContext.RequestAborted);
        Error = Answer.Error;
        if (Error is { SqlState: SqlState.InsufficientPrivilege, Severity: PgErrorSeverity.Fatal }) Response.StatusCode = 403;
        return Page();
    }

    public async Task<IActionResult> OnPostCsvAsync()
    {
        Load();
        if (Invalid() is { } invalid) return invalid;
        var error = await editor.CsvAsync(Me, Project!, Sql!, HttpContext, FileName, HttpContext.RequestAborted);
        if (error is null || Response.HasStarted) return new EmptyResult();
        return Failed(error);
    }

    public async Task<IActionResult> OnPostParquetAsync()
    {
        Load();
        if (Invalid() is { } invalid) return invalid;
        var (path, error) = await editor.ParquetAsync(Me, Project!, Sql!, HttpContext.RequestAborted);
        if (error is not null) return Failed(error);
        var stream = new FileStream(path!, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 64 * 1024, FileOptions.DeleteOnClose);
        return File(stream, "application/vnd.apache.parquet", FileName + ".parquet");
    }

    private string FileName => $"{Project}-{DateTime.UtcNow:yyyyMMdd-HHmmss}";

    private IActionResult Failed(PgErrorException error)
    {
        Response.ContentType = "text/html; charset=utf-8";
        Response.Headers.ContentDisposition = default;
        Error = error;
        Response.StatusCode = error is { SqlState: SqlState.InsufficientPrivilege, Severity: PgErrorSeverity.Fatal } ? 403 : 422;
        return Page();
    }

    private IActionResult? Invalid()
    {
        if (string.IsNullOrWhiteSpace(Sql))
        {
            Error = new PgErrorException(SqlState.SyntaxError, "enter a statement to run");
            return Page();
        }
        if (Refusal() is { } refused)
        {
            Error = refused;
            Response.StatusCode = 403;
            return Page();
        }
        return null;
    }

    /// <summary>The wire's own refusal for this database (3D000 unknown, FATAL 42501 not a member), or null.</summary>
    private PgErrorException? Refusal()
    {
        if (string.IsNullOrEmpty(Project)) return null;
        try
        {
            services.Server.Governance.Open(Me.Identity, Project);
            return null;
        }
        catch (PgErrorException e)
        {
            return e;
        }
    }

    private void Load()
    {
        var snapshot = services.Catalog.Snapshot;
        Projects = [PortalSql.HomeDatabase, .. snapshot.Projects.Where(p => snapshot.RoleIn(Me.Name, p.Name, Me.Identity.TokenGroups) is not null)
            .Select(p => p.Name).Order(StringComparer.Ordinal)];
        Project ??= Projects.Count > 1 ? Projects[1] : Projects[0];
    }
}
