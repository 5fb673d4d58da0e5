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

    public DuckDBStatementType StatementType { get; }

    /// <summary>PostgreSQL OIDs of the parameters as the engine inferred them; 0 where it could not.</summary>
    public int[] ParameterOids { get; }

    public IReadOnlyList<ResultColumn> Columns { get; }

    /// <summary>True when the engine runs a wrapper that cast exotic columns to text and renamed them positionally.</summary>
    internal bool ColumnsRenamed { get; init; }

    public bool ReturnsRows => Columns.Count > 0 && StatementType is DuckDBStatementType.Select or DuckDBStatementType.Explain
        or DuckDBStatementType.Show or DuckDBStatementType.Pragma or DuckDBStatementType.Call or DuckDBStatementType.Execute;

    public void Dispose() => Handle.Dispose();
}
