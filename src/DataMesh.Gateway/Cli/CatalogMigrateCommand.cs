using DataMesh.Gateway.Catalog.Postgres;

namespace DataMesh.Gateway.Cli;

/// <summary>
/// <c>datamesh catalog migrate --from sqlite:PATH --to postgresql://… [--replace]</c>: moves a single node's embedded
/// catalog into the PostgreSQL catalog a fleet will share (docs/DEPLOYMENT.md). The password of <c>--to</c> comes from
/// DATAMESH_CATALOG_PASSWORD(_FILE), as for <c>serve --catalog</c>.
/// </summary>
internal static class CatalogMigrateCommand
{
    public static int Run(CommandLine command)
    {
        if (!command.Options.TryGetValue("From", out var from) || string.IsNullOrEmpty(from)
            || !command.Options.TryGetValue("To", out var to) || string.IsNullOrEmpty(to))
        {
            Console.Error.WriteLine("catalog migrate needs --from sqlite:PATH and --to postgresql://USER@HOST:PORT/DATABASE");
            return 2;
        }
        if (!CatalogLocation.IsPostgres(to))
        {
            Console.Error.WriteLine("--to takes postgresql://USER@HOST:PORT/DATABASE or a connection string (Host=…;Database=…)");
            return 2;
        }
        try
        {
            var path = CatalogMigration.SqlitePath(from);
            var report = CatalogMigration.Copy(path, CatalogLocation.ConnectionString(to, Environment.GetEnvironmentVariable), command.Options.ContainsKey("Replace"));
            foreach (var (table, rows) in report.Rows) Console.WriteLine($"{table}: {rows} rows");
            Console.WriteLine($"copied the catalog {path} into PostgreSQL (catalog version {report.CatalogVersion})");
            return 0;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or Npgsql.NpgsqlException or Microsoft.Data.Sqlite.SqliteException
                                       or DataMesh.Gateway.Catalog.Store.CatalogStoreException)
        {
            // One transaction: nothing of the copy is in the target.
            Console.Error.WriteLine($"datamesh catalog migrate: {e.Message}; nothing was copied");
            return 1;
        }
    }
}
