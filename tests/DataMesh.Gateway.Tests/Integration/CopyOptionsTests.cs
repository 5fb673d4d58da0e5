using DataMesh.Gateway.Tests.Infrastructure;
using Npgsql;

namespace DataMesh.Gateway.Tests.Integration;

/// <summary>
/// COPY … TO STDOUT with the option spellings clients send (the parenthesised list, the old keywords with AS,
/// E'\t' strings, PDO's TO STDIN) writes exactly what PostgreSQL 15.18 wrote for the same statement, byte for byte,
/// binary format included; refused option combinations get PostgreSQL's SQLSTATE and message.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class CopyOptionsTests(GatewayFixture gateway)
{
    private const string Rows =
        "(SELECT * FROM (VALUES (1, 'a,b', NULL::text, 'say \"hi\"'), (2, E'tab\\there\\nnew', 'x', ''), (3, 'back\\slash', 'y', 'q|p')) v(i, t, n, q) ORDER BY i)";

    private async Task<NpgsqlConnection> OpenAsync()
    {
        var connection = new NpgsqlConnection(gateway.ConnectionString("bob", database: "ml_research"));
        await connection.OpenAsync();
        return connection;
    }

    [Theory]
    [InlineData("", "1\ta,b\t\\N\tsay \"hi\"\n2\ttab\\there\\nnew\tx\t\n3\tback\\\\slash\ty\tq|p\n")]
    [InlineData("WITH CSV HEADER", "i,t,n,q\n1,\"a,b\",,\"say \"\"hi\"\"\"\n2,\"tab\there\nnew\",x,\"\"\n3,back\\slash,y,q|p\n")]
    [InlineData("WITH (FORMAT csv, HEADER, FORCE_QUOTE (t, q))", "i,t,n,q\n1,\"a,b\",,\"say \"\"hi\"\"\"\n2,\"tab\there\nnew\",x,\"\"\n3,\"back\\slash\",y,\"q|p\"\n")]
    [InlineData("WITH (FORMAT csv, FORCE_QUOTE *, QUOTE '''', ESCAPE '\\')", "'1','a,b',,'say \"hi\"'\n'2','tab\there\nnew','x',''\n'3','back\\\\slash','y','q|p'\n")]
    [InlineData("WITH DELIMITER AS ',' NULL AS 'NULL'", "1,a\\,b,NULL,say \"hi\"\n2,tab\\there\\nnew,x,\n3,back\\\\slash,y,q|p\n")]
    [InlineData("WITH DELIMITER E'\\t' NULL AS E'\\\\N'", "1\ta,b\t\\N\tsay \"hi\"\n2\ttab\\there\\nnew\tx\t\n3\tback\\\\slash\ty\tq|p\n")]
    [InlineData("WITH (FORMAT text, HEADER true, DELIMITER '|')", "i|t|n|q\n1|a,b|\\N|say \"hi\"\n2|tab\\there\\nnew|x|\n3|back\\\\slash|y|q\\|p\n")]
    [InlineData("WITH CSV HEADER DELIMITER ';' FORCE QUOTE t", "i;t;n;q\n1;\"a,b\";;\"say \"\"hi\"\"\"\n2;\"tab\there\nnew\";x;\"\"\n3;\"back\\slash\";y;q|p\n")]
    [InlineData("WITH (FORMAT csv, ENCODING 'UTF8')", "1,\"a,b\",,\"say \"\"hi\"\"\"\n2,\"tab\there\nnew\",x,\"\"\n3,back\\slash,y,q|p\n")]
    public async Task Text_and_csv_output_is_PostgreSQLs(string options, string expected)
    {
        await using var connection = await OpenAsync();
        using var reader = await connection.BeginTextExportAsync($"COPY {Rows} TO STDOUT {options}");
        Assert.Equal(expected, await reader.ReadToEndAsync());
    }

    [Fact]
    public async Task PDOs_copy_to_stdin_is_copy_to_stdout()
    {
        // What PDO's pgsqlCopyToArray sends: PostgreSQL reads STDIN after TO as the client, like STDOUT.
        await using var connection = await OpenAsync();
        using var reader = await connection.BeginTextExportAsync($"COPY {Rows} TO STDIN WITH DELIMITER E'\\t' NULL AS E'\\\\N'");
        Assert.Equal("1\ta,b\t\\N\tsay \"hi\"\n2\ttab\\there\\nnew\tx\t\n3\tback\\\\slash\ty\tq|p\n", await reader.ReadToEndAsync());
    }

    [Theory]
    [InlineData("WITH (FORMAT binary)")]
    [InlineData("WITH BINARY")]
    public async Task Binary_output_is_PostgreSQLs_byte_for_byte(string options)
    {
        const string Expected = "5047434f50590aff0d0a0000000000000000000004000000040000000100000003612c62ffffffff000000087361792022686922000400000004000000020000000c74616209686572650a6e6577000000017800000000000400000004000000030000000a6261636b5c736c617368000000017900000003717c70ffff";
        await using var connection = await OpenAsync();
        await using var stream = await connection.BeginRawBinaryCopyAsync($"COPY {Rows} TO STDOUT {options}");
        using var bytes = new MemoryStream();
        await stream.CopyToAsync(bytes);
        Assert.Equal(Expected, Convert.ToHexStringLower(bytes.ToArray()));
    }

    [Theory]
    [InlineData("WITH (FORMAT binary, HEADER)", "0A000", "cannot specify HEADER in BINARY mode")]
    [InlineData("WITH (FORMAT binary, DELIMITER ',')", "42601", "cannot specify DELIMITER in BINARY mode")]
    [InlineData("WITH (FORMAT csv, QUOTE 'ab')", "0A000", "COPY quote must be a single one-byte character")]
    [InlineData("WITH (FORMAT text, QUOTE '\"')", "0A000", "COPY quote available only in CSV mode")]
    [InlineData("WITH (DELIMITER ',', DELIMITER ';')", "42601", "conflicting or redundant options")]
    [InlineData("WITH (FORMAT xml)", "22023", "COPY format \"xml\" not recognized")]
    [InlineData("WITH (FORMAT csv, FORCE_QUOTE (nope))", "42703", "column \"nope\" does not exist")]
    [InlineData("WITH (FORMAT csv, NULL 'a,b')", "0A000", "COPY delimiter must not appear in the NULL specification")]
    [InlineData("WITH (BOGUS 1)", "42601", "option \"bogus\" not recognized")]
    [InlineData("WITH (DELIMITER 'ab')", "0A000", "COPY delimiter must be a single one-byte character")]
    public async Task Refused_options_get_PostgreSQLs_error(string options, string state, string message)
    {
        await using var connection = await OpenAsync();
        var e = await Assert.ThrowsAsync<PostgresException>(async () =>
        {
            using var reader = await connection.BeginTextExportAsync($"COPY {Rows} TO STDOUT {options}");
            await reader.ReadToEndAsync();
        });
        Assert.Equal((state, message), (e.SqlState, e.MessageText));
        await using var command = new NpgsqlCommand("SELECT 1", connection);
        Assert.Equal(1, await command.ExecuteScalarAsync());
    }
}
