using BenchmarkDotNet.Attributes;
using DataMesh.Gateway.Engine;
using DataMesh.Gateway.Engine.Execution;
using DataMesh.Gateway.Protocol.Messages.Backend;
using DataMesh.Gateway.Protocol.Messages.Frontend;

namespace DataMesh.Gateway.Benchmarks.Micro;

/// <summary>
/// The server's real hot path: a streaming DuckDB result over an in-memory 100k-row table, encoded to DataRow
/// messages by <see cref="QueryCursor.WriteRows"/> into a discarding buffer. One operation = the whole 100k rows
/// (execute + fetch chunks + encode), so ns/row = Mean / 100,000.
/// </summary>
[Config(typeof(BenchConfig))]
[MemoryDiagnoser]
public class CursorEncodeBenchmarks
{
    public const int Rows = 100_000;

    private DuckDbEngine _engine = null!;
    private EngineSession _session = null!;
    private PreparedQuery _query = null!;
    private readonly DiscardingBufferWriter _sink = new();
    private BackendWriter _writer = null!;
    private FormatCode[] _formats = null!;

    [Params(4, 16)]
    public int Columns { get; set; }

    [Params(FormatCode.Text, FormatCode.Binary)]
    public FormatCode Format { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _engine = DuckDbEngine.Open(new EngineOptions
        {
            Threads = 1,
            SetupStatements = ["CREATE SCHEMA bench", $"CREATE TABLE bench.lineitem AS {LineitemData.SelectSql(Rows)}"],
        });
        _session = _engine.OpenSession();
        var columns = Columns == 4 ? LineitemData.FourColumns : "*";
        _query = _session.Prepare($"SELECT {columns} FROM bench.lineitem");
        _writer = new BackendWriter(_sink);
        _formats = [Format];
        var rows = EncodeAll();
        if (rows != Rows) throw new InvalidOperationException($"expected {Rows} rows, got {rows}");
    }

    [Benchmark]
    public long EncodeAll()
    {
        using var cursor = _session.Execute(_query, []);
        while (cursor.WriteRows(_writer, _formats, 0, 256 * 1024) != CursorStop.Completed) _writer.ResetPending();
        _writer.ResetPending();
        return cursor.RowsAffected;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _query.Dispose();
        _session.Dispose();
        _engine.Dispose();
    }
}
