namespace DataMesh.Gateway.Server.Embedded;

/// <summary>One statement's result as collected: its columns, the first rows as text, how many rows it had, its tag.</summary>
public sealed class CollectedResult
{
    public IReadOnlyList<ResultField> Fields { get; internal set; } = [];
    public List<string?[]> Rows { get; } = [];

    /// <summary>Every row the statement returned, kept or not.</summary>
    public long RowCount { get; internal set; }

    public string? CommandTag { get; internal set; }

    public bool Truncated => RowCount > Rows.Count;
}

/// <summary>
/// Keeps the first <paramref name="maxRows"/> rows of each statement's result and counts the rest (they are read and
/// dropped, so the statement runs to its end and its audit record has the true row count).
/// </summary>
public sealed class ResultCollector(int maxRows) : IStatementSink
{
    private CollectedResult? _current;

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
        if (current.Rows.Count >= maxRows) return;
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
