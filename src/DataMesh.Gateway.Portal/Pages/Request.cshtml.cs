using DataMesh.Gateway.Portal.Data;
using DataMesh.Gateway.Protocol.Errors;
using Microsoft.AspNetCore.Mvc;

namespace DataMesh.Gateway.Portal.Pages;

/// <summary>
/// /requests/{id}: one pending request with the approval form (row filter, included or excluded columns, masks, expiry,
/// comment), its preview, and rejection. See <see cref="Decisions"/>: the form becomes the APPROVE SUBSCRIPTION
/// statement an owner would type, run through the wire's path.
/// </summary>
public sealed class RequestModel(Decisions decisions) : PortalPage
{
    [BindProperty(SupportsGet = true)]
    public long Id { get; set; }

    [BindProperty]
    public ApprovalForm Form { get; set; } = new();

    [BindProperty]
    public string? RejectComment { get; set; }

    public PendingRequest Pending { get; private set; } = null!;

    public PreviewView? Preview { get; private set; }

    public async Task<IActionResult> OnGetAsync() => await LoadAsync() ? Page() : NotFound();

    public async Task<IActionResult> OnPostPreviewAsync()
    {
        if (!await LoadAsync()) return NotFound();
        try
        {
            Preview = await Task.Run(() => decisions.Preview(Me, Id, Form), HttpContext.RequestAborted);
        }
        catch (PgErrorException e)
        {
            Error = e;
        }
        return Page();
    }

    public async Task<IActionResult> OnPostApproveAsync()
    {
        if (!await LoadAsync()) return NotFound();
        SqlAnswer answer;
        try
        {
            answer = await decisions.ApproveAsync(Me, Id, Form, HttpContext.RequestAborted);
        }
        catch (PgErrorException e)
        {
            Error = e;
            return Page();
        }
        if (answer.Error is { } error)
        {
            Error = error;
            return Page();
        }
        var row = answer.Rows.First();
        Flash = $"Subscription {Id} approved. Columns: {row["columns"]}" + (row["row_filter"] is { Length: > 0 } f ? $"; row filter: {f}" : "")
            + (row["masks"] is { Length: > 0 } m ? $"; masks: {m}" : "") + (row["expires_at"] is { Length: > 0 } expires ? $"; expires {expires}" : "") + ".";
        return Redirect("/requests");
    }

    public async Task<IActionResult> OnPostRejectAsync()
    {
        if (!await LoadAsync()) return NotFound();
        var answer = await decisions.RejectAsync(Me, Id, RejectComment, HttpContext.RequestAborted);
        if (answer.Error is { } error)
        {
            Error = error;
            return Page();
        }
        Flash = $"Subscription {Id} rejected.";
        return Redirect("/requests");
    }

    /// <summary>The request as the inbox shows it to this user; false when it is not pending or not theirs to see.</summary>
    private async Task<bool> LoadAsync()
    {
        var (requests, error) = await decisions.InboxAsync(Me, HttpContext.RequestAborted);
        if (error is not null) throw error;
        if (requests.FirstOrDefault(r => r.Id == Id) is not { } pending) return false;
        Pending = pending;
        // One mask row per column, in the asset's order, whatever the form sent.
        Form.Masks = pending.Columns.Select(c => Form.Masks.FirstOrDefault(m => m.Column == c.Name) ?? new MaskInput { Column = c.Name }).ToList();
        return true;
    }
}
