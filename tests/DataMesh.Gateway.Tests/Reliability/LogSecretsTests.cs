using DataMesh.Gateway.Configuration;
using DataMesh.Gateway.Tests.Infrastructure;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace DataMesh.Gateway.Tests.Reliability;

/// <summary>
/// Logs never hold passwords, tokens or parameter values: a gateway logging at Trace sees SCRAM and cleartext-over-TLS
/// logins (right and wrong), admin commands carrying passwords (well-formed and malformed), and Bind parameters with
/// marker values, in queries that succeed and queries that fail. No marker may appear in any log record, message,
/// structured value, scope or exception.
/// </summary>
public sealed class LogSecretsTests
{
    private readonly string _tag = "zq" + Guid.NewGuid().ToString("N")[..10];

    private string Marker(string what) => $"{_tag}{what}";

    [Fact]
    public async Task No_password_token_or_parameter_value_reaches_the_logs()
    {
        var capture = new CapturingLoggerProvider();
        using var loggers = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(capture));
        var settings = new GatewaySettings
        {
            Listen = "127.0.0.1:0", DataDir = GatewayFixture.SharedDemoDirectory(), Demo = true, Tls = true, CleartextPasswordOverTls = true,
        };
        await using (var host = GatewayHost.Start(settings, loggers, GatewayFixture.SeedDirectory))
        {
            var port = host.EndPoint.Port;
            string Cs(string user, string password, string database, bool tls) =>
                $"Host=127.0.0.1;Port={port};Username={user};Password={password};Database={database};Pooling=false;Timeout=15;"
                + (tls ? "SSL Mode=Require;Trust Server Certificate=true" : "SSL Mode=Disable");

            var user = "u" + _tag;
            var password = Marker("password");
            await using (var carol = new NpgsqlConnection(Cs("carol", "carol", "postgres", tls: false)))
            {
                await carol.OpenAsync();
                await Exec(carol, $"CREATE USER {user} PASSWORD '{password}'");
                await Exec(carol, $"ALTER USER {user} WITH PASSWORD '{password}'");
                var malformed = await Assert.ThrowsAsync<PostgresException>(() => Exec(carol, $"CREATE USER x{_tag} PASSWORD '{Marker("syntax")}' LOGIN NOW"));
                Assert.Equal("42601", malformed.SqlState);
            }

            // SCRAM (no TLS) and cleartext over TLS (the way identity tokens arrive), right and wrong.
            foreach (var tls in new[] { false, true })
            {
                await using (var right = new NpgsqlConnection(Cs(user, password, "postgres", tls)))
                {
                    await right.OpenAsync();
                    await using var cmd = new NpgsqlCommand("SELECT 1", right);
                    Assert.Equal(1, await cmd.ExecuteScalarAsync());
                }
                await using var wrong = new NpgsqlConnection(Cs(user, Marker(tls ? "token" : "wrongpw"), "postgres", tls));
                Assert.Equal("28P01", (await Assert.ThrowsAsync<PostgresException>(() => wrong.OpenAsync())).SqlState);
            }

            await using (var alice = new NpgsqlConnection(Cs("alice", "alice", "marketing", tls: false)))
            {
                await alice.OpenAsync();
                await using (var ok = new NpgsqlCommand("SELECT $1::text, $2::text", alice))
                {
                    ok.Parameters.Add(new NpgsqlParameter { Value = Marker("bind1") });
                    ok.Parameters.Add(new NpgsqlParameter { Value = Marker("bind2") });
                    await using var reader = await ok.ExecuteReaderAsync();
                    Assert.True(await reader.ReadAsync());
                    Assert.Equal(Marker("bind1"), reader.GetString(0));
                }
                await using (var governed = new NpgsqlCommand("SELECT count(*) FROM mkt_sls_table WHERE region = $1", alice))
                {
                    governed.Parameters.Add(new NpgsqlParameter { Value = Marker("filter") });
                    Assert.Equal(0L, Convert.ToInt64(await governed.ExecuteScalarAsync()));
                }
                await using (var failing = new NpgsqlCommand("SELECT CAST($1 AS INTEGER)", alice))
                {
                    failing.Parameters.Add(new NpgsqlParameter { Value = Marker("cast"), NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
                    var e = await Assert.ThrowsAsync<PostgresException>(() => failing.ExecuteScalarAsync());
                    Assert.StartsWith("22", e.SqlState);
                }
                await using (var error = new NpgsqlCommand("SELECT error($1)", alice))
                {
                    error.Parameters.Add(new NpgsqlParameter { Value = Marker("raised"), NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
                    await Assert.ThrowsAsync<PostgresException>(() => error.ExecuteScalarAsync());
                }
                await using var after = new NpgsqlCommand("SELECT 'session goes on'", alice);
                Assert.Equal("session goes on", await after.ExecuteScalarAsync());
            }
        }

        var records = capture.Records.ToList();
        // The capture works at the most verbose level: sessions starting are logged (with user names, which are not secret).
        Assert.Contains(records, r => r.Contains("Session", StringComparison.Ordinal) && r.Contains("u" + _tag, StringComparison.Ordinal));
        string[] secrets = ["password", "syntax", "wrongpw", "token", "bind1", "bind2", "filter", "cast", "raised"];
        foreach (var record in records)
            foreach (var secret in secrets)
                Assert.False(record.Contains(Marker(secret), StringComparison.Ordinal), $"a log record holds the {secret} marker: {record}");
    }

    private static async Task Exec(NpgsqlConnection connection, string sql)
    {
        await using var cmd = new NpgsqlCommand(sql, connection);
        await cmd.ExecuteNonQueryAsync();
    }
}
