using System.Collections.Concurrent;
using DataMesh.Gateway.Policy.Rewrite;

namespace DataMesh.Gateway.Server.Governance;

/// <summary>
/// Rewrites by (SQL text, project, policy version, instance features): parsing costs ~0.6 ms a call and a rewrite
/// parses twice, so repeated statements must not pay it. Two projects with different grants never share an entry;
/// a changed grant changes the policy version and so the key. Bounded: when full it is cleared (cheap, and entries
/// rebuild on demand), which keeps memory flat however many distinct texts clients send.
/// </summary>
internal sealed class RewriteCache(int capacity)
{
    private readonly ConcurrentDictionary<Key, RewriteResult> _entries = new();
    private long _hits;
    private long _misses;

    public long Hits => Interlocked.Read(ref _hits);
    public long Misses => Interlocked.Read(ref _misses);

    public RewriteResult GetOrAdd(string sql, string project, string policyVersion, RewriteOptions options, Func<RewriteResult> rewrite)
    {
        var key = new Key(sql, project, policyVersion, options);
        if (_entries.TryGetValue(key, out var hit))
        {
            Interlocked.Increment(ref _hits);
            return hit;
        }
        Interlocked.Increment(ref _misses);
        var result = rewrite();
        if (_entries.Count >= capacity) _entries.Clear();
        _entries[key] = result;
        return result;
    }

    private readonly record struct Key(string Sql, string Project, string PolicyVersion, RewriteOptions Options);
}
