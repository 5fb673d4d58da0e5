using System.Text.RegularExpressions;
using DataMesh.Gateway.Admin;
using DataMesh.Gateway.Catalog;
using DataMesh.Gateway.Catalog.Model;
using DataMesh.Gateway.Catalog.Snapshots;
using DataMesh.Gateway.Catalog.Store;
using DataMesh.Gateway.Protocol.Errors;
using DataMesh.Gateway.Sql.Admin;
using DataMesh.Gateway.Sql.Lexing;
using DataMesh.Gateway.Tests.Infrastructure;

namespace DataMesh.Gateway.Tests.Catalog.Contract;

/// <summary>
/// Every kind of admin change, through the real admin commands, on a SQLite catalog and a PostgreSQL catalog side by
/// side: the same random sequence (RandomAdminCommands) must succeed or fail alike (same SQLSTATE), leave the same
/// catalog (snapshots loaded whole, record by record, times aside: each run takes its own), the same audit and the same
/// events; and a second node on the PostgreSQL catalog, following its change log only, must hold what a full load holds.
/// </summary>
public sealed partial class StoreDifferentialTests(PostgresCatalogServer server) : IClassFixture<PostgresCatalogServer>, IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "datamesh-tests", "differential-" + Guid.NewGuid().ToString("N"));

    [Theory]
    [InlineData(11, 150)]
    [InlineData(1, 250)]
    public void The_same_admin_commands_leave_the_same_catalog_in_both_stores(int seed, int steps)
    {
        var accountRoot = Path.Combine(_dir, "accounts", "acct");
        foreach (var project in RandomAdminCommands.ProjectNames)
        {
            Directory.CreateDirectory(Path.Combine(accountRoot, project));
            RandomAdminCommands.WriteProjectFile(Path.Combine(accountRoot, project, "data.parquet"), grown: false);
        }
        var database = server.NewDatabase();
        using var sqlite = AdminCatalog.Open(Path.Combine(_dir, "sqlite"));
        using var postgres = AdminCatalog.Open(Path.Combine(_dir, "postgres"), server.OpenStore(database));
        using var node2 = new CatalogService(server.OpenStore(database));
        foreach (var admin in new[] { sqlite, postgres })
        {
            admin.SetUser("carol", "carol", domainAdmin: true);
            Assert.Null(Run(admin, "carol", $"ASSOCIATE ACCOUNT acct LOCATION '{accountRoot}' ADMIN carol"));
            Assert.Null(Run(admin, "carol", "ACCEPT ACCOUNT acct"));
            Assert.Null(Run(admin, "carol", "CREATE PROJECT PROFILE prof BLUEPRINTS (query_limits WITH (memory = '1GB'))"));
        }
        var commands = new RandomAdminCommands(new Random(seed), accountRoot) { GrowFile = p => RandomAdminCommands.WriteProjectFile(Path.Combine(accountRoot, p, "data.parquet"), grown: true) };
        var succeeded = 0;
        for (var step = 0; step < steps; step++)
        {
            var command = commands.Next(sqlite.Catalog.Store.Read(CatalogWorld.Read));
            var expected = Run(sqlite, command.User, command.Sql);
            var actual = Run(postgres, command.User, command.Sql);
            Assert.True(expected == actual, $"step {step}: {command.Sql}: SQLite {expected ?? "ok"}, PostgreSQL {actual ?? "ok"}");
            if (expected is null) succeeded++;
        }
        Assert.True(succeeded > steps / 2, $"only {succeeded} of {steps} commands succeeded");

        var truth = Dump(sqlite.Catalog.Store);
        Assert.Equal(truth, Dump(postgres.Catalog.Store));
        Assert.Equal(truth, Normalize(SnapshotDump.Of(postgres.Catalog.Snapshot, _ => false)) + PartitionsOf(postgres.Catalog.Store));
        node2.CatchUp();
        Assert.Equal(1, node2.FullLoads); // followed the log, never reloaded
        Assert.Equal(Normalize(SnapshotDump.Of(FreshLoad(postgres.Catalog.Store), _ => false)), Normalize(SnapshotDump.Of(node2.Snapshot, _ => false)));
        Assert.Equal(AuditOf(sqlite.Catalog.Store), AuditOf(postgres.Catalog.Store));
        Assert.Equal(EventsOf(sqlite.Catalog.Store), EventsOf(postgres.Catalog.Store));
    }

    /// <summary>Renames and drops rewrite keys and their references in one transaction (deferred foreign keys) and match terms case-insensitively.</summary>
    [Fact]
    public void Renames_and_drops_leave_the_same_catalog_in_both_stores()
    {
        var accountRoot = Path.Combine(_dir, "accounts", "acct");
        Directory.CreateDirectory(Path.Combine(accountRoot, "p0"));
        RandomAdminCommands.WriteProjectFile(Path.Combine(accountRoot, "p0", "data.parquet"), grown: false);
        using var sqlite = AdminCatalog.Open(Path.Combine(_dir, "sqlite"));
        using var postgres = AdminCatalog.Open(Path.Combine(_dir, "postgres"), server.OpenStore());
        string[] script =
        [
            $"ASSOCIATE ACCOUNT acct LOCATION '{accountRoot}' ADMIN carol", "ACCEPT ACCOUNT acct",
            "CREATE PROJECT PROFILE prof BLUEPRINTS (query_limits WITH (memory = '1GB'))",
            "CREATE PROJECT p0 ACCOUNT acct PROFILE prof", "CREATE PROJECT p1 ACCOUNT acct PROFILE prof", "CREATE GROUP g0",
            "ADD MEMBER GROUP g0 TO PROJECT p1 AS VIEWER",
            "CREATE GLOSSARY TERM 'Revenue' DESCRIPTION 'money'", "CREATE GLOSSARY TERM 'Net Revenue' PARENT 'revenue'",
            "CREATE ASSET p0.a0 FROM 'data.parquet' TERMS ('Revenue')", "CREATE ASSET p0.a1 FROM 'data.parquet'", "PUBLISH ASSET p0.a0",
            "REQUEST SUBSCRIPTION TO p0.a0 FOR PROJECT p1 JUSTIFICATION 'why'", "APPROVE SUBSCRIPTION 1",
            "ALTER PROJECT p0 RENAME TO producer", "ALTER GROUP g0 RENAME TO readers", "ALTER ACCOUNT acct RENAME TO store",
            "ALTER PROJECT PROFILE prof RENAME TO standard", "ALTER ASSET producer.a0 RENAME TO orders",
            "ALTER GLOSSARY TERM 'REVENUE' RENAME TO 'Income'", "DROP ASSET producer.a1", "DROP GLOSSARY TERM 'net revenue'",
            "CREATE ASSET producer.a1 FROM 'data.parquet'",
        ];
        foreach (var admin in new[] { sqlite, postgres })
        {
            admin.SetUser("carol", "carol", domainAdmin: true);
            foreach (var sql in script)
            {
                var state = Run(admin, "carol", sql);
                Assert.True(state is null, $"{sql} failed on {admin.Catalog.Store.GetType().Name} with {state}");
            }
        }
        Assert.Equal(Dump(sqlite.Catalog.Store), Dump(postgres.Catalog.Store));
        Assert.Equal(["Income"], postgres.Catalog.Store.Read(r => r.Terms().Select(t => t.Term).ToList()));
        Assert.Equal(3, postgres.Catalog.Store.Read(r => r.GetAsset("producer", "a1")!.Id)); // a dropped asset's id is not reused
        Assert.Equal(AuditOf(sqlite.Catalog.Store), AuditOf(postgres.Catalog.Store));
        Assert.Equal(EventsOf(sqlite.Catalog.Store), EventsOf(postgres.Catalog.Store));
    }

    [Fact]
    public void The_comparison_sees_a_difference_between_the_stores()
    {
        // The probe must fire before its passes mean anything: one command run on one store only shows.
        var database = server.NewDatabase();
        using var sqlite = AdminCatalog.Open(Path.Combine(_dir, "sqlite"));
        using var postgres = AdminCatalog.Open(Path.Combine(_dir, "postgres"), server.OpenStore(database));
        sqlite.SetUser("carol", "carol", domainAdmin: true);
        postgres.SetUser("carol", "carol", domainAdmin: true);
        Assert.Equal(Dump(sqlite.Catalog.Store), Dump(postgres.Catalog.Store));
        Assert.Null(Run(postgres, "carol", "CREATE GROUP g0"));
        Assert.NotEqual(Dump(sqlite.Catalog.Store), Dump(postgres.Catalog.Store));
    }

    private static string Dump(ICatalogStore store)
    {
        var snapshot = FreshLoad(store);
        return Normalize(SnapshotDump.Of(snapshot, _ => false)) + PartitionsOf(store);
    }

    private static string PartitionsOf(ICatalogStore store)
    {
        var snapshot = FreshLoad(store);
        return string.Concat(snapshot.Projects.Select(p => p.Name).Order(StringComparer.Ordinal).Select(p => p + "\n" + Normalize(SnapshotDump.Partition(snapshot, p))));
    }

    private static CatalogSnapshot FreshLoad(ICatalogStore store)
    {
        var snapshot = store.Read(r => SnapshotLoader.Load(r, new StoreSnapshotSource(store)));
        snapshot.Preload(snapshot.Projects.Select(p => p.Name));
        return snapshot;
    }

    private static List<string> AuditOf(ICatalogStore store) =>
        store.Read(r => r.Audit(10_000, null)).Select(a => $"{a.User} {a.Kind} {a.Command} {a.Outcome} {a.SqlState} {string.Join(',', a.SubscriptionIds)}").ToList();

    private static List<string> EventsOf(ICatalogStore store) =>
        store.Read(r => r.Events(new EventQuery(10_000))).Select(e => $"{e.Id} {e.Kind} {e.SubscriptionId} {e.Asset} {e.ConsumerProject} {e.OwnerProject} {e.Actor}").ToList();

    /// <summary>
    /// Times differ between the two runs (each command takes the clock's time), and each catalog draws its own mask key and
    /// password salts: they are compared as present, not by value.
    /// </summary>
    private static string Normalize(string dump) => Verifiers().Replace(MaskKey().Replace(Times().Replace(dump, "<time>"), "mask <key>"), "SCRAM-SHA-256<verifier>");

    [GeneratedRegex("SCRAM-SHA-256\\$[^\"]+")]
    private static partial Regex Verifiers();

    [GeneratedRegex("^mask [0-9a-f]{64}$", RegexOptions.Multiline)]
    private static partial Regex MaskKey();

    [GeneratedRegex(@"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)")]
    private static partial Regex Times();

    private static string? Run(AdminCatalog admin, string user, string sql)
    {
        var statement = StatementSplitter.Split(sql).Single();
        Assert.True(AdminParser.TryParse(statement, out var command), "not an admin command: " + sql);
        try
        {
            admin.Executor.Execute(command!, user, "postgres", sql);
            return null;
        }
        catch (PgErrorException e)
        {
            return e.SqlState;
        }
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
