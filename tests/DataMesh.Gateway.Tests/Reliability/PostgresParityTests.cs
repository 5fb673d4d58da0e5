using System.Buffers.Binary;
using System.Text;
using DataMesh.Gateway.Tests.Infrastructure;

namespace DataMesh.Gateway.Tests.Reliability;

/// <summary>
/// Errors that must arrive, and arrive as PostgreSQL words them: the same startup parameters, SCRAM messages and
/// Query bytes go over real sockets to the gateway and to a private PostgreSQL 15 (<see cref="RealPostgres"/>), and
/// the answers are compared field by field (severity, SQLSTATE, message, detail, hint). A refusal is always an
/// ErrorResponse that reaches the client at once, never a bare close or a reply held until the next message.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class PostgresParityTests(GatewayFixture gateway, RealPostgres postgres) : IClassFixture<RealPostgres>
{
    private sealed record Outcome(bool SignedIn, string? Severity, string? SqlState, string? Message, string? Detail, string? Hint, string? ClientEncoding)
    {
        public override string ToString() => SignedIn ? $"signed in (client_encoding {ClientEncoding})" : $"{Severity} {SqlState}: {Message} | {Detail} | {Hint}";
    }

    private async Task<Outcome> StartAsync(bool real, string database, params (string, string)[] parameters)
    {
        await using var client = real ? await postgres.ConnectAsync() : await RawClient.ConnectAsync(gateway);
        var (user, password) = real ? (RealPostgres.User, RealPostgres.Password) : ("alice", "alice");
        await client.SendAsync(RawClient.StartupMessage(user, database, extra: parameters));
        try
        {
            var messages = await RawLogin.AuthenticateAsync(client, user, password);
            var encoding = messages.Where(m => m.Type == 'S').Select(m => Encoding.UTF8.GetString(m.Payload).Split('\0'))
                .Where(p => p[0] == "client_encoding").Select(p => p[1]).FirstOrDefault();
            return new Outcome(true, null, null, null, null, null, encoding);
        }
        catch (ServerErrorException e)
        {
            // The error must be the last thing on the connection: the server closes right after it.
            Assert.True(await client.IsClosedByServerAsync(TimeSpan.FromSeconds(10)), "the connection stayed open after a FATAL error");
            return Error(e.Payload);
        }
    }

    private static Outcome Error(byte[] payload) => new(false, RawClient.Field(payload, 'S'), RawClient.SqlState(payload),
        RawClient.Field(payload, 'M'), RawClient.Field(payload, 'D'), RawClient.Field(payload, 'H'), null);

    [Theory]
    [InlineData("client_encoding", "'utf-8'")] // asyncpg sends the quotes
    [InlineData("client_encoding", "utf-8")]
    [InlineData("client_encoding", "UTF8")]
    [InlineData("client_encoding", "Unicode")]
    [InlineData("client_encoding", "\"utf8\"")]
    [InlineData("client_encoding", "u_t_f_8")]
    [InlineData("client_encoding", " utf8 ")]
    [InlineData("client_encoding", "foo")]
    [InlineData("client_encoding", "utf16")]
    [InlineData("client_encoding", "SQL_ASCII")] // no conversion at all: PostgreSQL accepts it whatever its own encoding
    [InlineData("client_encoding", "")]
    [InlineData("TimeZone", "UTC")]
    [InlineData("timezone", "utc")]
    [InlineData("TimeZone", "Etc/UTC")]
    [InlineData("TimeZone", "GMT")]
    [InlineData("TimeZone", "Zulu")]
    [InlineData("TimeZone", "+00:00")]
    [InlineData("TimeZone", "Mars/Base")]
    [InlineData("TimeZone", "")]
    [InlineData("DateStyle", "ISO, MDY")]
    [InlineData("datestyle", "iso, dmy")]
    [InlineData("DateStyle", "\"ISO\"")]
    [InlineData("DateStyle", "")]
    [InlineData("DateStyle", "foo")]
    [InlineData("DateStyle", "'ISO'")]
    [InlineData("DateStyle", "ISO, German")]
    [InlineData("IntervalStyle", "postgres")]
    [InlineData("IntervalStyle", "foo")]
    public async Task A_startup_parameter_is_accepted_or_refused_exactly_as_postgresql_does(string name, string value)
    {
        var expected = await StartAsync(real: true, "postgres", (name, value));
        var actual = await StartAsync(real: false, "postgres", (name, value));
        Assert.Equal(expected with { ClientEncoding = null }, actual with { ClientEncoding = null });
        if (actual.SignedIn) Assert.Equal(value == "SQL_ASCII" ? "SQL_ASCII" : "UTF8", actual.ClientEncoding);
        else Assert.Equal("FATAL", actual.Severity);
    }

    /// <summary>
    /// An encoding PostgreSQL knows but cannot convert the database's text to is FATAL 0A000 naming both encodings; the
    /// gateway speaks UTF8 only, so it answers every other encoding the way PostgreSQL answers one it cannot convert.
    /// </summary>
    [Theory]
    [InlineData("LATIN1", "LATIN1")]
    [InlineData("iso-8859-1", "LATIN1")]
    [InlineData("koi8", "KOI8R")]
    [InlineData("win1252", "WIN1252")]
    public async Task An_encoding_the_gateway_cannot_convert_to_is_refused_as_postgresql_refuses_one(string value, string canonical)
    {
        await postgres.ExecuteAsync("CREATE DATABASE parity_euc_jp ENCODING 'EUC_JP' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0", ignore: "42P04");
        // EUC_JP converts to none of these, as UTF8 does not in the gateway (PostgreSQL itself converts them to UTF8).
        var expected = await StartAsync(real: true, "parity_euc_jp", ("client_encoding", value));
        var actual = await StartAsync(real: false, "postgres", ("client_encoding", value));
        Assert.Equal($"conversion between {canonical} and EUC_JP is not supported", expected.Message);
        Assert.Equal(expected with { Message = expected.Message!.Replace("EUC_JP", "UTF8", StringComparison.Ordinal) }, actual);
    }

    /// <summary>Values PostgreSQL accepts but the gateway cannot honour: the same FATAL message, with 0A000 and the reason.</summary>
    [Theory]
    // IntervalStyle is honoured (every style changes interval output), so it is no longer among these.
    [InlineData("TimeZone", "Europe/Berlin", "The gateway reports times in UTC only.",
        "Use SET TIME ZONE 'UTC' (or LOCAL, DEFAULT, INTERVAL '+00:00' HOUR TO MINUTE) and convert in the client.")]
    [InlineData("DateStyle", "German", "The gateway writes dates in the ISO style only (with MDY, DMY or YMD order).", null)]
    [InlineData("DateStyle", "SQL, DMY", "The gateway writes dates in the ISO style only (with MDY, DMY or YMD order).", null)]
    public async Task A_value_postgresql_accepts_but_the_gateway_cannot_honour_is_fatal_0A000_with_the_reason(string name, string value, string detail, string? hint)
    {
        Assert.True((await StartAsync(real: true, "postgres", (name, value))).SignedIn, "the probe: PostgreSQL accepts it");
        var actual = await StartAsync(real: false, "postgres", (name, value));
        Assert.Equal(new Outcome(false, "FATAL", "0A000", $"invalid value for parameter \"{name}\": \"{value}\"", detail, hint, null), actual);
    }

    [Fact]
    public async Task A_scram_nonce_mismatch_is_what_postgresql_answers()
    {
        async Task<Outcome> Tampered(bool real)
        {
            await using var client = real ? await postgres.ConnectAsync() : await RawClient.ConnectAsync(gateway);
            var (user, password) = real ? (RealPostgres.User, RealPostgres.Password) : ("alice", "alice");
            await client.SendAsync(RawClient.StartupMessage(user, "postgres"));
            var e = await Assert.ThrowsAsync<ServerErrorException>(() => RawLogin.AuthenticateAsync(client, user, password, tamperNonce: true));
            Assert.True(await client.IsClosedByServerAsync(TimeSpan.FromSeconds(10)));
            return Error(e.Payload);
        }
        var expected = await Tampered(real: true);
        Assert.Equal(new Outcome(false, "FATAL", "08P01", "invalid SCRAM response", "Nonce does not match.", null, null), expected);
        Assert.Equal(expected, await Tampered(real: false));
    }

    /// <summary>
    /// A Query whose text is not UTF-8 is answered with 22021 naming the bad bytes, as PostgreSQL does, and at once:
    /// the test sends nothing after it and waits for the reply (before the fix it came only with the next message).
    /// </summary>
    [Theory]
    [InlineData(new byte[] { 0xff })]
    [InlineData(new byte[] { 0xc3, 0x28 })]
    [InlineData(new byte[] { 0xe2, 0x82 })]
    [InlineData(new byte[] { 0xed, 0xa0, 0x80 })]
    [InlineData(new byte[] { 0xf0, 0x9f, 0x98 })]
    public async Task A_query_that_is_not_utf8_gets_postgresqls_error_at_once_and_the_session_goes_on(byte[] bad)
    {
        async Task<Outcome> Send(bool real)
        {
            await using var client = real ? await postgres.ConnectAsync() : await RawClient.ConnectAsync(gateway);
            var (user, password) = real ? (RealPostgres.User, RealPostgres.Password) : ("alice", "alice");
            await client.SendAsync(RawClient.StartupMessage(user, "postgres"));
            await RawLogin.AuthenticateAsync(client, user, password);
            await client.SendAsync(RawClient.Message('Q', [.. "SELECT 'a"u8, .. bad, .. "'"u8, 0]));
            var replies = await client.ReadUntilAsync('Z', TimeSpan.FromSeconds(10));
            Assert.Equal(['E', 'Z'], replies.Select(r => r.Type));
            Assert.Equal((byte)'I', replies[1].Payload[0]);
            await client.SendAsync(RawClient.Query("SELECT 'still here'"));
            Assert.Contains(await client.ReadUntilAsync('Z'), m => m.Type == 'D' && Encoding.UTF8.GetString(m.Payload).Contains("still here", StringComparison.Ordinal));
            return Error(replies[0].Payload);
        }
        var expected = await Send(real: true);
        Assert.Equal("22021", expected.SqlState);
        Assert.StartsWith("invalid byte sequence for encoding \"UTF8\": 0x", expected.Message, StringComparison.Ordinal);
        Assert.Equal(expected, await Send(real: false));
    }

    /// <summary>
    /// Parameter counts are 16-bit and unsigned on the wire: PostgreSQL parses and binds more than 32,767 parameters
    /// (the gateway read them as signed and refused them FATAL). 33,000 parameters (33,000 declared types, all left to
    /// the server), bound and run.
    /// </summary>
    [Fact]
    public async Task More_than_32767_parameters_are_parsed_bound_and_run_as_in_postgresql()
    {
        const int n = 33_000;
        var sql = "SELECT count(*) FROM (VALUES (1)) v(x) WHERE 7 IN (" + string.Join(",", Enumerable.Range(1, n).Select(i => "$" + i)) + ")";
        var parse = new List<byte>();
        parse.AddRange([0, .. Encoding.UTF8.GetBytes(sql), 0, (byte)(n >> 8), unchecked((byte)n)]);
        // Declared unspecified (0): typed ones would be wrapped in casts, past the syntax-tree size limit (QueryComplexity).
        for (var i = 0; i < n; i++) parse.AddRange(RawClient.BigEndian(0));
        var bind = new List<byte> { 0, 0, 0, 0, (byte)(n >> 8), unchecked((byte)n) };
        for (var i = 0; i < n; i++) bind.AddRange([.. RawClient.BigEndian(1), (byte)(i == n - 1 ? '7' : '1')]);
        bind.AddRange([0, 0]);

        async Task<string> Run(bool real)
        {
            await using var client = real ? await postgres.ConnectAsync() : await RawClient.ConnectAsync(gateway);
            var (user, password) = real ? (RealPostgres.User, RealPostgres.Password) : ("alice", "alice");
            await client.SendAsync(RawClient.StartupMessage(user, "postgres"));
            await RawLogin.AuthenticateAsync(client, user, password);
            await client.SendAsync([.. RawClient.Message('P', [.. parse]), .. RawClient.Message('B', [.. bind]),
                .. RawClient.Message('E', [0, 0, 0, 0, 0]), .. RawClient.Message('S', [])]);
            var replies = await client.ReadUntilAsync('Z', TimeSpan.FromSeconds(60));
            if (replies.FirstOrDefault(r => r.Type == 'E') is { Payload: not null } e) return "error " + Error(e.Payload);
            var row = replies.Single(r => r.Type == 'D').Payload;
            return Encoding.UTF8.GetString(row, 6, BinaryPrimitives.ReadInt32BigEndian(row.AsSpan(2)));
        }
        Assert.Equal("1", await Run(real: true));
        Assert.Equal("1", await Run(real: false));
    }

    /// <summary>
    /// A statement referring to more parameters than a 16-bit count can carry can never be bound. PostgreSQL 15 parses
    /// it anyway and describes it with the count wrapped (70,000 parameters are described as 4,464: a malformed
    /// ParameterDescription, the probe below); the gateway refuses it at Parse with 54000 before the engine sees it, and
    /// the session goes on.
    /// </summary>
    [Theory]
    [InlineData(70_000)]
    [InlineData(65_536)]
    public async Task A_parse_with_more_than_65535_parameters_is_refused_at_once(int n)
    {
        var sql = "SELECT 1 WHERE 0 IN (" + string.Join(",", Enumerable.Range(1, n).Select(i => $"${i}::int")) + ")";
        byte[] parse = [.. RawClient.Message('P', [0, .. Encoding.UTF8.GetBytes(sql), 0, 0, 0]), .. RawClient.Message('D', [(byte)'S', 0]),
            .. RawClient.Message('S', [])];

        await using (var real = await postgres.ConnectAsync())
        {
            await real.SendAsync(RawClient.StartupMessage(RealPostgres.User, "postgres"));
            await RawLogin.AuthenticateAsync(real, RealPostgres.User, RealPostgres.Password);
            await real.SendAsync(parse);
            var replies = await real.ReadUntilAsync('Z', TimeSpan.FromSeconds(60));
            var description = replies.Single(r => r.Type == 't').Payload;
            Assert.Equal(n % 65_536, BinaryPrimitives.ReadUInt16BigEndian(description)); // the wrapped count
        }

        await using var client = await RawClient.ConnectAsync(gateway);
        await client.SendAsync(RawClient.StartupMessage("alice", "postgres"));
        await RawLogin.AuthenticateAsync(client, "alice", "alice");
        await client.SendAsync(parse);
        var answer = await client.ReadUntilAsync('Z', TimeSpan.FromSeconds(60));
        Assert.Equal(['E', 'Z'], answer.Select(r => r.Type));
        Assert.Equal(new Outcome(false, "ERROR", "54000", "prepared statements can have at most 65535 parameters",
            $"The statement refers to parameter ${n}; Bind and ParameterDescription carry a 16-bit parameter count.", null, null), Error(answer[0].Payload));
        await client.SendAsync(RawClient.Query("SELECT 'still here'"));
        Assert.Contains(await client.ReadUntilAsync('Z'), m => m.Type == 'D');
    }

    /// <summary>Npgsql, a real client, gets the refusal as a PostgresException it can show, not a broken connection.</summary>
    [Theory]
    [InlineData("Timezone=Europe/Berlin", "0A000", "invalid value for parameter \"TimeZone\": \"Europe/Berlin\"")]
    [InlineData("Timezone=Mars/Base", "22023", "invalid value for parameter \"TimeZone\": \"Mars/Base\"")]
    [InlineData("Client Encoding=LATIN1", "0A000", "conversion between LATIN1 and UTF8 is not supported")]
    public async Task Npgsql_gets_a_refused_startup_parameter_as_a_fatal_error(string option, string sqlState, string message)
    {
        await using var connection = new Npgsql.NpgsqlConnection(gateway.ConnectionString(extra: option));
        var e = await Assert.ThrowsAsync<Npgsql.PostgresException>(() => connection.OpenAsync());
        Assert.Equal(("FATAL", sqlState, message), (e.Severity, e.SqlState, e.MessageText));
    }
}
