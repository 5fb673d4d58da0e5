using DataMesh.Gateway.Catalog.Model;

namespace DataMesh.Gateway.Catalog.Store;

/// <summary>Reading the audit log with its visibility rule and filters (SHOW AUDIT and the portal's audit page).</summary>
internal sealed partial class SqliteCatalogSession
{
    public IReadOnlyList<AuditRecord> Audit(AuditQuery q) => Query(
        "SELECT id, at, user_name, issuer, subject, project, kind, command, statement_text, outcome, sql_state, message, assets, subscription_ids, policy_version, row_count, duration_ms " +
        "FROM audit_log WHERE ($reader IS NULL OR user_name = $reader " +
        "  OR (kind = 'query' AND EXISTS (SELECT 1 FROM json_each(audit_log.assets) a WHERE a.value IN (SELECT value FROM json_each($produced))))) " +
        "AND ($u IS NULL OR user_name = $u) " +
        "AND ($a IS NULL OR EXISTS (SELECT 1 FROM json_each(audit_log.assets) a WHERE a.value = $a)) " +
        "AND ($cmds = '[]' OR (kind = 'admin' AND outcome = 'ok' AND command IN (SELECT value FROM json_each($cmds)))) " +
        "AND ($p IS NULL OR project = $p) AND ($since IS NULL OR at >= $since) AND ($until IS NULL OR at < $until) " +
        "ORDER BY id DESC LIMIT $l",
        MapAudit,
        ("$reader", q.Reader), ("$produced", Json(q.ReaderProducedAssets)), ("$u", q.User), ("$a", q.Asset), ("$p", q.Project), ("$cmds", Json(q.SucceededCommands)),
        ("$since", q.Since is { } s ? Time(s) : null), ("$until", q.Until is { } u ? Time(u) : null), ("$l", q.Limit));
}
