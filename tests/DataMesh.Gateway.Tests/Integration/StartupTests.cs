using System.Buffers.Binary;
using System.Text;
using DataMesh.Gateway.Configuration;
using DataMesh.Gateway.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace DataMesh.Gateway.Tests.Integration;

/// <summary>Startup negotiation and authentication choices.</summary>
[Collection(GatewayCollection.Name)]
public sealed class StartupTests(GatewayFixture gateway)
{
    [Fact]
    public async Task Newer_minor_version_and_pq_options_get_NegotiateProtocolVersion()
    {
        await using var c = await RawClient.ConnectAsync(gateway);
        await c.SendAsync(RawClient.StartupMessage("alice", "marketing", 196608 + 2, ("_pq_.wishful", "1")));
        var negotiate = await c.ReadMessageAsync();
        Assert.Equal('v', negotiate!.Value.Type);
        var payload = negotiate.Value.Payload;
        Assert.Equal(0, BinaryPrimitives.ReadInt32BigEndian(payload));      // newest minor we speak
        Assert.Equal(1, BinaryPrimitives.ReadInt32BigEndian(payload.AsSpan(4))); // one option not recognised
        Assert.Equal("_pq_.wishful", Encoding.UTF8.GetString(payload, 8, payload.Length - 9));
        Assert.Equal('Z', (await RawLogin.AuthenticateAsync(c, "alice", "alice")).Last().Type);
    }

    [Fact]
    public async Task Unknown_startup_parameters_are_ignored()
    {
        await using var c = await RawClient.ConnectAsync(gateway);
        await c.SendAsync(RawClient.StartupMessage("alice", "marketing", extra: [("options", "-c enable_external_access=true"), ("threads", "64"), ("application_name", "startup-test")]));
        var messages = await RawLogin.AuthenticateAsync(c, "alice", "alice");
        var statuses = messages.Where(m => m.Type == 'S').Select(m => Encoding.UTF8.GetString(m.Payload).Split('\0')).ToDictionary(p => p[0], p => p[1]);
        Assert.Equal("startup-test", statuses["application_name"]);
        Assert.Equal(13, statuses.Count);
        foreach (var name in new[] { "server_version", "server_encoding", "client_encoding", "DateStyle", "IntervalStyle", "TimeZone", "integer_datetimes",
                     "standard_conforming_strings", "is_superuser", "session_authorization", "default_transaction_read_only", "in_hot_standby" })
            Assert.True(statuses.ContainsKey(name), name);
        // The engine never saw them: the session runs on its project's locked instance (lockdown: Engine tests).
        await c.SendAsync(RawClient.Query("SELECT 42"));
        var result = await c.ReadUntilAsync('Z');
        Assert.Equal("42", ExtendedMessages.FirstField(result.Single(m => m.Type == 'D').Payload));
    }

    [Fact]
    public async Task Missing_user_is_a_fatal_28000()
    {
        await using var c = await RawClient.ConnectAsync(gateway);
        var body = new List<byte>(RawClient.BigEndian(196608));
        body.AddRange("database\0marketing\0\0"u8.ToArray());
        await c.SendAsync([.. RawClient.BigEndian(body.Count + 4), .. body]);
        var error = await c.ReadMessageAsync();
        Assert.Equal('E', error!.Value.Type);
        Assert.Equal("28000", RawClient.SqlState(error.Value.Payload));
        Assert.Equal("FATAL", RawClient.Field(error.Value.Payload, 'S'));
        Assert.True(await c.IsClosedByServerAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task Cleartext_passwords_are_requested_only_over_tls_when_configured()
    {
        var settings = new GatewaySettings
        {
            Listen = "127.0.0.1:0",
            DataDir = gateway.Host.DataDirectory,
            Demo = true,
            Tls = true,
            CleartextPasswordOverTls = true,
        };
        await using var host = GatewayHost.Start(settings, NullLoggerFactory.Instance, GatewayFixture.SeedDirectory);
        var baseCs = $"Host=127.0.0.1;Port={host.EndPoint.Port};Username=bob;Password=bob;Database=ml_research;Pooling=false";

        // Over TLS, the server asks for the password in cleartext (Npgsql refuses SCRAM-only settings otherwise).
        await using (var tls = new NpgsqlConnection(baseCs + ";SSL Mode=Require;Trust Server Certificate=true"))
        {
            await tls.OpenAsync();
            await using var cmd = new NpgsqlCommand("SELECT 1", tls);
            Assert.Equal(1, await cmd.ExecuteScalarAsync());
        }
        await using (var wrong = new NpgsqlConnection(baseCs.Replace("Password=bob", "Password=nope") + ";SSL Mode=Require;Trust Server Certificate=true"))
            Assert.Equal("28P01", (await Assert.ThrowsAsync<PostgresException>(() => wrong.OpenAsync())).SqlState);

        // Without TLS the same server never asks for a cleartext password: it uses SCRAM.
        await using var raw = new RawClientOnPort(host.EndPoint);
        await raw.Client.SendAsync(RawClient.StartupMessage("bob", "ml_research"));
        var auth = await raw.Client.ReadMessageAsync();
        Assert.Equal('R', auth!.Value.Type);
        Assert.Equal(10, BinaryPrimitives.ReadInt32BigEndian(auth.Value.Payload)); // AuthenticationSASL, not cleartext (3)
    }

    [Fact]
    public async Task Tls_certificate_and_key_files_are_used()
    {
        var settings = new GatewaySettings
        {
            Listen = "127.0.0.1:0",
            DataDir = gateway.Host.DataDirectory,
            Demo = true,
            TlsCert = Path.Combine(gateway.Host.DataDirectory, "server.crt"),
            TlsKey = Path.Combine(gateway.Host.DataDirectory, "server.key"),
        };
        await using var host = GatewayHost.Start(settings, NullLoggerFactory.Instance, GatewayFixture.SeedDirectory);
        await using var connection = new NpgsqlConnection(
            $"Host=127.0.0.1;Port={host.EndPoint.Port};Username=dave;Password=dave;Database=finance;Pooling=false;SSL Mode=Require;Trust Server Certificate=true");
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand("SELECT 'over tls'", connection);
        Assert.Equal("over tls", await cmd.ExecuteScalarAsync());
    }

    [Fact]
    public async Task Extension_downloads_fail_at_run_time()
    {
        await using var connection = await gateway.OpenAsync();
        await using var cmd = new NpgsqlCommand("SELECT * FROM read_parquet('https://example.invalid/x.parquet')", connection);
        var e = await Assert.ThrowsAsync<PostgresException>(() => cmd.ExecuteNonQueryAsync());
        // httpfs is not bundled; with auto-install off and external access off the engine cannot fetch it.
        Assert.Contains(e.SqlState, new[] { "42501", "0A000", "58030" });
        Assert.DoesNotContain("Installing", e.MessageText, StringComparison.OrdinalIgnoreCase);
        await using var after = new NpgsqlCommand("SELECT 1", connection);
        Assert.Equal(1, await after.ExecuteScalarAsync());
    }

    private sealed class RawClientOnPort : IAsyncDisposable
    {
        private readonly System.Net.Sockets.TcpClient _tcp = new();
        public RawClientOnPort(System.Net.IPEndPoint endPoint)
        {
            _tcp.Connect(endPoint);
            Client = RawClient.Wrap(_tcp);
        }
        public RawClient Client { get; }
        public async ValueTask DisposeAsync() => await Client.DisposeAsync();
    }
}
