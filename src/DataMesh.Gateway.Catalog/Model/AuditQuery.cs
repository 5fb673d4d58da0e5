namespace DataMesh.Gateway.Catalog.Model;

/// <summary>
/// Which audit records to read, newest first. <see cref="Reader"/> null reads every record (domain admins);
/// otherwise the reader's own records and every query record that read one of <see cref="ReaderProducedAssets"/>
/// ("project.asset" of the projects the reader is a member of: producers see every read of their assets). The
/// filters narrow that: by user, by an asset read, by the project (database) the record was made in, by time
/// (<see cref="Since"/> inclusive, <see cref="Until"/> exclusive).
/// </summary>
public sealed record AuditQuery(int Limit)
{
    public string? Reader { get; init; }
    public IReadOnlyList<string> ReaderProducedAssets { get; init; } = [];
    public string? User { get; init; }
    public string? Asset { get; init; }
    public string? Project { get; init; }
    public DateTimeOffset? Since { get; init; }
    public DateTimeOffset? Until { get; init; }

    /// <summary>Only records older than this id (EXPORT AUDIT reads the log page by page, newest first).</summary>
    public long? BeforeId { get; init; }

    /// <summary>Only successful admin commands with one of these verb phrases (e.g. "APPROVE SUBSCRIPTION"); empty: any record.</summary>
    public IReadOnlyList<string> SucceededCommands { get; init; } = [];
}
