using System.Globalization;
using DataMesh.Gateway.Catalog.Following;
using DataMesh.Gateway.Catalog.Store.Postgres;
using Npgsql;

namespace DataMesh.Gateway.Catalog.Postgres;

/// <summary>
/// LISTEN on <see cref="PostgresCatalogStore.ChangeChannel"/> over a dedicated, unpooled connection (its application
/// name is <see cref="ApplicationName"/> with the node's process id, so an operator can find it in pg_stat_activity).
/// Npgsql delivers the notifications while the connection waits; when none came for a whole wait, a <c>SELECT 1</c> on
/// the same connection proves the channel (and the catalog) still answers, since a half-open TCP connection would
/// otherwise wait in silence forever. Any failure closes the connection and is thrown to the follower, which polls.
/// </summary>
internal sealed class PostgresChangeFeed(string connectionString) : ICatalogChangeFeed
{
    public const string ApplicationName = "datamesh-listener";

    private readonly string _connectionString = new NpgsqlConnectionStringBuilder(connectionString)
    {
        Pooling = false,
        ApplicationName = $"{ApplicationName} {Environment.ProcessId}",
        Timeout = 5,
        CommandTimeout = 5,
    }.ConnectionString;

    private NpgsqlConnection? _connection;
    private long _announced = -1;

    public string Description => "LISTEN " + PostgresCatalogStore.ChangeChannel;

    public async Task OpenAsync(CancellationToken cancellationToken)
    {
        await CloseAsync().ConfigureAwait(false);
        var connection = new NpgsqlConnection(_connectionString);
        connection.Notification += (_, e) =>
        {
            if (!long.TryParse(e.Payload, NumberStyles.None, CultureInfo.InvariantCulture, out var position)) return;
            long seen;
            do seen = Interlocked.Read(ref _announced);
            while (position > seen && Interlocked.CompareExchange(ref _announced, position, seen) != seen);
        };
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var listen = new NpgsqlCommand($"LISTEN {PostgresCatalogStore.ChangeChannel}", connection);
            await listen.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        _connection = connection;
    }

    public async Task<long?> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var connection = _connection ?? throw new InvalidOperationException("the change channel is not open");
        try
        {
            if (Interlocked.Read(ref _announced) < 0 && !await connection.WaitAsync(timeout, cancellationToken).ConfigureAwait(false))
            {
                await using var heartbeat = new NpgsqlCommand("SELECT 1", connection);
                await heartbeat.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            await CloseAsync().ConfigureAwait(false);
            throw;
        }
        var announced = Interlocked.Exchange(ref _announced, -1);
        return announced < 0 ? null : announced;
    }

    private async Task CloseAsync()
    {
        var connection = Interlocked.Exchange(ref _connection, null);
        if (connection is not null) await connection.DisposeAsync().ConfigureAwait(false);
    }

    public ValueTask DisposeAsync() => new(CloseAsync());
}
