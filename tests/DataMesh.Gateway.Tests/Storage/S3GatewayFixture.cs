using DataMesh.Gateway.Configuration;
using DataMesh.Gateway.Tests.Infrastructure;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace DataMesh.Gateway.Tests.Storage;

/// <summary>
/// A real s3rver with bucket <c>lake</c> and a gateway of its own on a fresh data directory, logging at Trace into a
/// capture (the secret tests read it). The domain admin <c>carol</c> is bootstrapped; tests create their own users,
/// accounts and projects with unique names, so they stay independent.
/// </summary>
public sealed class S3GatewayFixture : IAsyncLifetime
{
    public const string Bucket = "lake";

    public S3Server S3 { get; private set; } = null!;
    public GatewayHost Host { get; private set; } = null!;
    public CapturingLoggerProvider Logs { get; } = new();
    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "datamesh-tests", "s3gw-" + Guid.NewGuid().ToString("N"));
    public string Scratch => Path.Combine(DataDirectory, "..", Path.GetFileName(DataDirectory) + "-files");

    private ILoggerFactory? _loggers;

    /// <summary>The credentials file configured as <c>file:lakefile</c> (tests rewrite it to rotate or break the key).</summary>
    public string CredentialsFile => Path.Combine(Scratch, "lake.credentials");

    public void WriteCredentialsFile(string keyId) =>
        File.WriteAllText(CredentialsFile, $"[default]\naws_access_key_id = {keyId}\naws_secret_access_key = {S3Server.SecretAccessKey}\n");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Scratch);
        WriteCredentialsFile(S3Server.AccessKeyId);
        S3 = await S3Server.StartAsync(Bucket);
        _loggers = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(Logs));
        Host = GatewayHost.Start(new GatewaySettings
        {
            Listen = "127.0.0.1:0",
            DataDir = DataDirectory,
            StatementTimeoutSeconds = 0,
            MaxConnections = 64,
            ShutdownGraceSeconds = 2,
            LoginFreeFailures = int.MaxValue,
            // Fast retries: a stopped store fails within a second, and the throttling test counts attempts.
            Storage = new StorageSettings
            {
                MaxAttempts = 3, RetryBaseDelaySeconds = 0.05, RetryMaxDelaySeconds = 0.2, RequestTimeoutSeconds = 20,
                CredentialFiles = new() { ["lakefile"] = CredentialsFile },
            },
        }, _loggers, GatewayFixture.SeedDirectory);
        Host.Catalog.SetUser("carol", "carol", domainAdmin: true);
    }

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        _loggers?.Dispose();
        await S3.DisposeAsync();
        foreach (var dir in new[] { DataDirectory, Scratch })
        {
            try
            {
                if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    public async Task<NpgsqlConnection> OpenAsync(string user, string database = "postgres")
    {
        var connection = new NpgsqlConnection(
            $"Host=127.0.0.1;Port={Host.EndPoint.Port};Username={user};Password={user};Database={database};SSL Mode=Disable;Pooling=false;Timeout=15;Command Timeout=60");
        await connection.OpenAsync();
        return connection;
    }

    /// <summary>The WITH clause of an account on this fixture's s3rver (path style, its keys).</summary>
    public string With(string? secret = null, string? keyId = null) =>
        $"WITH (endpoint = '{S3.Endpoint}', region = 'us-east-1', url_style = 'path', access_key_id = '{keyId ?? S3Server.AccessKeyId}', secret_access_key = '{secret ?? S3Server.SecretAccessKey}')";
}

[CollectionDefinition(Name)]
public sealed class S3GatewayCollection : ICollectionFixture<S3GatewayFixture>
{
    public const string Name = "s3-gateway";
}
