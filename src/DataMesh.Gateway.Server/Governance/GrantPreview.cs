using System.Buffers;
using DataMesh.Gateway.Catalog;
using DataMesh.Gateway.Catalog.Model;
using DataMesh.Gateway.Policy.Identity;
using DataMesh.Gateway.Policy.Rewrite;
using DataMesh.Gateway.Protocol.Errors;
using DataMesh.Gateway.Protocol.Messages.Backend;
using DataMesh.Gateway.Protocol.Messages.Frontend;
using DataMesh.Gateway.Server.Embedded;

namespace DataMesh.Gateway.Server.Governance;

/// <summary>
/// What a consumer project would see of an asset under a grant that is not approved yet: the first rows and the row
/// count, computed through governance and never around it. The consumer's grants are derived (the same
/// <see cref="Policy.Grants.GrantSet"/> code as at query time) from the catalog with the subscription as the approval
/// would store it, bound to the requesting user's identity, and the consumer's own queries
/// (<c>SELECT * FROM project.asset</c>, <c>SELECT count(*) …</c>) are rewritten by the same rewriter, so the preview
/// has the grant's column list, masks and row filter exactly as the consumer's sessions will apply them. The rewritten
/// SQL runs in the owning project's instance (which may read the asset's files: its owners read all of them anyway).
/// Audited as a query of the owner.
/// </summary>
public sealed class GrantPreview
{
    private readonly GovernanceService _governance;
    private readonly Engines.SessionEngines _engines;
    private readonly CatalogService _catalog;
    private readonly QueryAuditor _auditor;
    private readonly GatewayServerOptions _options;

    internal GrantPreview(GovernanceService governance, Engines.SessionEngines engines, CatalogService catalog, QueryAuditor auditor,
        GatewayServerOptions options)
    {
        _governance = governance;
        _engines = engines;
        _catalog = catalog;
        _auditor = auditor;
        _options = options;
    }

    /// <param name="proposed">The subscription as the approval would store it (<c>AdminExecutor.ProposeApproval</c>,
    /// which also checked that <paramref name="owner"/> may decide on it).</param>
    /// <param name="auditText">What the audit record says was previewed (the approval's text).</param>
    public CollectedResult Run(SubscriptionRecord proposed, CallerIdentity owner, string auditText, int maxRows, out long rowCount)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var access = new ProjectAccess(owner.UserName, proposed.AssetProject, MemberRole.Owner, IsHome: false) { Identity = owner };
        var grants = _governance.GrantsFor(_catalog.Snapshot.WithSubscription(proposed), proposed.ConsumerProject)
            .BindTo(CallerIdentity.Local(proposed.RequestedBy));
        var table = $"{Quote(proposed.AssetProject)}.{Quote(proposed.AssetName)}";
        RewriteResult? plan = null;
        try
        {
            plan = _governance.PlanWith(grants, $"SELECT * FROM {table} LIMIT {maxRows}", RewriteOptions.Default);
            var countPlan = _governance.PlanWith(grants, $"SELECT count(*) FROM {table}", RewriteOptions.Default);
            using var engine = _engines.Open(_engines.Spec(access));
            var rows = Collect(engine, plan, maxRows);
            var count = Collect(engine, countPlan, 1);
            rowCount = long.Parse(count.Rows[0][0]!, System.Globalization.CultureInfo.InvariantCulture);
            _auditor.Preview(access, auditText, plan, proposed.Id, rowCount, started, null);
            return rows;
        }
        catch (PgErrorException e)
        {
            _auditor.Preview(access, auditText, plan, proposed.Id, null, started, e);
            throw;
        }
    }

    private CollectedResult Collect(Engine.Execution.EngineSession engine, RewriteResult plan, int maxRows)
    {
        var collector = new ResultCollector(maxRows);
        try
        {
            using var query = engine.Prepare(plan.Sql);
            using var cursor = engine.Execute(query, []);
            collector.Columns(cursor.Columns.Select(c => new ResultField(c.Name, c.TypeOid, c.TypeModifier)).ToList());
            var buffer = new ArrayBufferWriter<byte>(64 * 1024);
            var writer = new BackendWriter(buffer);
            var dispatcher = new BackendMessageReader.Dispatcher(collector, () => { });
            while (true)
            {
                buffer.ResetWrittenCount();
                writer.ResetPending();
                var stop = cursor.WriteRows(writer, [FormatCode.Text], maxRows, _options.WriteBatchBytes, _options.MaxResultRowBytes);
                var messages = new ReadOnlySequence<byte>(buffer.WrittenMemory);
                dispatcher.Consume(ref messages);
                if (stop != Engine.Execution.CursorStop.BufferFull) break;
            }
        }
        catch (PgErrorException e)
        {
            throw GovernedErrors.Translate(e, plan);
        }
        return collector.Results[0];
    }

    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
