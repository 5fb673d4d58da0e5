namespace DataMesh.Gateway.Server.Sessions;

/// <summary>PostgreSQL's GUC nesting: ROLLBACK undoes the settings a block changed, COMMIT drops its SET LOCAL ones.</summary>
public sealed partial class SessionParameters
{
    /// <summary>
    /// A transaction block is open and a statement is about to change settings: remember them as they stand, so that
    /// ROLLBACK can restore them and COMMIT can drop the LOCAL ones (savepoints nest inside it through
    /// <see cref="MarkSavepoint"/>). Idempotent within one block.
    /// </summary>
    public void EnterTransaction()
    {
        if (_atTransactionStart is not null) return;
        _atTransactionStart = new Dictionary<string, string>(_values, StringComparer.OrdinalIgnoreCase);
        _sessionLevel = new Dictionary<string, string>(_values, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>
    /// The transaction block ended: COMMIT keeps session-level changes and drops LOCAL ones, ROLLBACK restores the
    /// settings as they were when it began. Returns the reportable parameters whose value changed by it.
    /// </summary>
    public List<string> EndTransaction(bool commit)
    {
        if (_atTransactionStart is null) return [];
        var changed = RestoreValues(commit ? _sessionLevel! : _atTransactionStart);
        _atTransactionStart = null;
        _sessionLevel = null;
        return changed;
    }

    /// <summary>The settings as they stood at a SAVEPOINT: the current values and, once the block changed any, the
    /// session-level ones COMMIT would keep.</summary>
    public sealed record Savepoint(Dictionary<string, string> Values, Dictionary<string, string>? SessionLevel);

    public Savepoint MarkSavepoint() => new(
        new Dictionary<string, string>(_values, StringComparer.OrdinalIgnoreCase),
        _sessionLevel is null ? null : new Dictionary<string, string>(_sessionLevel, StringComparer.OrdinalIgnoreCase));

    /// <summary>
    /// ROLLBACK TO a savepoint: every SET, SET LOCAL and set_config made after it is undone, as in PostgreSQL (RELEASE
    /// keeps them, so it needs nothing here). Returns the reportable parameters whose value changed back.
    /// </summary>
    public List<string> RollbackTo(Savepoint mark)
    {
        var changed = RestoreValues(mark.Values);
        // No change before the savepoint: what COMMIT would keep is what stood at it.
        if (_sessionLevel is not null)
            _sessionLevel = new Dictionary<string, string>(mark.SessionLevel ?? mark.Values, StringComparer.OrdinalIgnoreCase);
        return changed;
    }

    /// <summary>Puts every value back as <paramref name="target"/> holds it; returns the reportable parameters that changed.</summary>
    private List<string> RestoreValues(Dictionary<string, string> target)
    {
        var changed = ReportableSettings.Where(s => _values[s.Name] != target[s.Name]).Select(s => s.Name).ToList();
        Version++;
        _values.Clear();
        foreach (var (k, v) in target) _values[k] = v;
        return changed;
    }
}
