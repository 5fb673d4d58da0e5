namespace DataMesh.Gateway.Admin;

/// <summary>What a governed export wrote: the local Parquet file, its rows, and the assets and subscriptions it read.</summary>
public sealed record QueryExportResult(string File, long Rows, IReadOnlyList<string> Assets, IReadOnlyList<long> SubscriptionIds);

/// <summary>
/// The caller's session, as an admin command that writes a data product sees it: it runs a query governed exactly as
/// the session's own queries are (the session's project, grants, masks and row filters) and writes the rows to a
/// Parquet file. Implemented by the server; admin commands run outside a session have none.
/// </summary>
public interface IQueryExport
{
    QueryExportResult ExportParquet(string query);
}
