namespace DataMesh.Gateway.Catalog.Store;

/// <summary>What went wrong under the catalog, in terms the layers above can answer a client with.</summary>
public enum CatalogFault
{
    /// <summary>Another connection held the write lock for longer than the retry budget.</summary>
    Busy,

    /// <summary>The disk (or the configured catalog size cap) is full: the transaction was rolled back.</summary>
    Full,

    /// <summary>The operating system refused a read or write of the catalog file.</summary>
    Io,
}

/// <summary>
/// A catalog transaction that could not complete for a reason outside the command itself. The transaction was
/// rolled back, so nothing of it is in the catalog; the in-memory snapshot still holds the last committed state.
/// The message never names the catalog file's path.
/// </summary>
public sealed class CatalogStoreException(CatalogFault fault, string message, Exception inner) : Exception(message, inner)
{
    public CatalogFault Fault { get; } = fault;
}
