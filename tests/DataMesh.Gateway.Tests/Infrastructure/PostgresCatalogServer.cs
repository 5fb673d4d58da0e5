using DataMesh.Gateway.Catalog.Store.Postgres;
using Npgsql;

namespace DataMesh.Gateway.Tests.Infrastructure;

/// <summary>
/// One private PostgreSQL server (<see cref="RealPostgres"/>) for a test class, and a fresh database on it per catalog,
/// so every test starts from an empty catalog without paying for another initdb (~1 s each).
/// </summary>
public sealed class PostgresCatalogServer : IAsyncLifetime
{
    private readonly RealPostgres _server = new();
    private int _databases;

    public Task InitializeAsync() => _server.InitializeAsync();

    public Task DisposeAsync() => _server.DisposeAsync();

    /// <summary>Stops the server (fast shutdown); its databases stay for <see cref="StartAsync"/>.</summary>
    public Task StopAsync() => _server.StopAsync();

    /// <summary>Starts the stopped server again on the same port.</summary>
    public Task StartAsync() => _server.StartAsync();

    /// <summary>A new, empty database's connection string (the password in it: tests only).</summary>
    public string NewDatabase()
    {
        var name = "catalog_" + Interlocked.Increment(ref _databases) + "_" + Guid.NewGuid().ToString("N")[..8];
        _server.ExecuteAsync($"CREATE DATABASE {name}").GetAwaiter().GetResult();
        return new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1", Port = _server.Port, Username = RealPostgres.User, Password = RealPostgres.Password, Database = name,
            MaxPoolSize = 6, // the server allows 20 connections; two stores open at once must fit
        }.ToString();
    }

    /// <summary>A catalog store on a new database (or on <paramref name="connectionString"/>'s).</summary>
    public PostgresCatalogStore OpenStore(string? connectionString = null) =>
        PostgresCatalogStore.Open(NpgsqlDataSource.Create(connectionString ?? NewDatabase()));
}
