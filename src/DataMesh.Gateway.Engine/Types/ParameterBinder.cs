using System.Globalization;
using System.Numerics;
using DataMesh.Gateway.Protocol.Errors;
using DataMesh.Gateway.Protocol.Types;
using DataMesh.Gateway.Protocol.Types.Codecs;
using DuckDB.NET.Native;
using static DuckDB.NET.Native.NativeMethods.Value;

namespace DataMesh.Gateway.Engine.Types;

/// <summary>Turns decoded Bind parameters into typed DuckDB values, so the engine never re-parses user text.</summary>
internal static class ParameterBinder
{
    public static void Bind(DuckDBPreparedStatement statement, IReadOnlyList<object?> values)
    {
        NativeMethods.PreparedStatements.DuckDBParams(statement);
        for (var i = 0; i < values.Count; i++)
        {
            using var value = ToValue(values[i]);
            if (NativeMethods.PreparedStatements.DuckDBBindValue(statement, i + 1, value) != DuckDBState.Success)
                throw new PgErrorException(SqlState.DatatypeMismatch,
                    $"could not bind parameter ${i + 1}: {NativeMethods.PreparedStatements.DuckDBPrepareError(statement)}");
        }
    }

    public static DuckDBValue ToValue(object? value) => value switch
    {
        null => DuckDBCreateNullValue(),
        bool b => DuckDBCreateBool(b),
        short s => DuckDBCreateInt16(s),
        int i => DuckDBCreateInt32(i),
        long l => DuckDBCreateInt64(l),
        float f => DuckDBCreateFloat(f),
        double d => DuckDBCreateDouble(d),
        string s => DuckDBCreateVarchar(s),
        byte[] bytes => DuckDBCreateBlob(bytes, bytes.Length),
        Guid g => DuckDBCreateVarchar(g.ToString("D")),
        PgDate d => DuckDBCreateDate(new DuckDBDate { Days = d.UnixDays }),
        PgTime t => DuckDBCreateTime(new DuckDBTime { Micros = t.Micros }),
        PgTimestamp ts => ts.WithZone
            ? DuckDBCreateTimestampTz(new DuckDBTimestampStruct { Micros = ts.UnixMicros })
            : DuckDBCreateTimestamp(new DuckDBTimestampStruct { Micros = ts.UnixMicros }),
        PgInterval iv => DuckDBCreateInterval(new DuckDBInterval(iv.Months, iv.Days, unchecked((ulong)iv.Micros))),
        PgNumeric n => Numeric(n.Text),
        PgArray a => List(a),
        _ => throw new PgErrorException(SqlState.FeatureNotSupported, $"parameters of CLR type {value.GetType().Name} are not supported"),
    };

    private static DuckDBValue Numeric(string text)
    {
        // NumericInput gives the special values in PostgreSQL's spelling; DECIMAL has none of them, DOUBLE does.
        if (text.Equals("NaN", StringComparison.OrdinalIgnoreCase)) return DuckDBCreateDouble(double.NaN);
        if (text == "Infinity") return DuckDBCreateDouble(double.PositiveInfinity);
        if (text == "-Infinity") return DuckDBCreateDouble(double.NegativeInfinity);
        var t = text.Trim();
        var negative = t.StartsWith('-');
        var body = t.TrimStart('-', '+');
        var dot = body.IndexOf('.');
        var integerPart = dot < 0 ? body : body[..dot];
        var fraction = dot < 0 ? "" : body[(dot + 1)..];
        var digits = (integerPart + fraction).TrimStart('0');
        if (body.Length == 0 || !(integerPart + fraction).All(char.IsAsciiDigit))
            throw new PgErrorException(SqlState.InvalidTextRepresentation, $"invalid input syntax for type numeric: \"{text}\"");
        if (fraction.Length > 38 || digits.Length > 38)
            return DuckDBCreateDouble(double.Parse(t, CultureInfo.InvariantCulture)); // beyond DECIMAL(38): closest double
        var unscaled = BigInteger.Parse("0" + integerPart + fraction, CultureInfo.InvariantCulture);
        if (negative) unscaled = -unscaled;
        var scale = (byte)fraction.Length;
        var width = (byte)Math.Max(Math.Max(integerPart.TrimStart('0').Length + fraction.Length, scale), 1);
        return DuckDBCreateDecimal(new DuckDBDecimal(width, scale, new DuckDBHugeInt(unscaled)));
    }

    private static DuckDBValue List(PgArray array)
    {
        using var elementType = NativeMethods.LogicalType.DuckDBCreateLogicalType(ElementType(array.ElementOid));
        // Numeric elements of different precision cannot share one DECIMAL type: send their exact text and let
        // the engine cast the list to the column's type.
        var source = array.ElementOid == PgTypes.Numeric
            ? array.Items.Select(x => x is PgNumeric n ? (object)n.Text : null)
            : array.Items;
        var items = source.Select(ToValue).ToArray();
        try
        {
            return DuckDBCreateListValue(elementType, items, items.Length);
        }
        finally
        {
            foreach (var item in items) item.Dispose();
        }
    }

    private static DuckDBType ElementType(int oid) => oid switch
    {
        PgTypes.Bool => DuckDBType.Boolean,
        PgTypes.Int2 => DuckDBType.SmallInt,
        PgTypes.Int4 => DuckDBType.Integer,
        PgTypes.Int8 => DuckDBType.BigInt,
        PgTypes.Float4 => DuckDBType.Float,
        PgTypes.Float8 => DuckDBType.Double,
                PgTypes.Bytea => DuckDBType.Blob,
        PgTypes.Date => DuckDBType.Date,
        PgTypes.Time => DuckDBType.Time,
        PgTypes.Timestamp => DuckDBType.Timestamp,
        PgTypes.TimestampTz => DuckDBType.TimestampTz,
        PgTypes.Interval => DuckDBType.Interval,
        _ => DuckDBType.Varchar,
    };
}
