using DataMesh.Gateway.Admin;
using DataMesh.Gateway.Policy.Rewrite;
using DataMesh.Gateway.Protocol.Errors;

namespace DataMesh.Gateway.Server.Statements;

/// <summary>
/// Governed Parquet exports, for data products (CREATE ASSET … AS / FROM WORKSPACE TABLE) and COPY … (FORMAT parquet):
/// a query run exactly as the session's own (its project's grants, masks, row filters, objects held while read), its
/// rows written by the engine to a Parquet file in the instance's private spill directory.
/// </summary>
internal static class GovernedExport
{
    /// <summary>The file (the caller moves or deletes it), its rows, and the plan that produced them.</summary>
    public static (string File, long Rows, RewriteResult Plan) Run(StatementContext context, string userText, string query)
    {
        var session = context.Session;
        EnginePlanning.FollowGrants(context);
        var plan = EnginePlanning.Plan(context, userText, query);
        using var timer = StatementTimer.Start(session, context.Options);
        using var held = ObjectHolds.Hold(context, plan, validate: true);
        try
        {
            var (file, rows) = session.Engine.ExportParquet(plan.Sql);
            return (file, rows, plan);
        }
        catch (PgErrorException e) when (e.SqlState == SqlState.QueryCanceled)
        {
            throw EngineRuns.Canceled(session);
        }
        catch (PgErrorException e)
        {
            throw EngineRuns.Translate(context, e, plan);
        }
    }
}

/// <summary>The session as an admin command that writes a data product sees it.</summary>
internal sealed class SessionExport(StatementContext context, string statementText) : IQueryExport
{
    public QueryExportResult ExportParquet(string query)
    {
        var (file, rows, plan) = GovernedExport.Run(context, statementText, query);
        // Grants read directly and, through workspace tables, the subscriptions their rows were written from.
        var upstream = context.Lineage.SourcesOf(context.Session.Access.Project, plan);
        return new QueryExportResult(file, rows,
            upstream.Select(g => g.AssetProject + "." + g.Asset).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList(),
            upstream.Select(g => g.SubscriptionId).Distinct().Order().ToList());
    }
}
