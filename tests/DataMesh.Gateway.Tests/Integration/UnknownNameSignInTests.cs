using System.Buffers.Binary;
using System.Diagnostics;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using DataMesh.Gateway.Admin;
using DataMesh.Gateway.Authentication;
using DataMesh.Gateway.Configuration;
using DataMesh.Gateway.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace DataMesh.Gateway.Tests.Integration;

/// <summary>
/// Nothing unauthenticated reaches the catalog's slow paths: a made-up user or database name is answered from the
/// snapshot's indexes (no reload, no store read, the same snapshot object before and after), and signing in as an
/// unknown user looks and costs the same as a known user with a wrong password (the same challenge at every attempt,
/// the same time), so names cannot be enumerated. Each test runs a gateway of its own on a fresh data directory: no
/// other test's writes can move its counters.
/// </summary>
public sealed class UnknownNameSignInTests : IDisposable
{
    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "datamesh-tests", "unknown-names-" + Guid.NewGuid().ToString("N"));

    public UnknownNameSignInTests()
    {
        using var catalog = AdminCatalog.Open(_dataDir);
        catalog.SetUser("erin", "erin-secret", domainAdmin: false);
    }

    private GatewayHost Start() => GatewayHost.Start(new GatewaySettings
    {
        Listen = "127.0.0.1:0",
        DataDir = _dataDir,
        LoginFreeFailures = int.MaxValue, // every attempt here fails on purpose: no backoff may blur the timings
    }, NullLoggerFactory.Instance, GatewayFixture.SeedDirectory);

    private static string ConnectionString(GatewayHost host, string user, string password, string database) =>
        $"Host=127.0.0.1;Port={host.EndPoint.Port};Username={user};Password={password};Database={database};SSL Mode=Disable;Pooling=false;Timeout=15";

    private static async Task<string> FailedOpen(GatewayHost host, string user, string password, string database)
    {
        await using var connection = new NpgsqlConnection(ConnectionString(host, user, password, database));
        return (await Assert.ThrowsAsync<PostgresException>(() => connection.OpenAsync())).SqlState;
    }

    [Fact]
    public async Task Unknown_users_and_databases_are_answered_without_reading_or_reloading_the_catalog()
    {
        await using var host = Start();
        var catalog = host.Catalog.Catalog;
        var snapshot = catalog.Snapshot;
        var (loads, patches, partitions, position) = (catalog.FullLoads, catalog.Patches, catalog.PartitionsLoaded, catalog.Position);

        for (var i = 0; i < 20; i++)
        {
            Assert.Equal("28P01", await FailedOpen(host, "nobody_" + i, "whatever", "postgres"));
            Assert.Equal("3D000", await FailedOpen(host, "erin", "erin-secret", "no_such_project_" + i));
        }

        Assert.Same(snapshot, catalog.Snapshot);
        Assert.Equal((loads, patches, partitions, position), (catalog.FullLoads, catalog.Patches, catalog.PartitionsLoaded, catalog.Position));

        // The counters do move when the catalog changes: a user added now is patched in (no reload) and can sign in.
        host.Catalog.SetUser("nobody_0", "now-real", domainAdmin: false);
        Assert.NotSame(snapshot, catalog.Snapshot);
        Assert.Equal(patches + 1, catalog.Patches);
        Assert.Equal(loads, catalog.FullLoads);
        await using var real = new NpgsqlConnection(ConnectionString(host, "nobody_0", "now-real", "postgres"));
        await real.OpenAsync();
    }

    [Fact]
    public async Task An_unknown_user_gets_the_same_challenge_at_every_attempt_and_fails_as_late_as_a_wrong_password()
    {
        await using var host = Start();
        var known1 = await ScramAttempt(host, "erin", "wrong-password");
        var known2 = await ScramAttempt(host, "erin", "wrong-password");
        var unknown1 = await ScramAttempt(host, "nobody", "wrong-password");
        var unknown2 = await ScramAttempt(host, "nobody", "wrong-password");
        var other = await ScramAttempt(host, "somebody_else", "wrong-password");

        // A known user's salt is stored, so it repeats; an unknown name's must repeat too, or a second attempt tells.
        Assert.Equal(known1.Salt, known2.Salt);
        Assert.Equal(unknown1.Salt, unknown2.Salt);
        Assert.NotEqual(unknown1.Salt, other.Salt); // per name, not one salt for every unknown name
        Assert.NotEqual(known1.Salt, unknown1.Salt);
        Assert.Equal(16, Convert.FromBase64String(unknown1.Salt).Length);
        Assert.Equal(known1.Iterations, unknown1.Iterations);
        // Both fail at the same step, with the same answer (naming the user as given, as PostgreSQL does).
        Assert.Equal(("28P01", "password authentication failed for user \"erin\""), (known1.SqlState, known1.Message));
        Assert.Equal(("28P01", "password authentication failed for user \"nobody\""), (unknown1.SqlState, unknown1.Message));
    }

    [Fact]
    public void Without_a_mock_verifier_an_unknown_user_would_get_a_new_salt_each_time()
    {
        // The probe of the test above fires: the exchange's old behaviour (a random verifier per attempt) is what it catches.
        string SaltOf(ScramServerExchange exchange) =>
            Encoding.UTF8.GetString(exchange.HandleClientFirst("SCRAM-SHA-256", Encoding.UTF8.GetBytes("n,,n=,r=abcdefgh"))).Split(',')[1];
        Assert.NotEqual(SaltOf(new ScramServerExchange(null, null)), SaltOf(new ScramServerExchange(null, null)));
        var mock = ScramVerifier.Mock("nobody", new byte[32]);
        Assert.Equal(SaltOf(new ScramServerExchange(null, null, mock)), SaltOf(new ScramServerExchange(null, null, ScramVerifier.Mock("nobody", new byte[32]))));
    }

    [Fact]
    public async Task An_unknown_user_costs_the_same_time_as_a_known_user_with_a_wrong_password()
    {
        await using var host = Start();
        for (var i = 0; i < 3; i++) // warm both paths (JIT, thread pool) before measuring
        {
            await ScramAttempt(host, "erin", "wrong");
            await ScramAttempt(host, "nobody_warm", "wrong");
        }
        var known = new List<double>();
        var unknown = new List<double>();
        for (var i = 0; i < 30; i++) // interleaved, so load on the machine falls on both alike
        {
            known.Add((await ScramAttempt(host, "erin", "wrong-" + i)).Milliseconds);
            unknown.Add((await ScramAttempt(host, "nobody_" + i, "wrong-" + i)).Milliseconds);
        }
        var ratio = Median(unknown) / Median(known);
        Assert.True(ratio is > 0.5 and < 2.0,
            $"unknown user median {Median(unknown):F2} ms against known user with a wrong password {Median(known):F2} ms (ratio {ratio:F2})");
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return (sorted[sorted.Count / 2] + sorted[(sorted.Count - 1) / 2]) / 2;
    }

    private sealed record Attempt(string Salt, int Iterations, string? SqlState, string? Message, double Milliseconds);

    /// <summary>One SCRAM-SHA-256 sign-in over a raw socket, timed from connect to the server's error.</summary>
    private static async Task<Attempt> ScramAttempt(GatewayHost host, string user, string password)
    {
        var watch = Stopwatch.StartNew();
        using var tcp = new TcpClient { NoDelay = true };
        await tcp.ConnectAsync(host.EndPoint);
        var client = RawClient.Wrap(tcp);
        await client.SendAsync(RawClient.StartupMessage(user, "postgres"));
        var sasl = await client.ReadMessageAsync() ?? throw new EndOfStreamException();
        Assert.Equal('R', sasl.Type);
        Assert.Equal(10, BinaryPrimitives.ReadInt32BigEndian(sasl.Payload));

        var clientNonce = Convert.ToBase64String(RandomNumberGenerator.GetBytes(18));
        var clientFirstBare = $"n=,r={clientNonce}";
        var clientFirst = Encoding.UTF8.GetBytes("n,," + clientFirstBare);
        await client.SendAsync(RawClient.Message('p', [.. "SCRAM-SHA-256\0"u8, .. RawClient.BigEndian(clientFirst.Length), .. clientFirst]));
        var cont = await client.ReadMessageAsync() ?? throw new EndOfStreamException();
        Assert.Equal('R', cont.Type);
        var serverFirst = Encoding.UTF8.GetString(cont.Payload, 4, cont.Payload.Length - 4);
        var attributes = serverFirst.Split(',').ToDictionary(p => p[0], p => p[2..]);
        var iterations = int.Parse(attributes['i'], System.Globalization.CultureInfo.InvariantCulture);

        var salted = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), Convert.FromBase64String(attributes['s']), iterations, HashAlgorithmName.SHA256, 32);
        var clientKey = HMACSHA256.HashData(salted, "Client Key"u8);
        var withoutProof = $"c=biws,r={attributes['r']}";
        var signature = HMACSHA256.HashData(SHA256.HashData(clientKey), Encoding.UTF8.GetBytes($"{clientFirstBare},{serverFirst},{withoutProof}"));
        var proof = clientKey.Select((b, i) => (byte)(b ^ signature[i])).ToArray();
        await client.SendAsync(RawClient.Message('p', Encoding.UTF8.GetBytes($"{withoutProof},p={Convert.ToBase64String(proof)}")));
        var answer = await client.ReadMessageAsync() ?? throw new EndOfStreamException();
        watch.Stop();
        Assert.Equal('E', answer.Type);
        return new Attempt(attributes['s'], iterations, RawClient.SqlState(answer.Payload), RawClient.Field(answer.Payload, 'M'), watch.Elapsed.TotalMilliseconds);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_dataDir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
