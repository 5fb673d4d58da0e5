using DataMesh.Gateway.Catalog.Model;
using System.Data.Common;

namespace DataMesh.Gateway.Catalog.Store;

/// <summary>Changes consumers ask for on approved grants, and the domain's metadata forms.</summary>
internal abstract partial class CatalogSession
{
    private const string ChangeColumns = "id, subscription_id, clauses, justification, status, requested_by, requested_at, decided_by, decided_at, comment";

    private static SubscriptionChangeRecord MapChange(DbDataReader r) => new(r.GetInt64(0), r.GetInt64(1), r.GetString(2), r.GetString(3),
        Enum.Parse<ChangeRequestStatus>(r.GetString(4), ignoreCase: true), r.GetString(5), ParseTime(r.GetString(6)), NullableString(r, 7),
        NullableTime(r, 8), NullableString(r, 9));

    public IReadOnlyList<SubscriptionChangeRecord> SubscriptionChanges(long? subscriptionId) =>
        Query($"SELECT {ChangeColumns} FROM subscription_changes WHERE subscription_id = coalesce($s, subscription_id) ORDER BY id", MapChange, ("$s", subscriptionId));

    public long InsertSubscriptionChange(SubscriptionChangeRecord c) => Scalar<long>(
        "INSERT INTO subscription_changes (subscription_id, clauses, justification, status, requested_by, requested_at) " +
        "VALUES ($s, $c, $j, 'pending', $r, $t) RETURNING id",
        ("$s", c.SubscriptionId), ("$c", c.Clauses), ("$j", c.Justification), ("$r", c.RequestedBy), ("$t", Time(c.RequestedAt)));

    public void DecideSubscriptionChange(long id, ChangeRequestStatus status, string decidedBy, DateTimeOffset at, string? comment) =>
        Execute("UPDATE subscription_changes SET status = $st, decided_by = $b, decided_at = $t, comment = $c WHERE id = $i",
            ("$st", status.ToString().ToLowerInvariant()), ("$b", decidedBy), ("$t", Time(at)), ("$c", comment), ("$i", id));

    public IReadOnlyList<MetadataFormRecord> Forms() => Query("SELECT name, description, fields, created_by, created_at FROM metadata_forms ORDER BY name",
        r => new MetadataFormRecord(r.GetString(0), NullableString(r, 1), FromJson<List<FormField>>(r.GetString(2)), r.GetString(3), ParseTime(r.GetString(4))));

    public void InsertForm(MetadataFormRecord f) =>
        Execute("INSERT INTO metadata_forms (name, description, fields, created_by, created_at) VALUES ($n, $d, $f, $b, $t)",
            ("$n", f.Name), ("$d", f.Description), ("$f", Json(f.Fields)), ("$b", f.CreatedBy), ("$t", Time(f.CreatedAt)));

    public void DeleteForm(string name) => Execute("DELETE FROM metadata_forms WHERE name = $n", ("$n", name));
}
