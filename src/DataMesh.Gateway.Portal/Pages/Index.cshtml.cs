using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace DataMesh.Gateway.Portal.Pages;

public sealed class IndexModel : PageModel
{
    public IActionResult OnGet() => Redirect("/search");
}
