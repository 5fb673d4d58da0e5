using DataMesh.Gateway.Admin.Webhooks;

namespace DataMesh.Gateway.Configuration;

/// <summary>
/// The "Webhooks" section: how project webhooks (ALTER PROJECT p SET WEBHOOK) are delivered. Example:
/// <c>"Webhooks": { "MaxAttempts": 5, "RetryBaseSeconds": 1, "TimeoutSeconds": 10 }</c>. <c>AllowHttp</c> and
/// <c>AllowPrivateTargets</c> are for tests and development setups (docs/SECURITY.md, "Webhooks").
/// </summary>
public sealed class WebhookSettings
{
    public bool AllowHttp { get; set; }
    public bool AllowPrivateTargets { get; set; }
    public int MaxAttempts { get; set; } = 5;
    public double RetryBaseSeconds { get; set; } = 1;
    public double TimeoutSeconds { get; set; } = 10;
    public int MaxBacklog { get; set; } = 1000;
    public double PollSeconds { get; set; } = 30;

    public WebhookOptions ToOptions() => new()
    {
        AllowHttp = AllowHttp,
        AllowPrivateTargets = AllowPrivateTargets,
        MaxAttempts = Math.Max(1, MaxAttempts),
        RetryBase = TimeSpan.FromSeconds(Math.Max(0, RetryBaseSeconds)),
        Timeout = TimeSpan.FromSeconds(Math.Max(0.1, TimeoutSeconds)),
        MaxBacklog = Math.Max(1, MaxBacklog),
        Poll = TimeSpan.FromSeconds(Math.Max(0.1, PollSeconds)),
    };
}
