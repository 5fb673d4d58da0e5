using DataMesh.Gateway.Catalog.Store;
using DataMesh.Gateway.Protocol.Errors;

namespace DataMesh.Gateway.Admin;

/// <summary>A catalog fault as the client sees it: one SQLSTATE per class, a message without the file's path.</summary>
public static class StoreFaults
{
    public static PgErrorException Translate(CatalogStoreException e) => e.Fault switch
    {
        CatalogFault.Full => new PgErrorException(SqlState.DiskFull, "could not write to the catalog: the disk is full",
            hint: "nothing of this command was applied; it can be repeated once space is freed"),
        CatalogFault.Busy => new PgErrorException(SqlState.LockNotAvailable, "the catalog is locked by another connection",
            hint: "nothing of this command was applied; it can be repeated"),
        _ => new PgErrorException(SqlState.IoError, "could not read or write the catalog",
            hint: "nothing of this command was applied"),
    };
}
