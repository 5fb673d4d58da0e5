using System.Buffers;
using System.IO.Pipelines;
using DataMesh.Gateway.Server.Embedded;

namespace DataMesh.Gateway.Portal.Queries;

/// <summary>
/// Streams a result as CSV (RFC 4180, a header line, CRLF): a value with a comma, quote or line break is quoted with
/// its quotes doubled, NULL is an empty field and the empty string a quoted empty field (as PostgreSQL's COPY … CSV
/// writes them). Rows go straight from the statement's DataRows into the response, flushed per batch, so a slow
/// download holds the query back instead of filling memory.
/// </summary>
public sealed class CsvSink(PipeWriter output, long maxRows) : IStatementSink
{
    private bool _columns;

    public long Rows { get; private set; }

    /// <summary>Set when the result had more rows than a download may carry (the statement was then cancelled).</summary>
    public bool Exceeded { get; private set; }

    /// <summary>True once row bytes were flushed to the client: an error after that can only cut the download.</summary>
    public bool Started { get; private set; }

    public bool WantsMore => !Exceeded;

    public void Columns(IReadOnlyList<ResultField> fields)
    {
        _columns = true;
        for (var i = 0; i < fields.Count; i++)
        {
            if (i > 0) Write(","u8);
            WriteField(System.Text.Encoding.UTF8.GetBytes(fields[i].Name), isNull: false);
        }
        Write("\r\n"u8);
    }

    public void Row(DataRow row)
    {
        if (++Rows > maxRows)
        {
            Exceeded = true;
            return;
        }
        for (var i = 0; i < row.Count; i++)
        {
            if (i > 0) Write(","u8);
            WriteField(row.Utf8(i), row.IsNull(i));
        }
        Write("\r\n"u8);
    }

    public void Completed(string commandTag)
    {
    }

    public async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        if (!_columns || Rows == 0) return; // nothing the client must see yet: an error now can still be a page
        Started = true;
        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    private void WriteField(ReadOnlySpan<byte> value, bool isNull)
    {
        if (isNull) return;
        if (value.Length > 0 && value.IndexOfAny("\",\r\n"u8) < 0)
        {
            Write(value);
            return;
        }
        Write("\""u8);
        while (true)
        {
            var quote = value.IndexOf((byte)'"');
            if (quote < 0) break;
            Write(value[..(quote + 1)]);
            Write("\""u8);
            value = value[(quote + 1)..];
        }
        Write(value);
        Write("\""u8);
    }

    private void Write(ReadOnlySpan<byte> bytes) => output.Write(bytes);
}
