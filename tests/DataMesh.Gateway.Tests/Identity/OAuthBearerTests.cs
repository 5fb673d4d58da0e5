using System.Buffers.Binary;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using DataMesh.Gateway.Configuration;
using DataMesh.Gateway.Tests.Infrastructure;

namespace DataMesh.Gateway.Tests.Identity;

/// <summary>A gateway that offers SASL OAUTHBEARER and whose identity provider publishes its JWKS at a loopback URL.</summary>
public sealed class OAuthBearerGateway : IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "datamesh-tests", "oauth-" + Guid.NewGuid().ToString("N")[..8]);

    public OAuthBearerGateway()
    {
        Idp = new TestIdentityProvider("https://bearer-idp.test.example", _directory);
        Jwks = new LoopbackJwksServer(Idp.JwksPath);
    }

    public TestIdentityProvider Idp { get; }
    public LoopbackJwksServer Jwks { get; }
    public GatewayHost Host { get; private set; } = null!;
    public int Port => Host.EndPoint.Port;

    public Task InitializeAsync()
    {
        Host = GatewayFixture.StartDemoHost(s =>
        {
            s.Tls = true;
            // Refusals are the point of these tests, all from 127.0.0.1: the failed-login backoff would make them wait
            // (Identity/TokenThrottleTests checks that refused tokens count).
            s.LoginFreeFailures = int.MaxValue;
            s.Identity = new IdentitySettings
            {
                SaslOAuthBearer = true,
                Issuers = [new IssuerSettings { Issuer = Idp.Issuer, Audiences = [TestIdentityProvider.Audience], JwksUrl = Jwks.Url }],
            };
        });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        await Jwks.DisposeAsync();
        Idp.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // best effort
        }
    }
}

/// <summary>
/// SASL OAUTHBEARER (RFC 7628) as PostgreSQL 18 clients speak it, from an independent raw client over TLS: the token
/// in the initial response; on failure a JSON challenge, the client's 0x01, then the ErrorResponse.
/// </summary>
public sealed class OAuthBearerTests(OAuthBearerGateway gateway) : IClassFixture<OAuthBearerGateway>
{
    [Fact]
    public async Task A_bearer_token_signs_in_and_scram_stays_offered_for_local_users()
    {
        var user = IdentityGateway.NewUser("bearer");
        await using var wire = await TlsWire.ConnectAsync(gateway.Port, user, "postgres");
        var mechanisms = await wire.ExpectSaslAsync();
        Assert.Equal(["SCRAM-SHA-256-PLUS", "SCRAM-SHA-256", "OAUTHBEARER"], mechanisms);
        await wire.SendInitialAsync("OAUTHBEARER", $"n,,\u0001auth=Bearer {gateway.Idp.Mint(user)}\u0001\u0001");
        var messages = await wire.ReadUntilAsync('Z');
        Assert.Equal('R', messages[0].Type);
        Assert.Equal(0, BinaryPrimitives.ReadInt32BigEndian(messages[0].Payload)); // AuthenticationOk, no SASLFinal
        await wire.SendAsync(RawClient.Query("SELECT current_user"));
        var rows = await wire.ReadUntilAsync('Z');
        var data = rows.Single(m => m.Type == 'D').Payload;
        Assert.Equal(user, Encoding.UTF8.GetString(data, 6, BinaryPrimitives.ReadInt32BigEndian(data.AsSpan(2))));

        // Npgsql, which speaks SCRAM, still signs a local user in on the same gateway (it picks SCRAM-SHA-256-PLUS).
        await using var local = new Npgsql.NpgsqlConnection(
            $"Host=127.0.0.1;Port={gateway.Port};Username=alice;Password=alice;Database=marketing;SSL Mode=Require;Trust Server Certificate=true;Pooling=false");
        await local.OpenAsync();
    }

    [Fact]
    public async Task A_refused_bearer_token_gets_the_json_challenge_then_the_error()
    {
        var user = IdentityGateway.NewUser("bad");
        var claims = gateway.Idp.Claims(user);
        claims["aud"] = "elsewhere";
        var token = gateway.Idp.Mint(claims);
        await using var wire = await TlsWire.ConnectAsync(gateway.Port, user, "postgres");
        await wire.ExpectSaslAsync();
        await wire.SendInitialAsync("OAUTHBEARER", $"n,,\u0001auth=Bearer {token}\u0001\u0001");
        var challenge = await wire.ReadAsync();
        Assert.Equal('R', challenge.Type);
        Assert.Equal(11, BinaryPrimitives.ReadInt32BigEndian(challenge.Payload)); // SASLContinue
        using var json = JsonDocument.Parse(challenge.Payload.AsMemory(4));
        Assert.Equal("invalid_token", json.RootElement.GetProperty("status").GetString());
        await wire.SendAsync(RawClient.Message('p', [0x01]));
        var error = await wire.ReadAsync();
        Assert.Equal('E', error.Type);
        Assert.Equal("28P01", RawClient.SqlState(error.Payload));
        Assert.Contains("audience", RawClient.Field(error.Payload, 'M'));
        Assert.DoesNotContain(token.Split('.')[1], Encoding.UTF8.GetString(error.Payload));
    }

    [Fact]
    public async Task Channel_binding_with_oauthbearer_is_refused()
    {
        var user = IdentityGateway.NewUser("cb");
        await using var wire = await TlsWire.ConnectAsync(gateway.Port, user, "postgres");
        await wire.ExpectSaslAsync();
        await wire.SendInitialAsync("OAUTHBEARER", $"p=tls-server-end-point,,\u0001auth=Bearer {gateway.Idp.Mint(user)}\u0001\u0001");
        var error = await wire.ReadAsync();
        Assert.Equal('E', error.Type);
        Assert.Equal("28000", RawClient.SqlState(error.Payload));
    }

    [Fact]
    public async Task The_jwks_url_is_fetched_once_and_cached()
    {
        for (var i = 0; i < 3; i++)
        {
            var user = IdentityGateway.NewUser("cache");
            await using var wire = await TlsWire.ConnectAsync(gateway.Port, user, "postgres");
            await wire.ExpectSaslAsync();
            await wire.SendInitialAsync("OAUTHBEARER", $"n,,\u0001auth=Bearer {gateway.Idp.Mint(user)}\u0001\u0001");
            Assert.Equal('Z', (await wire.ReadUntilAsync('Z')).Last().Type);
        }
        Assert.Equal(1, gateway.Jwks.Requests);
    }

    /// <summary>An independent PostgreSQL wire client over TLS (SSLRequest, then a StartupMessage on the TLS stream).</summary>
    private sealed class TlsWire : IAsyncDisposable
    {
        private readonly TcpClient _tcp;
        private readonly SslStream _tls;

        private TlsWire(TcpClient tcp, SslStream tls)
        {
            _tcp = tcp;
            _tls = tls;
        }

        public static async Task<TlsWire> ConnectAsync(int port, string user, string database)
        {
            var tcp = new TcpClient();
            await tcp.ConnectAsync(IPAddress.Loopback, port);
            var network = tcp.GetStream();
            await network.WriteAsync(RawClient.SslRequest());
            var answer = new byte[1];
            await network.ReadExactlyAsync(answer);
            Assert.Equal((byte)'S', answer[0]);
            var tls = new SslStream(network, false, (_, _, _, _) => true);
            await tls.AuthenticateAsClientAsync("localhost");
            var wire = new TlsWire(tcp, tls);
            await wire.SendAsync(RawClient.StartupMessage(user, database));
            return wire;
        }

        public Task SendAsync(byte[] bytes) => _tls.WriteAsync(bytes).AsTask();

        public Task SendInitialAsync(string mechanism, string data)
        {
            var bytes = Encoding.UTF8.GetBytes(data);
            return SendAsync(RawClient.Message('p', [.. Encoding.ASCII.GetBytes(mechanism), 0, .. RawClient.BigEndian(bytes.Length), .. bytes]));
        }

        public async Task<List<string>> ExpectSaslAsync()
        {
            var m = await ReadAsync();
            if (m.Type == 'E') throw new ServerErrorException(m.Payload);
            Assert.Equal('R', m.Type);
            Assert.Equal(10, BinaryPrimitives.ReadInt32BigEndian(m.Payload));
            return Encoding.ASCII.GetString(m.Payload, 4, m.Payload.Length - 4).Split('\0', StringSplitOptions.RemoveEmptyEntries).ToList();
        }

        public async Task<(char Type, byte[] Payload)> ReadAsync()
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            var head = new byte[5];
            await _tls.ReadExactlyAsync(head, cts.Token);
            var payload = new byte[BinaryPrimitives.ReadInt32BigEndian(head.AsSpan(1)) - 4];
            await _tls.ReadExactlyAsync(payload, cts.Token);
            return ((char)head[0], payload);
        }

        public async Task<List<(char Type, byte[] Payload)>> ReadUntilAsync(char type)
        {
            var messages = new List<(char, byte[])>();
            while (true)
            {
                var m = await ReadAsync();
                if (m.Type == 'E') throw new ServerErrorException(m.Payload);
                messages.Add(m);
                if (m.Type == type) return messages;
            }
        }

        public async ValueTask DisposeAsync()
        {
            await _tls.DisposeAsync();
            _tcp.Dispose();
        }
    }
}
