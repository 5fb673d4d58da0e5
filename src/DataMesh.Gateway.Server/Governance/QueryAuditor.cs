using System.Diagnostics;
using System.Threading.Channels;
using DataMesh.Gateway.Catalog.Model;
using DataMesh.Gateway.Catalog.Store;
using DataMesh.Gateway.Protocol.Errors;
using DataMesh.Gateway.Server.Sessions;
using Microsoft.Extensions.Logging;

namespace DataMesh.Gateway.Server.Governance;

/// <summary>
/// Appends one audit record per consumer query: user, project, statement kind, the assets read and the subscriptions
/// that allowed them, the policy version, row count, duration, outcome and error class, and the user's own SQL text
/// (never the rewritten SQL, never parameter values). Records are queued and written in batches by one background
/// writer, so a query never waits for SQLite; on shutdown the queue is drained. A crash can lose at most the records
/// still queued (a few milliseconds' worth); admin commands are audited synchronously in their own transaction.
/// </summary>
public sealed class QueryAuditor : IAsyncDisposable
{
    private readonly ICatalogStore _store;
    private readonly ILogger _logger;
    private readonly Channel<AuditRecord> _queue = Channel.CreateBounded<AuditRecord>(new BoundedChannelOptions(65536)
    {
        SingleReader = true,
        FullMode = BoundedChannelFullMode.Wait,
    });
    private readonly Task _writer;

    private readonly Observability.GatewayMetrics? _metrics;

    public QueryAuditor(ICatalogStore store, ILogger logger, Observability.GatewayMetrics? metrics = null)
    {
        _metrics = metrics;
        _store = store;
        _logger = logger;
        _writer = Task.Run(WriteLoopAsync);
    }

    public void Completed(ProjectAccess access, PreparedStatement statement, long rows, long startedAt)
    {
        _metrics?.QueryCompleted();
        if (statement.Plan is { Barrier: true }) _metrics?.FencedQueryCompleted();
        Enqueue(access, statement, "ok", null, null, rows, startedAt);
    }

    public void Failed(ProjectAccess access, PreparedStatement statement, PgErrorException error, long startedAt)
    {
        _metrics?.QueryFailed();
        Enqueue(access, statement, "error", error.SqlState, error.Message, null, startedAt);
    }

    /// <summary>A statement the policy refused before it reached the engine.</summary>
    public void Refused(ProjectAccess access, string userText, PgErrorException error)
    {
        _metrics?.QueryFailed();
        Write(new AuditRecord(0, DateTimeOffset.UtcNow, access.User, access.Identity.Issuer, access.Identity.Subject, access.Project, "query", Kind(userText), userText,
            "error", error.SqlState, error.Message, [], [], null, null, null));
    }

    /// <summary>
    /// An owner's preview of what a consumer would see under a grant not yet approved (<see cref="GrantPreview"/>): a read
    /// of the asset like any query, recorded with the subscription it concerns.
    /// </summary>
    public void Preview(ProjectAccess access, string text, Policy.Rewrite.RewriteResult? plan, long subscriptionId, long? rows, long startedAt,
        PgErrorException? error)
    {
        if (error is null) _metrics?.QueryCompleted();
        else _metrics?.QueryFailed();
        Write(new AuditRecord(0, DateTimeOffset.UtcNow, access.User, access.Identity.Issuer, access.Identity.Subject, access.Project, "query",
            "PREVIEW", text, error is null ? "ok" : "error", error?.SqlState, error?.Message,
            plan?.Grants.Select(g => g.QualifiedName).ToList() ?? [], [subscriptionId], plan?.PolicyVersion, rows,
            Stopwatch.GetElapsedTime(startedAt).TotalMilliseconds));
    }

    private void Enqueue(ProjectAccess access, PreparedStatement statement, string outcome, string? state, string? message, long? rows, long startedAt)
    {
        var plan = statement.Plan;
        Write(new AuditRecord(0, DateTimeOffset.UtcNow, access.User, access.Identity.Issuer, access.Identity.Subject, access.Project, "query", Kind(statement.Source.Text),
            statement.Source.Text, outcome, state, message,
            plan?.Grants.Select(g => g.QualifiedName).ToList() ?? [], plan?.SubscriptionIds.ToList() ?? [], plan?.PolicyVersion,
            rows, Stopwatch.GetElapsedTime(startedAt).TotalMilliseconds));
    }

    private void Write(AuditRecord record)
    {
        // The bounded queue only fills if SQLite stalls; then queries wait rather than go unaudited.
        if (!_queue.Writer.TryWrite(record)) _queue.Writer.WriteAsync(record).AsTask().GetAwaiter().GetResult();
    }

    private static string Kind(string text)
    {
        var trimmed = text.TrimStart();
        var end = 0;
        while (end < trimmed.Length && char.IsLetter(trimmed[end])) end++;
        return end == 0 ? "QUERY" : trimmed[..end].ToUpperInvariant();
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<AuditRecord>(256);
        while (await _queue.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (batch.Count < 512 && _queue.Reader.TryRead(out var record)) batch.Add(record);
            try
            {
                _store.AppendAudit(batch);
            }
            catch (Exception e)
            {
                _logger.LogError("Could not write {Count} query audit record(s): {Error}", batch.Count, e.Message);
            }
            batch.Clear();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _writer.ConfigureAwait(false);
    }
}
