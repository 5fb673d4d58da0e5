using DataMesh.Gateway.Sql.Admin;

namespace DataMesh.Gateway.Admin.Blocks;

/// <summary>
/// The admin changes of one open transaction block, in order, each with the answer it gave and its time. Nothing of
/// them is in the catalog until <see cref="AdminExecutor.Commit"/> runs them again in one transaction; savepoints mark
/// how many were made before them, so ROLLBACK TO forgets the later ones.
/// </summary>
public sealed class AdminBlock
{
    internal sealed record Entry(AdminStatement Statement, AdminCaller Caller, string Database, string Text, int Offset, DateTimeOffset Now, AdminResult Result);

    private readonly List<(string Name, int Count)> _savepoints = [];

    internal List<Entry> Entries { get; } = [];

    /// <summary>True when the block made no admin change (COMMIT and ROLLBACK have nothing to do).</summary>
    public bool IsEmpty => Entries.Count == 0;

    public int Count => Entries.Count;

    public void Savepoint(string name) => _savepoints.Add((name, Entries.Count));

    /// <summary>ROLLBACK TO name: the changes made after the savepoint are forgotten (it stays, later ones go).</summary>
    public IReadOnlyList<(AdminStatement Statement, string Text)> RollbackTo(string name)
    {
        var index = _savepoints.FindLastIndex(s => s.Name == name);
        if (index < 0) return [];
        var count = _savepoints[index].Count;
        _savepoints.RemoveRange(index + 1, _savepoints.Count - index - 1);
        var dropped = Entries.Skip(count).Select(e => (e.Statement, e.Text)).ToList();
        Entries.RemoveRange(count, Entries.Count - count);
        return dropped;
    }

    /// <summary>RELEASE name: the savepoint and later ones are gone; the changes stay in the block.</summary>
    public void Release(string name)
    {
        var index = _savepoints.FindLastIndex(s => s.Name == name);
        if (index >= 0) _savepoints.RemoveRange(index, _savepoints.Count - index);
    }
}
