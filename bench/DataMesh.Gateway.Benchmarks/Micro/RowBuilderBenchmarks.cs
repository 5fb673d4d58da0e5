using System.Text;
using BenchmarkDotNet.Attributes;
using DataMesh.Gateway.Protocol.Messages.Backend;
using DataMesh.Gateway.Protocol.Messages.Frontend;
using DataMesh.Gateway.Protocol.Types.Codecs;

namespace DataMesh.Gateway.Benchmarks.Micro;

/// <summary>
/// Pure codec cost: 1,000 precomputed lineitem rows encoded cell by cell with the protocol codecs into
/// <see cref="DataRowBuilder"/>, no DuckDB involved. One operation = 1,000 rows, so ns/row = Mean / 1,000.
/// </summary>
[Config(typeof(BenchConfig))]
[MemoryDiagnoser]
public class RowBuilderBenchmarks
{
    private const int RowCount = 1000;
    private readonly DiscardingBufferWriter _sink = new();

    private long[] _orderKey = null!, _partKey = null!, _suppKey = null!;
    private int[] _lineNumber = null!, _shipDate = null!, _commitDate = null!, _receiptDate = null!;
    private long[] _quantity = null!, _price = null!, _discount = null!, _tax = null!;
    private byte[][] _returnFlag = null!, _lineStatus = null!, _shipInstruct = null!, _shipMode = null!, _comment = null!;

    [Params(4, 16)]
    public int Columns { get; set; }

    [Params(FormatCode.Text, FormatCode.Binary)]
    public FormatCode Format { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        string[] flags = ["A", "N", "R"], status = ["F", "O"], instruct = ["DELIVER IN PERSON", "COLLECT COD", "NONE", "TAKE BACK RETURN"],
            modes = ["REG AIR", "AIR", "RAIL", "SHIP", "TRUCK", "MAIL", "FOB"];
        const string text = "carefully final deposits detect slyly agai quickly regular packages wake furiously ironic ideas among the";
        var n = RowCount;
        _orderKey = new long[n]; _partKey = new long[n]; _suppKey = new long[n]; _lineNumber = new int[n];
        _quantity = new long[n]; _price = new long[n]; _discount = new long[n]; _tax = new long[n];
        _shipDate = new int[n]; _commitDate = new int[n]; _receiptDate = new int[n];
        _returnFlag = new byte[n][]; _lineStatus = new byte[n][]; _shipInstruct = new byte[n][]; _shipMode = new byte[n][]; _comment = new byte[n][];
        for (var i = 0; i < n; i++)
        {
            _orderKey[i] = i / 4 + 1; _partKey[i] = i * 7919L % 200000 + 1; _suppKey[i] = i * 104729L % 10000 + 1; _lineNumber[i] = i % 4 + 1;
            _quantity[i] = (i % 50 + 1) * 100; _price[i] = i * 31L % 10000000 + 90000; _discount[i] = i % 11; _tax[i] = i % 9;
            _shipDate[i] = 8036 + i % 2500; _commitDate[i] = 8065 + i * 7 % 2500; _receiptDate[i] = 8037 + i % 2500 + i % 30;
            _returnFlag[i] = Encoding.UTF8.GetBytes(flags[i % 3]); _lineStatus[i] = Encoding.UTF8.GetBytes(status[i % 2]);
            _shipInstruct[i] = Encoding.UTF8.GetBytes(instruct[i % 4]); _shipMode[i] = Encoding.UTF8.GetBytes(modes[i % 7]);
            _comment[i] = Encoding.UTF8.GetBytes(text.Substring(i % 40, 10 + i % 33));
        }
    }

    [Benchmark]
    public long EncodeRows()
    {
        _sink.Reset();
        var binary = Format == FormatCode.Binary;
        for (var i = 0; i < RowCount; i++)
        {
            var span = _sink.GetSpan(512);
            var row = new DataRowBuilder(span, (short)Columns);
            if (Columns == 4)
            {
                Int8(ref row, _orderKey[i], binary);
                Numeric(ref row, _price[i], binary);
                Date(ref row, _shipDate[i], binary);
                Text(ref row, _shipMode[i]);
            }
            else
            {
                Int8(ref row, _orderKey[i], binary);
                Int8(ref row, _partKey[i], binary);
                Int8(ref row, _suppKey[i], binary);
                Int4(ref row, _lineNumber[i], binary);
                Numeric(ref row, _quantity[i], binary);
                Numeric(ref row, _price[i], binary);
                Numeric(ref row, _discount[i], binary);
                Numeric(ref row, _tax[i], binary);
                Text(ref row, _returnFlag[i]);
                Text(ref row, _lineStatus[i]);
                Date(ref row, _shipDate[i], binary);
                Date(ref row, _commitDate[i], binary);
                Date(ref row, _receiptDate[i], binary);
                Text(ref row, _shipInstruct[i]);
                Text(ref row, _shipMode[i]);
                Text(ref row, _comment[i]);
            }
            var length = row.Finish();
            if (length < 0) throw new InvalidOperationException("row overflowed");
            _sink.Advance(length);
        }
        return _sink.BytesWritten;
    }

    private static void Int8(ref DataRowBuilder row, long value, bool binary)
    {
        int written;
        var ok = binary ? IntegerCodecs.TryWriteInt8(value, row.Free, out written) : IntegerCodecs.TryWriteText(value, row.Free, out written);
        Commit(ref row, ok, written);
    }

    private static void Int4(ref DataRowBuilder row, int value, bool binary)
    {
        int written;
        var ok = binary ? IntegerCodecs.TryWriteInt4(value, row.Free, out written) : IntegerCodecs.TryWriteText(value, row.Free, out written);
        Commit(ref row, ok, written);
    }

    private static void Numeric(ref DataRowBuilder row, long unscaled, bool binary)
    {
        int written;
        var ok = binary ? NumericCodec.TryWriteBinary(unscaled, 2, row.Free, out written) : NumericCodec.TryWriteText(unscaled, 2, row.Free, out written);
        Commit(ref row, ok, written);
    }

    private static void Date(ref DataRowBuilder row, int days, bool binary)
    {
        int written;
        var ok = binary ? DateTimeCodecs.TryWriteDateBinary(days, row.Free, out written) : DateTimeCodecs.TryWriteDateText(days, row.Free, out written);
        Commit(ref row, ok, written);
    }

    private static void Text(ref DataRowBuilder row, byte[] utf8) => Commit(ref row, TextCodec.TryWriteUtf8(utf8, row.Free, out var written), written);

    private static void Commit(ref DataRowBuilder row, bool ok, int written)
    {
        if (ok) row.Commit(written);
        else row.MarkOverflow();
    }
}
