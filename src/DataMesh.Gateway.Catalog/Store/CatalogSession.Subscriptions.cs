using DataMesh.Gateway.Catalog.Model;
using System.Data.Common;

namespace DataMesh.Gateway.Catalog.Store;

internal abstract partial class CatalogSession
{
    private const string SubscriptionSelect =
        "SELECT s.id, s.asset_id, a.project, a.name, s.consumer_project, s.justification, s.status, s.requested_by, s.requested_at, " +
        "s.decided_by, s.decided_at, s.comment, s.row_filter, s.include_columns, s.exclude_columns, s.masks, s.expires_at, " +
        "s.approved_columns, s.approved_revision " +
        "FROM subscriptions s JOIN assets a ON a.id = s.asset_id";

    private static SubscriptionRecord MapSubscription(DbDataReader r) => new(
        r.GetInt64(0), r.GetInt64(1), PooledString(r, 2), PooledString(r, 3), PooledString(r, 4), r.GetString(5), ParseStatus(r.GetString(6)),
        PooledString(r, 7), ParseTime(r.GetString(8)), PooledNullable(r, 9), NullableTime(r, 10), CatalogInterning.Text(NullableString(r, 11)), PooledNullable(r, 12),
        r.IsDBNull(13) ? null : FromJson<List<string>>(r.GetString(13)), r.IsDBNull(14) ? null : FromJson<List<string>>(r.GetString(14)),
        FromJson<List<MaskRecord>>(r.GetString(15)), NullableTime(r, 16))
    {
        ApprovedColumns = r.IsDBNull(17) ? null : FromJson<List<string>>(r.GetString(17)),
        ApprovedRevision = r.IsDBNull(18) ? null : r.GetInt32(18),
    };

    public SubscriptionRecord? GetSubscription(long id) =>
        Query(SubscriptionSelect + " WHERE s.id = $i", MapSubscription, ("$i", id)).FirstOrDefault();

    public IReadOnlyList<SubscriptionRecord> Subscriptions() => Query(SubscriptionSelect + " ORDER BY s.id", MapSubscription);

    public IReadOnlyList<SubscriptionRecord> SubscriptionsTo(long assetId) =>
        Query(SubscriptionSelect + " WHERE s.asset_id = $a ORDER BY s.id", MapSubscription, ("$a", assetId));

    public IReadOnlyList<SubscriptionRecord> SubscriptionsOf(string consumerProject) =>
        Query(SubscriptionSelect + " WHERE s.consumer_project = $c ORDER BY s.id", MapSubscription, ("$c", consumerProject));

    public IReadOnlyList<SubscriptionRecord> ApprovedSubscriptionsOf(string consumerProject) =>
        Query(SubscriptionSelect + " WHERE s.consumer_project = $c AND s.status = 'approved' ORDER BY s.id", MapSubscription, ("$c", consumerProject));

    public SubscriptionRecord? LatestSubscription(string consumerProject, long assetId) =>
        Query(SubscriptionSelect + " WHERE s.asset_id = $a AND s.consumer_project = $c ORDER BY s.id DESC LIMIT 1", MapSubscription,
            ("$a", assetId), ("$c", consumerProject)).FirstOrDefault();

    public IReadOnlyList<SubscriptionRecord> OpenSubscriptions(string consumerProject, long assetId) =>
        Query(SubscriptionSelect + " WHERE s.asset_id = $a AND s.consumer_project = $c AND s.status IN ('pending', 'approved') ORDER BY s.id",
            MapSubscription, ("$a", assetId), ("$c", consumerProject));

    public IReadOnlyList<SubscriptionRecord> PendingSubscriptions() =>
        Query(SubscriptionSelect + " WHERE s.status = 'pending' ORDER BY s.id", MapSubscription);

    public IReadOnlyList<string> ConsumersOf(long assetId) =>
        Query("SELECT DISTINCT consumer_project FROM subscriptions WHERE asset_id = $a AND status = 'approved'", r => r.GetString(0), ("$a", assetId));

    public CatalogCounts Counts(DateTimeOffset now) => Query(
        "SELECT (SELECT count(*) FROM accounts), (SELECT count(*) FROM projects), (SELECT count(*) FROM assets WHERE published = 1), " +
        "(SELECT count(*) FROM users), (SELECT count(*) FROM users WHERE is_domain_admin = 1), " +
        "(SELECT count(*) FROM subscriptions WHERE status = 'approved' AND (expires_at IS NULL OR expires_at > $now)), " +
        "(SELECT count(*) FROM subscriptions WHERE status = 'pending')",
        r => new CatalogCounts(r.GetInt64(0), r.GetInt64(1), r.GetInt64(2), r.GetInt64(3), r.GetInt64(4), r.GetInt64(5), r.GetInt64(6)),
        ("$now", Time(now)))[0];

    public long InsertSubscription(SubscriptionRecord s)
    {
        // Never a reused id: notifications, events and audit records name subscriptions by id.
        var id = NextId("last_subscription_id", "subscriptions");
        Execute(
            "INSERT INTO subscriptions (id, asset_id, consumer_project, justification, status, requested_by, requested_at) " +
            "VALUES ($id, $a, $c, $j, 'pending', $r, $t)", ("$id", id),
            ("$a", s.AssetId), ("$c", s.ConsumerProject), ("$j", s.Justification), ("$r", s.RequestedBy), ("$t", Time(s.RequestedAt)));
        Changed(ChangeKinds.Subscription, id);
        return id;
    }

    public void UpdateSubscription(SubscriptionRecord s)
    {
        Changed(ChangeKinds.Subscription, s.Id);
        WriteSubscription(s);
        // Every approved grant pins its columns: a writer that did not name them pins the asset's current columns
        // after the grant's include/exclude filter, so no approved row can be left to show columns added later.
        Execute(PinCurrentColumns, ("$i", s.Id));
    }

    private const string PinCurrentColumns =
        "UPDATE subscriptions SET approved_columns = (SELECT json_group_array(json_extract(c.value, '$.name')) " +
        "FROM json_each((SELECT a.schema FROM assets a WHERE a.id = subscriptions.asset_id)) c " +
        "WHERE (subscriptions.include_columns IS NULL OR json_extract(c.value, '$.name') IN (SELECT value FROM json_each(subscriptions.include_columns))) " +
        "AND (subscriptions.exclude_columns IS NULL OR json_extract(c.value, '$.name') NOT IN (SELECT value FROM json_each(subscriptions.exclude_columns)))), " +
        "approved_revision = coalesce(approved_revision, (SELECT a.latest_revision FROM assets a WHERE a.id = subscriptions.asset_id)) " +
        "WHERE id = $i AND status = 'approved' AND approved_columns IS NULL";

    private void WriteSubscription(SubscriptionRecord s) => Execute(
        "UPDATE subscriptions SET status = $st, decided_by = $db, decided_at = $da, comment = $c, row_filter = $f, include_columns = $in, " +
        "exclude_columns = $ex, masks = $m, expires_at = $e, approved_columns = $ac, approved_revision = $ar WHERE id = $i",
        ("$st", s.StoredStatus.ToString().ToLowerInvariant()), ("$db", s.DecidedBy), ("$da", s.DecidedAt is { } d ? Time(d) : null),
        ("$c", s.Comment), ("$f", s.RowFilter), ("$in", s.IncludeColumns is null ? null : Json(s.IncludeColumns)),
        ("$ex", s.ExcludeColumns is null ? null : Json(s.ExcludeColumns)), ("$m", Json(s.Masks)),
        ("$e", s.ExpiresAt is { } e ? Time(e) : null), ("$ac", s.ApprovedColumns is null ? null : Json(s.ApprovedColumns)),
        ("$ar", s.ApprovedRevision), ("$i", s.Id));

    private static string? PooledNullable(DbDataReader r, int i) => r.IsDBNull(i) ? null : Pool(r.GetString(i));

    private static SubscriptionStatus ParseStatus(string s) => s switch
    {
        "approved" => SubscriptionStatus.Approved,
        "rejected" => SubscriptionStatus.Rejected,
        "revoked" => SubscriptionStatus.Revoked,
        "withdrawn" => SubscriptionStatus.Withdrawn,
        _ => SubscriptionStatus.Pending,
    };

    public void AppendAudit(AuditRecord a) => Execute(
        "INSERT INTO audit_log (at, user_name, issuer, subject, project, kind, command, statement_text, outcome, sql_state, message, assets, subscription_ids, policy_version, row_count, duration_ms) " +
        "VALUES ($at, $u, $is, $sub, $p, $k, $c, $txt, $o, $ss, $m, $as, $ids, $pv, $rc, $d)",
        ("$at", Time(a.At)), ("$u", a.User), ("$is", a.Issuer), ("$sub", a.Subject), ("$p", a.Project), ("$k", a.Kind), ("$c", a.Command),
        ("$txt", a.StatementText), ("$o", a.Outcome), ("$ss", a.SqlState), ("$m", a.Message), ("$as", Json(a.Assets)),
        ("$ids", Json(a.SubscriptionIds)), ("$pv", a.PolicyVersion), ("$rc", a.RowCount), ("$d", a.DurationMs));

    /// <summary>The newest records, optionally only one user's.</summary>
    public IReadOnlyList<AuditRecord> Audit(int limit, string? user) => Audit(new AuditQuery(limit) { User = user });

    private static AuditRecord MapAudit(DbDataReader r) =>
        new(r.GetInt64(0), ParseTime(r.GetString(1)), r.GetString(2), NullableString(r, 3), NullableString(r, 4), NullableString(r, 5),
            r.GetString(6), r.GetString(7), NullableString(r, 8), r.GetString(9), NullableString(r, 10), NullableString(r, 11),
            FromJson<List<string>>(r.GetString(12)), FromJson<List<long>>(r.GetString(13)), NullableString(r, 14),
            r.IsDBNull(15) ? null : r.GetInt64(15), r.IsDBNull(16) ? null : r.GetDouble(16));
}
