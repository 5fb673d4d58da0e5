using DataMesh.Gateway.Portal.Security;
using DataMesh.Gateway.Protocol.Errors;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace DataMesh.Gateway.Portal.Pages;

/// <summary>What every signed-in page has: the user as the gateway sees them, and the error the page shows, if any.</summary>
public abstract class PortalPage : PageModel
{
    /// <summary>The signed-in user (pages outside /login require one).</summary>
    public PortalUser Me => PortalUser.From(User) ?? throw new InvalidOperationException("no signed-in user");

    /// <summary>An error to show at the top of the page, as the wire would report it (SQLSTATE, message, hint).</summary>
    public PgErrorException? Error { get; set; }

    /// <summary>A confirmation to show at the top of the page (after a POST that redirected).</summary>
    [Microsoft.AspNetCore.Mvc.TempData]
    public string? Flash { get; set; }
}
