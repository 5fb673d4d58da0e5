using DataMesh.Gateway.Tests.Infrastructure;
using Npgsql;
using NpgsqlTypes;

namespace DataMesh.Gateway.Tests.Integration;

/// <summary>Every supported type round-trips through Npgsql as a binary parameter and as a binary and a text result.</summary>
[Collection(GatewayCollection.Name)]
public sealed class NpgsqlTypeTests(GatewayFixture gateway)
{
    public static TheoryData<string, object, NpgsqlDbType> Values => new()
    {
        { "bool true", true, NpgsqlDbType.Boolean },
        { "bool false", false, NpgsqlDbType.Boolean },
        { "int2", (short)-12345, NpgsqlDbType.Smallint },
        { "int4", int.MinValue, NpgsqlDbType.Integer },
        { "int8", long.MaxValue, NpgsqlDbType.Bigint },
        { "float4", 3.25f, NpgsqlDbType.Real },
        { "float4 NaN", float.NaN, NpgsqlDbType.Real },
        { "float8", -1.5e300, NpgsqlDbType.Double },
        { "float8 +inf", double.PositiveInfinity, NpgsqlDbType.Double },
        { "float8 -inf", double.NegativeInfinity, NpgsqlDbType.Double },
        { "float8 NaN", double.NaN, NpgsqlDbType.Double },
        { "numeric", 12345.6789m, NpgsqlDbType.Numeric },
        { "numeric negative small", -0.00012m, NpgsqlDbType.Numeric },
        { "numeric big", 79228162514264337593543950335m, NpgsqlDbType.Numeric },
        { "numeric zero", 0m, NpgsqlDbType.Numeric },
        { "text", "héllo wörld ✓ 'quoted' \"double\"", NpgsqlDbType.Text },
        { "text empty", "", NpgsqlDbType.Text },
        { "varchar", "varchar value", NpgsqlDbType.Varchar },
        { "bytea", new byte[] { 0, 1, 2, 254, 255 }, NpgsqlDbType.Bytea },
        { "date", new DateOnly(2024, 2, 29), NpgsqlDbType.Date },
        { "date old", new DateOnly(1066, 10, 14), NpgsqlDbType.Date },
        { "time", new TimeOnly(23, 59, 58, 123), NpgsqlDbType.Time },
        { "timestamp", new DateTime(2021, 7, 4, 12, 30, 15, 250, DateTimeKind.Unspecified), NpgsqlDbType.Timestamp },
        { "timestamptz", new DateTime(1999, 12, 31, 23, 59, 59, DateTimeKind.Utc), NpgsqlDbType.TimestampTz },
        { "interval", new TimeSpan(3, 4, 5, 6, 7), NpgsqlDbType.Interval },
        { "interval negative", TimeSpan.FromHours(-30), NpgsqlDbType.Interval },
        { "uuid", Guid.Parse("3f2504e0-4f89-11d3-9a0c-0305e82c3301"), NpgsqlDbType.Uuid },
        { "json", "{\"a\": [1, 2, {\"b\": null}]}", NpgsqlDbType.Json },
        { "int4[]", new[] { 1, -2, 3 }, NpgsqlDbType.Array | NpgsqlDbType.Integer },
        { "int8[]", new long[] { long.MinValue, 0, long.MaxValue }, NpgsqlDbType.Array | NpgsqlDbType.Bigint },
        { "text[]", new[] { "a", "b c", "", "q\"uote", "NULL" }, NpgsqlDbType.Array | NpgsqlDbType.Text },
        { "float8[]", new[] { 1.5, -2.25 }, NpgsqlDbType.Array | NpgsqlDbType.Double },
        { "bool[]", new[] { true, false }, NpgsqlDbType.Array | NpgsqlDbType.Boolean },
        { "date[]", new[] { new DateOnly(2020, 1, 1), new DateOnly(2020, 12, 31) }, NpgsqlDbType.Array | NpgsqlDbType.Date },
    };

    [Theory]
    [MemberData(nameof(Values))]
    public async Task Binary_parameter_round_trips_as_binary_result(string label, object value, NpgsqlDbType type)
    {
        await using var connection = await gateway.OpenAsync();
        await using var cmd = new NpgsqlCommand("SELECT @p AS v", connection);
        cmd.Parameters.Add(new NpgsqlParameter("p", type) { Value = value });
        await using var reader = await cmd.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync(), label);
        var back = reader.GetValue(0);
        AssertEquivalent(value, back, label);
    }

    [Theory]
    [MemberData(nameof(Values))]
    public async Task Null_parameter_round_trips(string label, object value, NpgsqlDbType type)
    {
        _ = value;
        await using var connection = await gateway.OpenAsync();
        await using var cmd = new NpgsqlCommand("SELECT @p IS NULL, @p", connection);
        cmd.Parameters.Add(new NpgsqlParameter("p", type) { Value = DBNull.Value });
        await using var reader = await cmd.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync(), label);
        Assert.True(reader.GetBoolean(0), label);
        Assert.True(reader.IsDBNull(1), label);
    }

    [Theory]
    [InlineData("SELECT true", "t")]
    [InlineData("SELECT 42::SMALLINT", "42")]
    [InlineData("SELECT -7::INTEGER", "-7")]
    [InlineData("SELECT 9223372036854775807::BIGINT", "9223372036854775807")]
    [InlineData("SELECT 1.5::REAL", "1.5")]
    [InlineData("SELECT 'NaN'::DOUBLE", "NaN")]
    [InlineData("SELECT 'Infinity'::DOUBLE", "Infinity")]
    [InlineData("SELECT '-Infinity'::DOUBLE", "-Infinity")]
    [InlineData("SELECT 1e20::DOUBLE", "1e+20")]
    [InlineData("SELECT 12.30::DECIMAL(10,2)", "12.30")]
    [InlineData("SELECT -0.05::DECIMAL(10,3)", "-0.050")]
    [InlineData("SELECT 123456789012345678901234567890::HUGEINT", "123456789012345678901234567890")]
    [InlineData("SELECT 'text'::VARCHAR", "text")]
    [InlineData("SELECT '\\x00\\xFF'::BLOB", "\\x00ff")]
    [InlineData("SELECT DATE '2024-02-29'", "2024-02-29")]
    [InlineData("SELECT 'infinity'::DATE", "infinity")]
    [InlineData("SELECT TIME '01:02:03.5'", "01:02:03.5")]
    [InlineData("SELECT TIMESTAMP '2021-07-04 12:30:15.25'", "2021-07-04 12:30:15.25")]
    [InlineData("SELECT TIMESTAMPTZ '2021-07-04 12:30:15+00'", "2021-07-04 12:30:15+00")]
    [InlineData("SELECT INTERVAL '1 year 2 months 3 days 04:05:06'", "1 year 2 mons 3 days 04:05:06")]
    [InlineData("SELECT INTERVAL '-3 days'", "-3 days")]
    [InlineData("SELECT '3f2504e0-4f89-11d3-9a0c-0305e82c3301'::UUID", "3f2504e0-4f89-11d3-9a0c-0305e82c3301")]
    [InlineData("SELECT [1, 2, NULL]::INTEGER[]", "{1,2,NULL}")]
    [InlineData("SELECT ['a', 'b c', '']", "{a,\"b c\",\"\"}")]
    [InlineData("SELECT {'a': 1, 'b': 'x'}", "{'a': 1, 'b': x}")]
    [InlineData("SELECT MAP {'k': 2}", "{k=2}")]
    public async Task Text_results_use_postgres_text_formats(string sql, string expected)
    {
        await using var connection = await gateway.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, connection) { AllResultTypesAreUnknown = true };
        Assert.Equal(expected, (string?)await cmd.ExecuteScalarAsync());
    }

    [Theory]
    [InlineData("SELECT 1::TINYINT", 21)]
    [InlineData("SELECT 1::SMALLINT", 21)]
    [InlineData("SELECT 1::INTEGER", 23)]
    [InlineData("SELECT 1::BIGINT", 20)]
    [InlineData("SELECT 1::UINTEGER", 20)]
    [InlineData("SELECT 1::UBIGINT", 1700)]
    [InlineData("SELECT 1::HUGEINT", 1700)]
    [InlineData("SELECT 1.5::REAL", 700)]
    [InlineData("SELECT 1.5::DOUBLE", 701)]
    [InlineData("SELECT 1.5::DECIMAL(12,2)", 1700)]
    [InlineData("SELECT 'x'", 25)]
    [InlineData("SELECT '{}'::JSON", 114)]
    [InlineData("SELECT ''::BLOB", 17)]
    [InlineData("SELECT DATE '2020-01-01'", 1082)]
    [InlineData("SELECT TIME '01:00'", 1083)]
    [InlineData("SELECT TIMESTAMP '2020-01-01'", 1114)]
    [InlineData("SELECT TIMESTAMPTZ '2020-01-01'", 1184)]
    [InlineData("SELECT INTERVAL '1 day'", 1186)]
    [InlineData("SELECT gen_random_uuid()", 2950)]
    [InlineData("SELECT [1]", 1007)]
    [InlineData("SELECT ['a']", 1009)]
    [InlineData("SELECT [1::BIGINT]", 1016)]
    [InlineData("SELECT {'a': 1}", 25)]
    [InlineData("SELECT [[1]]", 25)]
    public async Task Row_description_carries_real_type_oids(string sql, int oid)
    {
        await using var connection = await gateway.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, connection);
        await using var reader = await cmd.ExecuteReaderAsync();
        Assert.Equal((uint)oid, reader.GetDataTypeOID(0));
    }

    [Fact]
    public async Task Numeric_typmod_reports_precision_and_scale()
    {
        await using var connection = await gateway.OpenAsync();
        await using var cmd = new NpgsqlCommand("SELECT amount FROM marketing.mkt_sls_table LIMIT 1", connection);
        await using var reader = await cmd.ExecuteReaderAsync();
        var column = (await reader.GetColumnSchemaAsync())[0];
        Assert.Equal(12, column.NumericPrecision);
        Assert.Equal(2, column.NumericScale);
        Assert.Equal("numeric", column.DataTypeName!.Split('(')[0]);
    }

    [Fact]
    public async Task Demo_table_reads_with_typed_getters()
    {
        await using var connection = await gateway.OpenAsync();
        await using var cmd = new NpgsqlCommand(
            "SELECT item_id, sales_qty_sld, region, sale_date, amount, customer_email FROM marketing.mkt_sls_table WHERE item_id = 5", connection);
        await using var reader = await cmd.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal(5L, reader.GetInt64(0));
        Assert.Equal(1 + 5 * 7919 % 50, reader.GetInt32(1));
        Assert.Equal("North America", reader.GetString(2)); // ['Europe','North America','Asia','South America'][1 + 5 % 4], 1-based
        Assert.Equal(new DateOnly(2023, 1, 1).AddDays(5 * 31 % 730), reader.GetFieldValue<DateOnly>(3));
        Assert.Equal(5 * 104729 % 100000 / 100m, reader.GetDecimal(4));
        Assert.Equal("customer5@example.com", reader.GetString(5));
        Assert.False(await reader.ReadAsync());
    }

    private static void AssertEquivalent(object expected, object actual, string label)
    {
        switch (expected)
        {
            case float f when float.IsNaN(f):
                Assert.True(actual is float a && float.IsNaN(a), label);
                break;
            case double d when double.IsNaN(d):
                Assert.True(actual is double a2 && double.IsNaN(a2), label);
                break;
            case DateOnly date:
                Assert.Equal(date, actual is DateTime dt ? DateOnly.FromDateTime(dt) : (DateOnly)actual);
                break;
            case TimeOnly time:
                Assert.Equal(time, actual is TimeSpan ts ? TimeOnly.FromTimeSpan(ts) : (TimeOnly)actual);
                break;
            case DateOnly[] dates:
                Assert.Equal(dates, ((Array)actual).Cast<object>().Select(o => o is DateTime dt2 ? DateOnly.FromDateTime(dt2) : (DateOnly)o).ToArray());
                break;
            case DateTime { Kind: DateTimeKind.Utc } utc:
                var back = Assert.IsType<DateTime>(actual);
                Assert.Equal(DateTimeKind.Utc, back.Kind);
                Assert.Equal(utc, back);
                break;
            default:
                Assert.Equal(expected, actual);
                break;
        }
    }
}
