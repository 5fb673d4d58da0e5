using System.Buffers;
using System.Buffers.Binary;
using DataMesh.Gateway.Protocol.Errors;
using DataMesh.Gateway.Sql.Statements;

namespace DataMesh.Gateway.Server.Responses;

/// <summary>
/// Turns text-format DataRow messages into COPY text or CSV lines as PostgreSQL's COPY TO writes them: text escapes
/// backslashes, control characters and the delimiter; CSV quotes a value that holds the delimiter, the quote, a line
/// break or equals the NULL string (and every value of a FORCE_QUOTE column), doubling the quote or preceding it and
/// the escape with the escape character. Binary COPY's fixed header and trailer live here too.
/// </summary>
internal sealed class CopyRowFormatter
{
    /// <summary>"PGCOPY\n\377\r\n\0", then no flags and no header extension.</summary>
    public static readonly byte[] BinaryHeader = [.. "PGCOPY\n"u8, 0xFF, (byte)'\r', (byte)'\n', 0, 0, 0, 0, 0, 0, 0, 0, 0];

    /// <summary>A field count of -1 ends binary COPY data.</summary>
    public static readonly byte[] BinaryTrailer = [0xFF, 0xFF];

    private readonly CopyOptions _options;
    private readonly byte _delimiter;
    private readonly byte _quote;
    private readonly byte _escape;
    private readonly byte[] _null;
    private readonly bool[] _forceQuote;

    public CopyRowFormatter(CopyOptions options, IReadOnlyList<string> columns)
    {
        _options = options;
        _delimiter = (byte)options.Delimiter;
        _quote = (byte)options.Quote;
        _escape = (byte)options.Escape;
        _null = System.Text.Encoding.UTF8.GetBytes(options.NullText);
        _forceQuote = new bool[columns.Count];
        if (options.ForceQuoteAll) Array.Fill(_forceQuote, true);
        foreach (var name in options.ForceQuote ?? [])
        {
            var index = columns.ToList().FindIndex(c => c == name);
            if (index < 0) throw new PgErrorException(SqlState.UndefinedColumn, $"column \"{name}\" does not exist");
            _forceQuote[index] = true;
        }
    }

    private bool Csv => _options.Format == CopyFormat.Csv;

    /// <summary>Formats a header line from column names.</summary>
    public void WriteHeader(IEnumerable<string> names, ArrayBufferWriter<byte> line)
    {
        var i = 0;
        foreach (var name in names)
        {
            if (i > 0) Put(line, _delimiter);
            WriteValue(System.Text.Encoding.UTF8.GetBytes(name), line, force: false);
            i++;
        }
        Put(line, (byte)'\n');
    }

    /// <summary>Formats one DataRow (type byte, length, field count, fields) as a line.</summary>
    public void WriteRow(ReadOnlySpan<byte> dataRow, ArrayBufferWriter<byte> line)
    {
        var count = BinaryPrimitives.ReadInt16BigEndian(dataRow[5..]);
        var p = 7;
        for (var i = 0; i < count; i++)
        {
            if (i > 0) Put(line, _delimiter);
            var length = BinaryPrimitives.ReadInt32BigEndian(dataRow[p..]);
            p += 4;
            if (length < 0)
            {
                line.Write(_null);
                continue;
            }
            WriteValue(dataRow.Slice(p, length), line, i < _forceQuote.Length && _forceQuote[i]);
            p += length;
        }
        Put(line, (byte)'\n');
    }

    private void WriteValue(ReadOnlySpan<byte> value, ArrayBufferWriter<byte> line, bool force)
    {
        if (Csv)
        {
            var quote = force || value.IndexOfAny([_delimiter, _quote, (byte)'\n', (byte)'\r']) >= 0
                || (value.Length == _null.Length && value.SequenceEqual(_null))
                // A line of \. alone would end the data: a single column's value is quoted then.
                || (_forceQuote.Length == 1 && value.Length == 2 && value[0] == (byte)'\\' && value[1] == (byte)'.');
            if (!quote)
            {
                line.Write(value);
                return;
            }
            Put(line, _quote);
            foreach (var b in value)
            {
                if (b == _quote || b == _escape) Put(line, _escape);
                Put(line, b);
            }
            Put(line, _quote);
            return;
        }
        foreach (var b in value)
        {
            switch (b)
            {
                case (byte)'\\': Put(line, (byte)'\\'); Put(line, (byte)'\\'); break;
                case (byte)'\n': Put(line, (byte)'\\'); Put(line, (byte)'n'); break;
                case (byte)'\r': Put(line, (byte)'\\'); Put(line, (byte)'r'); break;
                case (byte)'\t': Put(line, (byte)'\\'); Put(line, (byte)'t'); break;
                case 8: Put(line, (byte)'\\'); Put(line, (byte)'b'); break;
                case 12: Put(line, (byte)'\\'); Put(line, (byte)'f'); break;
                case 11: Put(line, (byte)'\\'); Put(line, (byte)'v'); break;
                default:
                    if (b == _delimiter) Put(line, (byte)'\\');
                    Put(line, b);
                    break;
            }
        }
    }

    private static void Put(ArrayBufferWriter<byte> w, byte b)
    {
        w.GetSpan(1)[0] = b;
        w.Advance(1);
    }
}
