using System.Diagnostics;

namespace DataMesh.Gateway.Soak;

/// <summary>
/// The timeline of every consumer project's grant, as the admin clients changed it, on one monotonic clock. A grant
/// may be in force from the moment its APPROVE was sent until the moment its REVOKE was acknowledged: the checker
/// allows a marker a query saw only if a grant admitting it was possibly in force at some instant of the query's
/// own window. Anything else is a row the consumer should never have seen.
/// </summary>
public sealed class GrantLedger
{
    private sealed class Grant(int marker, long from)
    {
        public int Marker { get; } = marker;
        public long From { get; } = from;
        public long Until { get; set; } = long.MaxValue;
    }

    private readonly List<Grant>[] _grants;
    private long _violations;
    private readonly List<string> _examples = [];

    /// <summary>How long after its REVOKE was acknowledged a grant may still be in force (another node's lag; zero on one node).</summary>
    private readonly long _revokeAllowance;

    public GrantLedger(int projects, TimeSpan revokeAllowance = default)
    {
        _revokeAllowance = (long)(revokeAllowance.TotalSeconds * Stopwatch.Frequency);
        _grants = new List<Grant>[projects];
        for (var p = 0; p < projects; p++) _grants[p] = [];
    }

    public static long Now => Stopwatch.GetTimestamp();

    public long Violations => Interlocked.Read(ref _violations);

    public IReadOnlyList<string> Examples
    {
        get
        {
            lock (_examples) return [.. _examples];
        }
    }

    /// <summary>Called just before APPROVE is sent: from here on the grant may be in force.</summary>
    public object Approving(int project, int marker, long sentAt)
    {
        var grant = new Grant(marker, sentAt);
        lock (_grants[project]) _grants[project].Add(grant);
        return grant;
    }

    /// <summary>Called once REVOKE was acknowledged: after this the grant is certainly gone.</summary>
    public void Revoked(int project, object grant, long acknowledgedAt)
    {
        lock (_grants[project]) ((Grant)grant).Until = acknowledgedAt;
    }

    /// <summary>An APPROVE that failed never granted anything.</summary>
    public void Failed(int project, object grant)
    {
        lock (_grants[project]) _grants[project].Remove((Grant)grant);
    }

    /// <summary>Checks every marker a query of <paramref name="project"/> saw between <paramref name="start"/> and <paramref name="end"/>.</summary>
    public void Check(int project, long start, long end, IEnumerable<int> markers)
    {
        foreach (var marker in markers)
        {
            bool allowed;
            lock (_grants[project]) allowed = _grants[project].Any(g => g.Marker == marker && g.From <= end && (g.Until == long.MaxValue || g.Until + _revokeAllowance >= start));
            if (allowed) continue;
            Interlocked.Increment(ref _violations);
            lock (_examples)
            {
                if (_examples.Count < 10)
                    _examples.Add($"project {SoakSetup.ProjectName(project)} saw marker {marker} (of project {SoakSetup.ProjectName(SoakSetup.OwnerOf(marker))}) with no grant admitting it during the query");
            }
        }
    }
}
