using DataMesh.Gateway.Engine.Execution;
using DataMesh.Gateway.Policy.Rewrite;
using DataMesh.Gateway.Protocol.Errors;
using DataMesh.Gateway.Server.Cancellation;
using DataMesh.Gateway.Server.Governance;
using DataMesh.Gateway.Server.Sessions;

namespace DataMesh.Gateway.Server.Statements;

/// <summary>
/// Running a prepared governed query: starting it (revalidated first, under the statement timeout, cancellable), the
/// checks made while it streams, and the translation of the engine's errors into errors about the user's query.
/// </summary>
internal static class EngineRuns
{
    public static QueryCursor Start(StatementContext context, EngineStatement statement, object?[] parameters)
    {
        var session = context.Session;
        EnginePlanning.Revalidate(context, statement);
        var query = statement.EngineQuery!;
        using var timer = StatementTimer.Start(session, context.Options);
        // Objects on object stores: fetched and held until the cursor closes; their listing against the pinned ETags
        // runs alongside the engine's first chunk, and no row is sent before it passed.
        var held = ObjectHolds.Hold(context, statement.Plan, validate: false);
        try
        {
            if (session.IsCancelRequested) throw Canceled(session);
            // Constants over parameters are checked with the bound values before the query touches any data.
            if (statement.Plan.Constants is { ParameterCheck: { } check } constants)
                session.Engine.Constants.RunWithParameters(check, constants.CheckedParameters, parameters);
            var listing = context.Governance.Objects?.StartValidation(statement.Plan, session.Cancellation);
            var cursor = (statement.PreparedOn ?? session.Engine).Execute(query, parameters);
            cursor.Holds = held;
            cursor.Gate = listing;
            held = null;
            if (session.IsCancelRequested)
            {
                cursor.Dispose();
                throw Canceled(session);
            }
            return cursor;
        }
        catch (PgErrorException e) when (e.SqlState == SqlState.QueryCanceled)
        {
            throw Canceled(session);
        }
        catch (PgErrorException e)
        {
            throw Translate(context, e, statement.Plan);
        }
        finally
        {
            held?.Dispose();
        }
    }

    /// <summary>A portal still streaming from a grant that was revoked or expired since it started is closed.</summary>
    public static void EnsureStillAllowed(StatementContext context, PreparedStatement statement)
    {
        if (statement.Plan is { } plan && !context.Governance.StillAllows(context.Session.Access, plan))
            throw new PgErrorException(SqlState.InsufficientPrivilege,
                "the subscription that allowed this query was revoked or has expired; the result was closed");
        if (statement.Plan is { } read) context.Lineage.EnsureStillReadable(context.Session, read);
    }

    /// <summary>
    /// A fault of the asset's files (drift, corruption, a vanished file) first; else the engine's error, with whatever
    /// it shows of the rewrite removed.
    /// </summary>
    /// <param name="streamingSince">When the failing query started, for a failure while its rows streamed.</param>
    public static PgErrorException Translate(StatementContext context, PgErrorException e, RewriteResult plan, DateTime? streamingSince = null) =>
        e.Data.Contains(ObjectReads.StorageErrorKey) ? e // the object store's own error, already about the asset
        : DataFaults.Diagnose(e, plan, context.Catalog.Snapshot, context.Metadata, streamingSince) ?? GovernedErrors.Translate(e, plan);

    /// <summary>The error of a statement stopped by a cancel request, its timeout, or (FATAL) the server's shutdown.</summary>
    public static PgErrorException Canceled(Session session) => session.CancelReason == CancelReasons.Shutdown
        ? PgErrorException.Fatal(SqlState.AdminShutdown, CancelReasons.Shutdown)
        : new PgErrorException(SqlState.QueryCanceled, session.CancelReason ?? CancelReasons.UserRequest);
}
