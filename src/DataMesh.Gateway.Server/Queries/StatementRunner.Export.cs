using DataMesh.Gateway.Admin;
using DataMesh.Gateway.Policy.Rewrite;
using DataMesh.Gateway.Protocol.Errors;
using DataMesh.Gateway.Server.Sessions;

namespace DataMesh.Gateway.Server.Queries;

/// <summary>Governed Parquet exports: data products (CREATE ASSET … AS / FROM WORKSPACE TABLE) and COPY … (FORMAT parquet).</summary>
public sealed partial class StatementRunner
{
    /// <summary>
    /// Runs a query exactly as the session's own (its project's grants, masks, row filters, objects held while read)
    /// and writes its rows to a Parquet file in the engine's private spill directory.
    /// </summary>
    private (string File, long Rows, RewriteResult Plan) ExportGoverned(Session session, string userText, string query)
    {
        FollowGrants(session);
        var plan = PlanGoverned(session, userText, query);
        using var timer = StatementTimer.Start(session, options);
        using var held = HoldObjects(session, plan, validate: true);
        try
        {
            var (file, rows) = session.Engine.ExportParquet(plan.Sql);
            return (file, rows, plan);
        }
        catch (PgErrorException e) when (e.SqlState == SqlState.QueryCanceled)
        {
            throw Canceled(session);
        }
        catch (PgErrorException e)
        {
            throw TranslateEngineError(e, plan);
        }
    }

    /// <summary>
    /// COPY (query) TO STDOUT (FORMAT parquet): the governed rows as one Parquet file, sent as binary COPY data in
    /// 64 KiB messages (flushed as the client takes them), then deleted. Audited like the query.
    /// </summary>
    private async Task CopyParquetAsync(Session session, PreparedStatement statement, CopyCommand copy)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var (file, rows, plan) = ExportGoverned(session, statement.Statement.Text, copy.Query);
        statement.SetPlan(plan);
        try
        {
            await using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
            Out.CopyOutResponse(Protocol.Messages.Frontend.FormatCode.Binary, statement.EngineQuery?.Columns.Count ?? 0);
            var buffer = new byte[64 * 1024];
            int n;
            while ((n = await stream.ReadAsync(buffer).ConfigureAwait(false)) > 0)
            {
                if (session.IsCancelRequested) throw Canceled(session);
                Out.CopyData(buffer.AsSpan(0, n));
                if (Out.PendingBytes >= options.WriteBatchBytes) await transport.FlushAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            File.Delete(file);
        }
        Out.CopyDone();
        Out.CommandComplete($"COPY {rows}");
        auditor.Completed(session.Access, statement, rows, started);
    }

    /// <summary>The session as an admin command that writes a data product sees it.</summary>
    private sealed class SessionExport(StatementRunner runner, Session session, string statementText) : IQueryExport
    {
        public QueryExportResult ExportParquet(string query)
        {
            var (file, rows, plan) = runner.ExportGoverned(session, statementText, query);
            // Grants read directly and, through workspace tables, the subscriptions their rows were written from.
            var upstream = runner._lineage.SourcesOf(session.Access.Project, plan);
            return new QueryExportResult(file, rows,
                upstream.Select(g => g.AssetProject + "." + g.Asset).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList(),
                upstream.Select(g => g.SubscriptionId).Distinct().Order().ToList());
        }
    }
}
