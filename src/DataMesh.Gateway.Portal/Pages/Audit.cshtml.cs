using System.Text;
using DataMesh.Gateway.Portal.Data;
using DataMesh.Gateway.Protocol.Errors;
using Microsoft.AspNetCore.Mvc;

namespace DataMesh.Gateway.Portal.Pages;

/// <summary>
/// /audit?user=&amp;asset=&amp;project=&amp;since=&amp;until=&amp;limit=: the audit log as <c>SHOW AUDIT</c> with those filters
/// answers the user (domain admins: everything; others: their own records and every read of their projects' assets).
/// </summary>
public sealed class AuditModel(PortalSql sql) : PortalPage
{
    [BindProperty(SupportsGet = true, Name = "user")]
    public string? UserFilter { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Asset { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Project { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Since { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Until { get; set; }

    [BindProperty(SupportsGet = true)]
    public int? Limit { get; set; }

    public IReadOnlyList<IReadOnlyDictionary<string, string?>> Records { get; private set; } = [];

    public string Statement { get; private set; } = "";

    public async Task OnGetAsync()
    {
        try
        {
            Statement = Compose();
        }
        catch (PgErrorException e)
        {
            Error = e;
            return;
        }
        var answer = await sql.AdminAsync(Me, Statement, HttpContext.RequestAborted);
        Error = answer.Error;
        Records = answer.Ok ? answer.Rows.ToList() : [];
    }

    /// <summary>The SHOW AUDIT statement for the filters; its own parser checks the values (42601, 22023).</summary>
    private string Compose()
    {
        var text = new StringBuilder("SHOW AUDIT");
        if (Value(UserFilter) is { } user) text.Append(" USER ").Append(SqlText.Name(user));
        if (Value(Asset) is { } asset)
        {
            var parts = asset.Split('.', 2);
            if (parts.Length != 2 || parts[0].Length == 0 || parts[1].Length == 0)
                throw new PgErrorException(SqlState.InvalidParameterValue, "an asset is written project.asset");
            text.Append(" ASSET ").Append(SqlText.Asset(parts[0], parts[1]));
        }
        if (Value(Project) is { } project) text.Append(" PROJECT ").Append(SqlText.Name(project));
        if (Value(Since) is { } since) text.Append(" SINCE ").Append(SqlText.Literal(since));
        if (Value(Until) is { } until) text.Append(" UNTIL ").Append(SqlText.Literal(until));
        text.Append(" LIMIT ").Append(Math.Clamp(Limit ?? 100, 1, 10000).ToString(System.Globalization.CultureInfo.InvariantCulture));
        return text.ToString();
    }

    private static string? Value(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}
