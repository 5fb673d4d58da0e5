using DataMesh.Gateway.Policy.Rewrite;

namespace DataMesh.Gateway.Server.Statements;

/// <summary>The local files a plan reads, checked; the cached objects it reads from object stores, fetched and held while
/// the engine reads them.</summary>
internal static class ObjectHolds
{
    /// <summary>
    /// Fetches (when missing) and holds the cached files of the plan's assets on object stores; null when the gateway
    /// has no object storage. <paramref name="validate"/>: list the objects against the pinned ETags first (a statement
    /// that runs to completion before it answers); a cancel or the statement timeout stops the wait.
    /// </summary>
    public static IDisposable? Hold(StatementContext context, RewriteResult plan, bool validate)
    {
        // Local files: links swapped in after CREATE ASSET are refused before the engine opens anything.
        context.Governance.VerifyLocalFiles(plan);
        if (context.Governance.Objects is not { } objects) return null;
        var session = context.Session;
        try
        {
            return objects.Acquire(session.Access.Project, plan, validate, session.Cancellation);
        }
        catch (OperationCanceledException) when (session.IsCancelRequested)
        {
            throw EngineRuns.Canceled(session);
        }
    }
}
