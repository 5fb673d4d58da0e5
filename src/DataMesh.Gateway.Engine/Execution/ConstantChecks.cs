using DataMesh.Gateway.Engine.Interop;
using DataMesh.Gateway.Engine.Types;
using DuckDB.NET.Data;
using DuckDB.NET.Native;
using static DuckDB.NET.Native.NativeMethods;

namespace DataMesh.Gateway.Engine.Execution;

/// <summary>
/// Evaluates a query's constant expressions before the query runs (Policy: ConstantFolding), on a private connection
/// of the session's own instance: the same settings, macros and shadow catalog as the query will meet, and nothing to
/// read, because the SELECTs it gets have no FROM, column or subquery of the user's. Its own connection, so a portal
/// still streaming on the session's connection is not disturbed. Not thread-safe, except <see cref="Interrupt"/>.
/// </summary>
public sealed class ConstantChecks : IDisposable
{
    private readonly DuckDBConnection _connection;
    private int _running;

    internal ConstantChecks(DuckDBConnection source) => _connection = Instances.EngineInstance.OpenDuplicate(source);

    /// <summary>Runs trusted session setup (the search path), so that names bind here as on the session's connection.</summary>
    internal void Configure(string trustedSql)
    {
        using var cmd = _connection.CreateCommand();
        cmd.CommandText = trustedSql;
        cmd.ExecuteNonQuery();
    }

    /// <summary>
    /// DuckDB's bound, unoptimised logical plan of <paramref name="sql"/> as JSON (json_serialize_plan): the types the
    /// binder chose and the casts it inserted, by the query's own text locations. Binding reads no data: the query
    /// names the instance's empty shadow tables. A binding error is reported inside the JSON, not thrown.
    /// </summary>
    public string SerializePlan(string sql)
    {
        using var cmd = _connection.CreateCommand();
        cmd.CommandText = "SELECT json_serialize_plan(" + DuckDbEngine.Literal(sql) + ", skip_null := true)";
        Volatile.Write(ref _running, 1);
        try
        {
            return (string)cmd.ExecuteScalar()!;
        }
        catch (DuckDBException e)
        {
            throw EngineErrors.FromMessage(e.Message);
        }
        finally
        {
            Volatile.Write(ref _running, 0);
        }
    }

    /// <summary>Runs a SELECT given as a json_serialize_sql document to completion; the engine's error is thrown.</summary>
    public void RunSerialized(string json) =>
        Run("SELECT * FROM json_execute_serialized_sql(" + DuckDbEngine.Literal(json) + ")", []);

    /// <summary>
    /// Runs <paramref name="sql"/> (a SELECT without FROM over the query's <c>$n</c>) with the query's bound
    /// parameters; parameters it does not name are added as extra select items, so that numbering matches.
    /// </summary>
    public void RunWithParameters(string sql, IReadOnlySet<int> named, IReadOnlyList<object?> parameters)
    {
        var missing = Enumerable.Range(1, parameters.Count).Where(n => !named.Contains(n)).Select(n => "$" + n);
        Run(sql + string.Concat(missing.Select(m => ", " + m)), parameters);
    }

    /// <summary>The engine's message for the same constant in the user's query: the check's own select-list names
    /// (c0, c1, …) are not the user's.</summary>
    private static string WithoutCheckColumn(string? message) =>
        System.Text.RegularExpressions.Regex.Replace(message ?? "", " when casting from source column c[0-9]+", "");

    /// <summary>Prepares, binds and runs (materialised: the result is one row) on the private connection.</summary>
    private void Run(string text, IReadOnlyList<object?> parameters)
    {
        if (PreparedStatements.DuckDBPrepare(_connection.NativeConnection, text, out var handle) != DuckDBState.Success)
        {
            var error = PreparedStatements.DuckDBPrepareError(handle);
            handle.Dispose();
            throw EngineErrors.FromMessage(WithoutCheckColumn(error));
        }
        using (handle)
        {
            NativeExtras.ClearBindings(handle);
            ParameterBinder.Bind(handle, parameters);
            Volatile.Write(ref _running, 1);
            DuckDBState state;
            DuckDBResult result;
            try
            {
                state = PreparedStatements.DuckDBExecutePrepared(handle, out result);
            }
            finally
            {
                Volatile.Write(ref _running, 0);
            }
            try
            {
                if (state != DuckDBState.Success)
                    throw EngineErrors.FromMessage(WithoutCheckColumn(Query.DuckDBResultError(ref result)), Query.DuckDBResultErrorType(ref result));
            }
            finally
            {
                Query.DuckDBDestroyResult(ref result);
            }
        }
    }

    /// <summary>Stops an evaluation in progress (a cancel or a statement timeout).</summary>
    public void Interrupt()
    {
        if (Volatile.Read(ref _running) == 1) Startup.DuckDBInterrupt(_connection.NativeConnection);
    }

    public void Dispose() => _connection.Dispose();
}
