using System.Data.Common;

namespace DataMesh.Gateway.Catalog.Store.Postgres;

/// <summary>
/// <see cref="CatalogRetry"/> for PostgreSQL: a transaction the server aborted as a serialization failure (40001) or
/// a deadlock victim (40P01) is retried; out of disk or memory (class 53) and an unreachable server (no SQLSTATE,
/// class 08 or 57) become store faults at once, which fail the statement and keep the session.
/// </summary>
internal sealed class PostgresRetry(TimeSpan budget) : CatalogRetry(budget, TimeSpan.FromMilliseconds(5), TimeSpan.FromMilliseconds(500))
{
    protected override bool IsTransient(Exception e) => e is DbException { SqlState: "40001" or "40P01" };

    protected override CatalogStoreException? Fault(Exception e) => e switch
    {
        DbException { SqlState: { Length: 5 } state } when state.StartsWith("53", StringComparison.Ordinal) =>
            new CatalogStoreException(CatalogFault.Full, "the catalog database is out of disk or memory", e),
        DbException d when d.SqlState is null || d.SqlState.StartsWith("08", StringComparison.Ordinal) || d.SqlState.StartsWith("57", StringComparison.Ordinal) =>
            new CatalogStoreException(CatalogFault.Io, "the catalog database could not be reached", e),
        _ => null,
    };

    protected override string Exhausted(TimeSpan elapsed) =>
        $"catalog transactions kept conflicting for {elapsed.TotalSeconds:0.#} s";
}
