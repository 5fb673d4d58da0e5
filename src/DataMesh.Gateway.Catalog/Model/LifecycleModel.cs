namespace DataMesh.Gateway.Catalog.Model;

// What happens to things after they were made: the events people are told about, the changes consumers ask for,
// metadata forms that PUBLISH checks, and how often assets are read.

/// <summary>
/// Something that happened to a subscription (or to the asset or project it depends on), kept in the catalog's append-only
/// event table: LISTEN sessions, project webhooks and the portal's notifications all read it. <see cref="ConsumerProject"/>'s
/// members and <see cref="OwnerProject"/>'s owners are the people it concerns.
/// </summary>
public sealed record EventRecord(long Id, DateTimeOffset At, string Kind, long? SubscriptionId, string? Asset, string? ConsumerProject,
    string? OwnerProject, string Actor, string? Detail);

/// <summary>The event kinds, as stored and as sent in notification payloads.</summary>
public static class EventKinds
{
    public const string Requested = "requested";
    public const string Withdrawn = "withdrawn";
    public const string Approved = "approved";
    public const string Rejected = "rejected";
    public const string Changed = "changed";
    public const string Revoked = "revoked";
    public const string Expiring = "expiring";
    public const string ChangeRequested = "change_requested";
    public const string ChangeRejected = "change_rejected";
    public const string ChangeWithdrawn = "change_withdrawn";
    public const string Renamed = "renamed";

    /// <summary>The kinds that ask an owner of the asset's project to act (the <c>datamesh_requests</c> channel).</summary>
    public static bool AsksOwner(string kind) => kind is Requested or Withdrawn or ChangeRequested or ChangeWithdrawn or Expiring;
}

/// <summary>Which events to read: after an id (oldest first) or the newest of some projects (newest first).</summary>
public sealed record EventQuery(int Limit)
{
    /// <summary>Only events with a larger id, oldest first (followers: LISTEN, webhooks). Null: the newest first.</summary>
    public long? AfterId { get; init; }

    /// <summary>Only events whose consumer or owner project is one of these; null: every event.</summary>
    public IReadOnlyCollection<string>? Projects { get; init; }
}

public enum ChangeRequestStatus { Pending, Approved, Rejected, Withdrawn }

/// <summary>
/// A consumer project's request to change an approved grant (REQUEST SUBSCRIPTION CHANGE n …): <see cref="Clauses"/> is
/// the text of the SET clauses, applied like ALTER SUBSCRIPTION when an owner approves it.
/// </summary>
public sealed record SubscriptionChangeRecord(long Id, long SubscriptionId, string Clauses, string Justification, ChangeRequestStatus Status,
    string RequestedBy, DateTimeOffset RequestedAt, string? DecidedBy, DateTimeOffset? DecidedAt, string? Comment);

/// <summary>One field of a metadata form: the asset's metadata key of that name must hold a value of <see cref="Type"/>.</summary>
/// <param name="Type">text, integer, number, boolean, date, or one of <see cref="Values"/> ("choice").</param>
public sealed record FormField(string Name, string Type, bool Required, IReadOnlyList<string>? Values = null);

/// <summary>A domain metadata form: typed fields, some required, that PUBLISH ASSET checks against the asset's metadata.</summary>
public sealed record MetadataFormRecord(string Name, string? Description, IReadOnlyList<FormField> Fields, string CreatedBy, DateTimeOffset CreatedAt);

/// <summary>How one user read an asset from one database: queries, rows, first and last read (SHOW USAGE OF ASSET).</summary>
public sealed record UsageRow(string User, string? Project, long Reads, long Rows, long Errors, DateTimeOffset FirstRead, DateTimeOffset LastRead);
