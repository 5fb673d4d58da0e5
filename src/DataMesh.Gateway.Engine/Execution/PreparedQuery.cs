using DuckDB.NET.Native;

namespace DataMesh.Gateway.Engine.Execution;

/// <summary>A statement prepared on one engine session: its parameter types and its result columns.</summary>
public sealed class PreparedQuery : IDisposable
{
    internal PreparedQuery(DuckDBPreparedStatement handle, DuckDBStatementType statementType,
        int[] parameterOids, IReadOnlyList<ResultColumn> columns)
    {
        Handle = handle;
        StatementType = statementType;
        ParameterOids = parameterOids;
        Columns = columns;
    }

    internal DuckDBPreparedStatement Handle { get; }

    internal DuckDBStatementType StatementType { get; }

    /// <summary>True for a SELECT (queries, VALUES, DESCRIBE, …): the only statement type consumers may run.</summary>
    public bool IsSelect => StatementType == DuckDBStatementType.Select;

    /// <summary>The statement type as SQL names it (DROP, ATTACH, PRAGMA, …), for the error that refuses it.</summary>
    public string StatementTypeName => StatementType.ToString().ToUpperInvariant();

    /// <summary>PostgreSQL OIDs of the parameters as the engine inferred them; 0 where it could not.</summary>
    public int[] ParameterOids { get; }

    public IReadOnlyList<ResultColumn> Columns { get; private set; }

    /// <summary>True when the result's names come from <see cref="Columns"/>, not from the engine: a wrapper cast exotic
    /// columns to text and renamed them positionally, or the caller gave the names the user's own text produces.</summary>
    internal bool ColumnsRenamed { get; init; }

    internal bool NamesOverridden { get; private set; }

    /// <summary>Replaces the result column names (same count): the engine ran a rewritten text whose unaliased
    /// expressions would otherwise be named after the rewrite.</summary>
    public void RenameColumns(IReadOnlyList<string> names)
    {
        if (names.Count != Columns.Count) throw new ArgumentException("one name per column", nameof(names));
        Columns = Columns.Select((c, i) => new ResultColumn(names[i], c.Type)).ToList();
        NamesOverridden = true;
    }

    public bool ReturnsRows => Columns.Count > 0 && StatementType is DuckDBStatementType.Select or DuckDBStatementType.Explain
        or DuckDBStatementType.Show or DuckDBStatementType.Pragma or DuckDBStatementType.Call or DuckDBStatementType.Execute;

    public void Dispose() => Handle.Dispose();
}
