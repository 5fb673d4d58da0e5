using System.Data.Common;

namespace DataMesh.Gateway.Catalog.Store.Postgres;

/// <summary>Work that one node of a fleet must do alone (seeding the demo's catalog): a PostgreSQL advisory lock.</summary>
public sealed partial class PostgresCatalogStore
{
    /// <summary>
    /// Waits for, then holds, the session-level advisory lock <paramref name="key"/> on a connection of its own until the
    /// result is disposed. The lock belongs to that connection: a node that dies while holding it releases it when
    /// PostgreSQL sees the connection close, so the next node can take over.
    /// </summary>
    public IDisposable HoldAdvisoryLock(long key, TimeSpan timeout)
    {
        var connection = _source.OpenConnection();
        try
        {
            using var cmd = connection.CreateCommand();
            cmd.CommandText = $"SELECT pg_advisory_lock({key})";
            cmd.CommandTimeout = (int)Math.Ceiling(timeout.TotalSeconds);
            cmd.ExecuteNonQuery();
            return new AdvisoryLock(connection, key);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private sealed class AdvisoryLock(DbConnection connection, long key) : IDisposable
    {
        public void Dispose()
        {
            try
            {
                using var cmd = connection.CreateCommand();
                cmd.CommandText = $"SELECT pg_advisory_unlock({key})";
                cmd.ExecuteNonQuery();
            }
            catch (DbException)
            {
                // The connection is gone, and the lock with it.
            }
            connection.Dispose();
        }
    }
}
