using System.Collections.Concurrent;
using DuckDB.NET.Data;

namespace DataMesh.Gateway.Engine;

/// <summary>
/// DuckDB's own parser as a service: <c>json_serialize_sql</c> on private, empty, locked-down connections, so the
/// policy layer reads a query exactly as the engine will. Parsing never executes the user's text; the text travels
/// as a string literal. A small pool of connections lets sessions parse in parallel (a session's own engine
/// connection may hold a suspended portal's stream, which another statement on it would close).
/// </summary>
public sealed class SqlParser : IDisposable
{
    private readonly DuckDBConnection _root;
    private readonly ConcurrentBag<DuckDBConnection> _idle = [];
    private bool _disposed;

    public SqlParser()
    {
        _root = new DuckDBConnection("DataSource=:memory:;autoinstall_known_extensions=false;autoload_known_extensions=false");
        _root.Open();
        using var cmd = _root.CreateCommand();
        cmd.CommandText = "SET enable_external_access = false; SET lock_configuration = true;";
        cmd.ExecuteNonQuery();
    }

    /// <summary>The JSON AST of <paramref name="sql"/> (errors are reported inside the JSON, not thrown).</summary>
    public string Serialize(string sql) => Scalar("SELECT json_serialize_sql(" + DuckDbEngine.Literal(sql) + ")");

    /// <summary>The SQL text of a json_serialize_sql document (json_deserialize_sql).</summary>
    public string Print(string json) => Scalar("SELECT json_deserialize_sql(" + DuckDbEngine.Literal(json) + ")");

    private readonly ConcurrentDictionary<(string Text, string Type), bool> _casts = new();

    /// <summary>Whether DuckDB casts <paramref name="text"/> to <paramref name="type"/> (a type name from the catalog).
    /// Answers are remembered (bounded): the same literals recur in the queries a tool sends.</summary>
    public bool CanCast(string text, string type)
    {
        if (_casts.TryGetValue((text, type), out var known)) return known;
        var result = Scalar($"SELECT CAST(TRY_CAST({DuckDbEngine.Literal(text)} AS {type}) IS NOT NULL AS VARCHAR)") == "true";
        if (_casts.Count >= 4096) _casts.Clear();
        _casts[(text, type)] = result;
        return result;
    }

    private string Scalar(string query)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!_idle.TryTake(out var connection))
        {
            connection = _root.Duplicate();
            if (connection.State != System.Data.ConnectionState.Open) connection.Open();
        }
        try
        {
            using var cmd = connection.CreateCommand();
            cmd.CommandText = query;
            return (string)cmd.ExecuteScalar()!;
        }
        finally
        {
            if (_idle.Count < Environment.ProcessorCount * 4) _idle.Add(connection);
            else connection.Dispose();
        }
    }

    public void Dispose()
    {
        _disposed = true;
        while (_idle.TryTake(out var c)) c.Dispose();
        _root.Dispose();
    }
}
