using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using DataMesh.Gateway.Engine.Execution;
using DataMesh.Gateway.Protocol.Errors;
using DataMesh.Gateway.Protocol.Messages.Backend;

namespace DataMesh.Gateway.Tests.Engine;

/// <summary>Runs SQL on an engine session the way the server does (prepare, execute, stream DataRows) and reads
/// the text-format rows back, so the tests see exactly what a client would.</summary>
internal static class EngineSql
{
    public static List<string?[]> Rows(EngineSession session, string sql)
    {
        using var query = session.Prepare(sql);
        using var cursor = session.Execute(query, []);
        var output = new ArrayBufferWriter<byte>();
        if (cursor.ReturnsRows)
            while (cursor.WriteRows(new BackendWriter(output), [], 0, long.MaxValue) != CursorStop.Completed) { }
        return ParseDataRows(output.WrittenSpan);
    }

    public static string? Scalar(EngineSession session, string sql) => Rows(session, sql).Single().Single();

    /// <summary>Asserts that the statement fails and returns the error.</summary>
    public static PgErrorException Fails(EngineSession session, string sql) => Assert.Throws<PgErrorException>(() => Rows(session, sql));

    /// <summary>Asserts that DuckDB refused the statement with a Permission Error (mapped to 42501).</summary>
    public static void Refused(EngineSession session, string sql)
    {
        var error = Fails(session, sql);
        Assert.True(error.SqlState == SqlState.InsufficientPrivilege, $"{sql}: expected a permission error, got {error.SqlState} {error.Message}");
    }

    private static List<string?[]> ParseDataRows(ReadOnlySpan<byte> bytes)
    {
        var rows = new List<string?[]>();
        while (!bytes.IsEmpty)
        {
            Assert.Equal((byte)'D', bytes[0]);
            var length = BinaryPrimitives.ReadInt32BigEndian(bytes[1..]);
            var body = bytes.Slice(5, length - 4);
            var fields = new string?[BinaryPrimitives.ReadInt16BigEndian(body)];
            body = body[2..];
            for (var i = 0; i < fields.Length; i++)
            {
                var fieldLength = BinaryPrimitives.ReadInt32BigEndian(body);
                body = body[4..];
                if (fieldLength < 0) continue;
                fields[i] = Encoding.UTF8.GetString(body[..fieldLength]);
                body = body[fieldLength..];
            }
            rows.Add(fields);
            bytes = bytes[(1 + length)..];
        }
        return rows;
    }
}
