using DataMesh.Gateway.Catalog;
using DataMesh.Gateway.Catalog.Model;
using DataMesh.Gateway.Catalog.Snapshots;
using DataMesh.Gateway.Catalog.Store;

namespace DataMesh.Gateway.Admin.Blocks;

/// <summary>
/// How one admin command reaches the catalog: every change commits at once (<see cref="DirectAccess"/>), which is why
/// admin changes are refused inside a transaction block (25001). Commands see the catalog only through this, so a
/// different way of reaching it (a fleet's shared catalog) needs no change to them.
/// </summary>
public abstract class CatalogAccess
{
    /// <summary>The catalog as this command sees it.</summary>
    public abstract CatalogSnapshot Snapshot { get; }

    public abstract T Read<T>(Func<ICatalogReader, T> work);

    /// <summary>A change and its audit record, committed at once.</summary>
    public abstract T Change<T>(Func<ICatalogWriter, T> work);

    /// <summary>An audit record of its own (a read, a failure), written now.</summary>
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
