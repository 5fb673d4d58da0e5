using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace DataMesh.Gateway.Portal.Pages;

/// <summary>Shown for 400 (a form without a valid anti-forgery token), 403, 404 and failures; it names the status only.</summary>
[IgnoreAntiforgeryToken]
public sealed class ErrorModel : PageModel
{
    public int Code { get; private set; }

    public void OnGet(int? code) => Code = code ?? 500;

    public void OnPost(int? code) => Code = code ?? 500;

    public string Title => Code switch
    {
        400 => "Bad request",
        403 => "Not allowed",
        404 => "Not found",
        _ => "Something went wrong",
    };

    public string Explanation => Code switch
    {
        400 => "The form could not be accepted: it was not sent from this portal's own page, or its page is too old. Open the page again and resend it.",
        403 => "You are not allowed to see this page.",
        404 => "There is no such page, or it names something that does not exist or that you cannot see.",
        _ => "The portal could not answer this request. It was logged.",
    };
}
