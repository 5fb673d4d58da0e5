using DataMesh.Gateway.Portal.Data;

namespace DataMesh.Gateway.Portal.Pages;

/// <summary>/requests: the inbox of pending subscription requests (SHOW SUBSCRIPTION REQUESTS as the user).</summary>
public sealed class RequestsModel(Decisions decisions) : PortalPage
{
    public IReadOnlyList<PendingRequest> Requests { get; private set; } = [];

    public async Task OnGetAsync() => (Requests, Error) = await decisions.InboxAsync(Me, HttpContext.RequestAborted);
}
