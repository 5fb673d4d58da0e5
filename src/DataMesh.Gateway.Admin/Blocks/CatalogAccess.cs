using DataMesh.Gateway.Catalog;
using DataMesh.Gateway.Catalog.Model;
using DataMesh.Gateway.Catalog.Snapshots;
using DataMesh.Gateway.Catalog.Store;

namespace DataMesh.Gateway.Admin.Blocks;

/// <summary>
/// How one admin command reaches the catalog. Outside a transaction block every change commits at once
/// (<see cref="DirectAccess"/>); inside one, commands run on a transaction that already holds the block's earlier changes
/// and is rolled back, or, at COMMIT, is the block's one real transaction (<see cref="BlockAccess"/>).
/// </summary>
public abstract class CatalogAccess
{
    /// <summary>The catalog as this command sees it (with the block's earlier changes, inside a block).</summary>
    public abstract CatalogSnapshot Snapshot { get; }

    public abstract T Read<T>(Func<ICatalogReader, T> work);

    /// <summary>A change and its audit record: committed at once, or part of the block.</summary>
    public abstract T Change<T>(Func<ICatalogWriter, T> work);

    /// <summary>An audit record of its own (a read, a failure): written now, or as soon as the block's transaction lets go.</summary>
    public abstract void AppendAudit(AuditRecord record);

    /// <summary>Work outside the catalog that must happen only once the change is kept (moving a dropped project's files).</summary>
    public abstract void AfterCommit(Action action);
}

/// <summary>Outside a transaction block: the catalog service itself; each change commits and publishes a snapshot.</summary>
internal sealed class DirectAccess(CatalogService catalog) : CatalogAccess
{
    private readonly List<Action> _afterCommit = [];
    private int _changing;

    public override CatalogSnapshot Snapshot => catalog.Snapshot;

    public override T Read<T>(Func<ICatalogReader, T> work) => catalog.Store.Read(work);

    public override T Change<T>(Func<ICatalogWriter, T> work)
    {
        _changing++;
        T result;
        try
        {
            result = catalog.Change(work);
        }
        catch
        {
            _afterCommit.Clear(); // the change was rolled back: what was to follow it must not happen
            throw;
        }
        finally
        {
            _changing--;
        }
        RunAfterCommit();
        return result;
    }

    public override void AppendAudit(AuditRecord record) => catalog.Store.AppendAudit(record);

    public override void AfterCommit(Action action)
    {
        _afterCommit.Add(action);
        if (_changing == 0) RunAfterCommit();
    }

    private void RunAfterCommit()
    {
        var actions = _afterCommit.ToList();
        _afterCommit.Clear();
        foreach (var action in actions) action();
    }
}

/// <summary>
/// Inside a transaction block: every read and change goes to one open write transaction (<paramref name="writer"/>) that
/// holds the block's earlier changes. The snapshot is loaded from it when asked for (and again after each change), so
/// permission checks see the block's own projects and memberships. Audit records of reads and failures wait in
/// <see cref="DeferredAudit"/> until the transaction let go of the write lock; after-commit work waits in
/// <see cref="Followers"/> until the block commits.
/// </summary>
internal sealed class BlockAccess(ICatalogWriter writer) : CatalogAccess
{
    private CatalogSnapshot? _snapshot;

    public bool Changed { get; private set; }

    public List<AuditRecord> DeferredAudit { get; } = [];

    public List<Action> Followers { get; } = [];

    // Since snapshots are patched from the change log and partitioned (catalog at scale), a rehearsal has no snapshot
    // of its own uncommitted state. Transaction blocks are not wired into the server (docs/ADMIN-SQL.md): until they
    // are, a command that needs the snapshot inside a rehearsal is refused rather than shown the committed state.
    public override CatalogSnapshot Snapshot => _snapshot ?? throw new NotSupportedException("admin commands in transaction blocks are not wired yet");

    public override T Read<T>(Func<ICatalogReader, T> work) => work(writer);

    public override T Change<T>(Func<ICatalogWriter, T> work)
    {
        Changed = true;
        _snapshot = null;
        var result = work(writer);
        _snapshot = null;
        return result;
    }

    public override void AppendAudit(AuditRecord record) => DeferredAudit.Add(record);

    public override void AfterCommit(Action action) => Followers.Add(action);
}
