using System.Data;
using System.Data.Common;
using System.Globalization;
using DataMesh.Gateway.Catalog.Model;

namespace DataMesh.Gateway.Catalog.Store.Postgres;

/// <summary>Migrations (the PostgreSQL texts of <see cref="Migrations.All"/>) and workspace lineage.</summary>
public sealed partial class PostgresCatalogStore
{
    /// <summary>Any fixed number: every node starting on one new catalog takes this advisory lock, so one migrates.</summary>
    private const long MigrationLock = 0x44_61_74_61_4D_65_73_68; // "DataMesh"

    /// <summary>The schema version this release writes (the same number a SQLite catalog's user_version reaches).</summary>
    public static int SchemaVersion => Migrations.All.Count;

    private void Migrate()
    {
        using var connection = _source.OpenConnection();
        using var transaction = connection.BeginTransaction(IsolationLevel.ReadCommitted);
        Run(connection, transaction, $"SELECT pg_advisory_xact_lock({MigrationLock})");
        Run(connection, transaction, "CREATE TABLE IF NOT EXISTS datamesh_schema (version integer NOT NULL)");
        using (var read = connection.CreateCommand())
        {
            read.Transaction = transaction;
            read.CommandText = "SELECT coalesce(max(version), 0) FROM datamesh_schema";
            var version = Convert.ToInt32(read.ExecuteScalar(), CultureInfo.InvariantCulture);
            if (version > Migrations.All.Count)
                throw new InvalidOperationException($"the catalog's schema (version {version}) is newer than this release's ({Migrations.All.Count})");
            if (version == Migrations.All.Count) return;
            for (; version < Migrations.All.Count; version++) Run(connection, transaction, CatalogDialect.Postgres.Migration(Migrations.All[version]));
            Run(connection, transaction, "DELETE FROM datamesh_schema");
            Run(connection, transaction, $"INSERT INTO datamesh_schema VALUES ({Migrations.All.Count})");
        }
        transaction.Commit();
    }

    public WorkspaceLineage? Lineage(string project, string table) => Read(r => ((CatalogSession)r).Lineage(project, table));

    /// <summary>Lineage is written under the catalog's write lock (a read-modify-write from two nodes must not lose a source),
    /// but starts no catalog version, as on SQLite.</summary>
    public void RecordLineage(string project, string table, IReadOnlyList<LineageSource> sources, bool replace, DateTimeOffset at) =>
        Locked((s, transaction) =>
        {
            IReadOnlyList<LineageSource> known = replace ? [] : s.Lineage(project, table)?.Sources ?? [];
            s.SetLineage(new WorkspaceLineage(project, table, known.Concat(sources).Distinct().ToList(), at));
            transaction.Commit();
            return 0;
        });

    public void ForgetLineage(string project, string table) => Locked((s, transaction) =>
    {
        s.DeleteLineage(project, table);
        transaction.Commit();
        return 0;
    });
}
