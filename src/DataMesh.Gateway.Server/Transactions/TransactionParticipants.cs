namespace DataMesh.Gateway.Server.Transactions;

/// <summary>
/// Something besides the gateway's own session state that a transaction block changes: the catalog (admin commands) and
/// the project's workspace. COMMIT first asks every participant whether it can still commit (<see cref="Prepare"/>, which
/// may fail with 40001), then commits them in order; ROLLBACK, a failed block's COMMIT, or a session that ends inside a
/// block roll them back. Savepoints are passed on, so ROLLBACK TO forgets what was done after them.
/// </summary>
public interface ITransactionParticipant
{
    /// <summary>Commit order: lower first (the catalog before the workspace).</summary>
    int Order { get; }

    void Prepare();
    void Commit();
    void Rollback();
    void Savepoint(string name);
    void RollbackTo(string name);
    void Release(string name);
}

/// <summary>The participants of a session's open block, at most one of each kind.</summary>
public sealed class TransactionParticipants
{
    private readonly List<ITransactionParticipant> _participants = [];

    public bool IsEmpty => _participants.Count == 0;

    /// <summary>The block's participant of type <typeparamref name="T"/>, made (and told of the block's savepoints) on first use.</summary>
    public T Get<T>(Func<T> create, IEnumerable<string> savepoints) where T : ITransactionParticipant
    {
        if (_participants.OfType<T>().FirstOrDefault() is { } existing) return existing;
        var made = create();
        foreach (var name in savepoints) made.Savepoint(name);
        _participants.Add(made);
        return made;
    }

    /// <summary>COMMIT: prepared all, then committed in order; any failure rolls back what is left and is rethrown.</summary>
    public void Commit()
    {
        var ordered = _participants.OrderBy(p => p.Order).ToList();
        _participants.Clear();
        var done = 0;
        try
        {
            foreach (var p in ordered) p.Prepare();
            foreach (var p in ordered)
            {
                p.Commit();
                done++;
            }
        }
        catch
        {
            foreach (var p in ordered.Skip(done)) p.Rollback();
            throw;
        }
    }

    public void Rollback()
    {
        var all = _participants.ToList();
        _participants.Clear();
        foreach (var p in all) p.Rollback();
    }

    public void Savepoint(string name)
    {
        foreach (var p in _participants) p.Savepoint(name);
    }

    public void RollbackTo(string name)
    {
        foreach (var p in _participants) p.RollbackTo(name);
    }

    public void Release(string name)
    {
        foreach (var p in _participants) p.Release(name);
    }
}
