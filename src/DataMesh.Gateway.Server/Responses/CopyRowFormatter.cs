using System.Buffers;
using System.Buffers.Binary;

namespace DataMesh.Gateway.Server.Responses;

/// <summary>Turns text-format DataRow messages into COPY text or CSV lines.</summary>
internal sealed class CopyRowFormatter(Sql.Statements.CopyOutStatement command)
{
    private readonly byte _delimiter = (byte)command.Delimiter;
    private readonly byte[] _null = System.Text.Encoding.UTF8.GetBytes(command.NullText);

    /// <summary>Formats a header line from column names (CSV only).</summary>
    public void WriteHeader(IEnumerable<string> names, ArrayBufferWriter<byte> line)
    {
        var first = true;
        foreach (var name in names)
        {
            if (!first) Put(line, _delimiter);
            first = false;
            WriteValue(System.Text.Encoding.UTF8.GetBytes(name), line);
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
            WriteValue(dataRow.Slice(p, length), line);
            p += length;
        }
        Put(line, (byte)'\n');
    }

    private void WriteValue(ReadOnlySpan<byte> value, ArrayBufferWriter<byte> line)
    {
        if (command.Csv)
        {
            var quote = value.IndexOfAny([_delimiter, (byte)'"', (byte)'\n', (byte)'\r']) >= 0
                || (value.Length == _null.Length && value.SequenceEqual(_null));
            if (!quote)
            {
                line.Write(value);
                return;
            }
            Put(line, (byte)'"');
            foreach (var b in value)
            {
                if (b == (byte)'"') Put(line, (byte)'"');
                Put(line, b);
            }
            Put(line, (byte)'"');
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
