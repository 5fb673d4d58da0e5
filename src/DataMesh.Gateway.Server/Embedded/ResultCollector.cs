namespace DataMesh.Gateway.Server.Embedded;

/// <summary>One statement's result as collected: its columns, the first rows as text, how many rows it had, its tag.</summary>
public sealed class CollectedResult
{
    public IReadOnlyList<ResultField> Fields { get; internal set; } = [];
    public List<string?[]> Rows { get; } = [];

    /// <summary>The rows read: every row of the result, or one more than kept when it was stopped (<see cref="Truncated"/>).</summary>
    public long RowCount { get; internal set; }

    public string? CommandTag { get; internal set; }

    public bool Truncated => RowCount > Rows.Count;
}

/// <summary>
/// Keeps the first <paramref name="maxRows"/> rows of each statement's result. One row more tells that the result has
/// more; then the statement is stopped (reading a large result to its end only to count it would cost seconds), which
/// its audit record shows as cancelled with <see cref="StopReason"/>, and the rest of the text does not run.
/// </summary>
public sealed class ResultCollector(int maxRows) : IStatementSink
{
    private CollectedResult? _current;
    private bool _full;

    public bool WantsMore => !_full;

    public string StopReason => $"canceling statement: the portal shows the first {maxRows:N0} rows of a result";

    public List<CollectedResult> Results { get; } = [];

    public List<string> Notices { get; } = [];

    public void Columns(IReadOnlyList<ResultField> fields)
    {
        _current = new CollectedResult { Fields = fields };
        Results.Add(_current);
    }

    public void Row(DataRow row)
    {
        var current = _current!;
        current.RowCount++;
        if (current.Rows.Count >= maxRows)
        {
            _full = true;
            return;
        }
        var values = new string?[row.Count];
        for (var i = 0; i < values.Length; i++) values[i] = row.GetString(i);
        current.Rows.Add(values);
    }

    public void Completed(string commandTag)
    {
        if (_current is null)
        {
            _current = new CollectedResult();
            Results.Add(_current);
        }
        _current.CommandTag = commandTag;
        _current = null;
    }

    public void Notice(string severity, string sqlState, string message) => Notices.Add($"{severity}: {message}");
}
