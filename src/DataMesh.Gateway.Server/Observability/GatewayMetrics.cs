using System.Collections.Concurrent;
using System.Globalization;
using System.Text;

namespace DataMesh.Gateway.Server.Observability;

/// <summary>
/// The gateway's counters, lock-free (Interlocked) so the hot paths pay a few nanoseconds: connections, queries by
/// outcome, errors by SQLSTATE, bytes streamed to clients. Rewrite-cache figures are read from the governance layer
/// when the metrics are rendered. Rendered in Prometheus's text exposition format; never holds user text.
/// </summary>
public sealed class GatewayMetrics
{
    private long _connectionsTotal;
    private long _queriesOk;
    private long _queriesFailed;
    private long _bytesStreamed;
    private long _fencedQueries;
    private readonly ConcurrentDictionary<string, long> _errors = new(StringComparer.Ordinal);

    public void ConnectionAccepted() => Interlocked.Increment(ref _connectionsTotal);

    public void QueryCompleted() => Interlocked.Increment(ref _queriesOk);

    public void QueryFailed() => Interlocked.Increment(ref _queriesFailed);

    /// <summary>A completed query that ran behind the leak barrier: what governance costs in pushdown, for operators.</summary>
    public void FencedQueryCompleted() => Interlocked.Increment(ref _fencedQueries);

    public void BytesStreamed(long bytes)
    {
        if (bytes > 0) Interlocked.Add(ref _bytesStreamed, bytes);
    }

    /// <summary>Every error sent to a client, by SQLSTATE (statement errors and FATAL ones alike).</summary>
    public void ErrorSent(string sqlState) => _errors.AddOrUpdate(sqlState, 1, (_, n) => n + 1);

    public long ConnectionsTotal => Interlocked.Read(ref _connectionsTotal);
    public long QueriesOk => Interlocked.Read(ref _queriesOk);
    public long QueriesFailed => Interlocked.Read(ref _queriesFailed);
    public long Bytes => Interlocked.Read(ref _bytesStreamed);
    public long FencedQueries => Interlocked.Read(ref _fencedQueries);
    public long Errors(string sqlState) => _errors.GetValueOrDefault(sqlState);

    /// <summary>The Prometheus text exposition of every metric.</summary>
    public string Render(int activeConnections, bool ready, long rewriteHits, long rewriteMisses)
    {
        var text = new StringBuilder();
        void Metric(string name, string type, string help, long value)
        {
            text.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n');
            text.Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');
            text.Append(name).Append(' ').Append(value.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }
        Metric("datamesh_ready", "gauge", "1 while the gateway accepts connections, 0 while it shuts down.", ready ? 1 : 0);
        Metric("datamesh_connections_active", "gauge", "Open client connections.", activeConnections);
        Metric("datamesh_connections_total", "counter", "Client connections accepted.", ConnectionsTotal);
        text.Append("# HELP datamesh_queries_total Consumer queries (and workspace writes) by outcome.\n");
        text.Append("# TYPE datamesh_queries_total counter\n");
        text.Append("datamesh_queries_total{outcome=\"ok\"} ").Append(QueriesOk.ToString(CultureInfo.InvariantCulture)).Append('\n');
        text.Append("datamesh_queries_total{outcome=\"error\"} ").Append(QueriesFailed.ToString(CultureInfo.InvariantCulture)).Append('\n');
        text.Append("# HELP datamesh_errors_total Errors sent to clients, by SQLSTATE.\n");
        text.Append("# TYPE datamesh_errors_total counter\n");
        foreach (var (state, count) in _errors.OrderBy(e => e.Key, StringComparer.Ordinal))
            text.Append("datamesh_errors_total{sqlstate=\"").Append(state).Append("\"} ").Append(count.ToString(CultureInfo.InvariantCulture)).Append('\n');
        Metric("datamesh_rewrite_cache_hits_total", "counter", "Consumer statements planned from the rewrite cache.", rewriteHits);
        Metric("datamesh_rewrite_cache_misses_total", "counter", "Consumer statements parsed and rewritten.", rewriteMisses);
        Metric("datamesh_fenced_queries_total", "counter",
            "Completed consumer queries that ran behind the leak barrier (OFFSET 0): their predicates were not pushed into the scan.", FencedQueries);
        Metric("datamesh_bytes_streamed_total", "counter", "Bytes written to clients.", Bytes);
        return text.ToString();
    }
}
