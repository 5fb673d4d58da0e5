using DataMesh.Gateway.Catalog.Model;

namespace DataMesh.Gateway.Catalog.Store;

/// <summary>Reading the audit log with its visibility rule and filters (SHOW AUDIT and the portal's audit page).</summary>
internal abstract partial class CatalogSession
{
    public IReadOnlyList<AuditRecord> Audit(AuditQuery q) => Query(
        "SELECT id, at, user_name, issuer, subject, project, kind, command, statement_text, outcome, sql_state, message, assets, subscription_ids, policy_version, row_count, duration_ms " +
        "FROM audit_log WHERE ($reader IS NULL OR user_name = $reader " +
        "  OR (kind = 'query' AND EXISTS (SELECT 1 FROM json_each(audit_log.assets) a WHERE a.value IN (SELECT value FROM json_each($produced))))) " +
        "AND ($u IS NULL OR user_name = $u) " +
        "AND ($a IS NULL OR EXISTS (SELECT 1 FROM json_each(audit_log.assets) a WHERE a.value = $a)) " +
        "AND ($cmds = '[]' OR (kind = 'admin' AND outcome = 'ok' AND command IN (SELECT value FROM json_each($cmds)))) " +
        "AND ($p IS NULL OR project = $p) AND ($since IS NULL OR at >= $since) AND ($until IS NULL OR at < $until) AND id < coalesce($before, 9223372036854775807) " +
        "ORDER BY id DESC LIMIT $l",
        MapAudit,
        ("$reader", q.Reader), ("$produced", Json(q.ReaderProducedAssets)), ("$u", q.User), ("$a", q.Asset), ("$p", q.Project), ("$cmds", Json(q.SucceededCommands)),
        ("$since", q.Since is { } s ? Time(s) : null), ("$until", q.Until is { } u ? Time(u) : null), ("$before", q.BeforeId), ("$l", q.Limit));

    /// <summary>
    /// Who read the assets named <paramref name="assetNames"/> (an asset's current and former qualified names), from which
    /// database, how often and when: query records only, grouped by user and database, the latest reader first.
    /// </summary>
    public IReadOnlyList<UsageRow> Usage(IReadOnlyList<string> assetNames, DateTimeOffset? since) => Query(
        "SELECT user_name, project, count(*), CAST(coalesce(sum(row_count), 0) AS BIGINT), CAST(sum(CASE WHEN outcome <> 'ok' THEN 1 ELSE 0 END) AS BIGINT), min(at), max(at) FROM audit_log " +
        "WHERE kind = 'query' AND EXISTS (SELECT 1 FROM json_each(audit_log.assets) a WHERE a.value IN (SELECT value FROM json_each($names))) " +
        "AND ($since IS NULL OR at >= $since) GROUP BY user_name, project ORDER BY max(at) DESC, user_name, project",
        r => new UsageRow(r.GetString(0), NullableString(r, 1), r.GetInt64(2), r.GetInt64(3), r.GetInt64(4), ParseTime(r.GetString(5)), ParseTime(r.GetString(6))),
        ("$names", Json(assetNames)), ("$since", since is { } s ? Time(s) : null));
}
