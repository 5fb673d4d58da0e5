namespace DataMesh.Gateway.Admin.Webhooks;

/// <summary>How project webhooks are delivered (configuration section <c>Webhooks</c>).</summary>
public sealed record WebhookOptions
{
    /// <summary>Plain http targets (tests, local development); https only otherwise.</summary>
    public bool AllowHttp { get; init; }

    /// <summary>Loopback and private-network targets (<see cref="WebhookTargets"/>); link-local and the like never.</summary>
    public bool AllowPrivateTargets { get; init; }

    /// <summary>Attempts per event before it is given up (audited as an error).</summary>
    public int MaxAttempts { get; init; } = 5;

    /// <summary>The wait before the second attempt; it doubles after each failure (1 s, 2 s, 4 s, 8 s).</summary>
    public TimeSpan RetryBase { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>One attempt's limit: connecting, sending and the response's status line.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// At most this many undelivered events per project are kept for delivery; when a dead endpoint lets more pile up,
    /// the oldest are skipped (audited with their ids), so a webhook never holds an unbounded backlog.
    /// </summary>
    public int MaxBacklog { get; init; } = 1000;

    /// <summary>How often the event table is looked at besides the changes this process commits.</summary>
    public TimeSpan Poll { get; init; } = TimeSpan.FromSeconds(30);
}
