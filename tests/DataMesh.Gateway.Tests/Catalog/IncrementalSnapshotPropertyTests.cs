using DataMesh.Gateway.Admin;
using DataMesh.Gateway.Catalog;
using DataMesh.Gateway.Catalog.Snapshots;
using DataMesh.Gateway.Catalog.Store;
using DataMesh.Gateway.Protocol.Errors;
using DataMesh.Gateway.Sql.Admin;
using DataMesh.Gateway.Sql.Lexing;
using Microsoft.Data.Sqlite;

namespace DataMesh.Gateway.Tests.Catalog;

/// <summary>
/// The incremental snapshot against the truth: random sequences of admin commands (every kind of change), and after
/// every command the patched snapshot compared record by record with a snapshot loaded whole from the store — both the
/// gateway's own (patched after its writes) and a follower's on the same catalog file (patched from the change log
/// only, as another process or a fleet node follows it). Some partitions are loaded before each command and some not,
/// so both patching a loaded partition and leaving a fresh one to load are exercised. Also: a command that changes
/// nothing a snapshot holds (or fails) keeps the very same snapshot; every project whose grant inputs changed has a new
/// policy stamp, every (user, project) whose access changed a new access stamp; and nothing is ever reloaded whole.
/// </summary>
public sealed class IncrementalSnapshotPropertyTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "datamesh-tests", "snapshot-property-" + Guid.NewGuid().ToString("N"));
    private readonly string _accountRoot;
    private readonly AdminCatalog _admin;
    private readonly CatalogService _follower;
    private readonly List<string> _failures = [];

    public IncrementalSnapshotPropertyTests()
    {
        _accountRoot = Path.Combine(_dir, "accounts", "acct");
        foreach (var project in RandomAdminCommands.ProjectNames)
        {
            Directory.CreateDirectory(Path.Combine(_accountRoot, project));
            RandomAdminCommands.WriteProjectFile(Path.Combine(_accountRoot, project, "data.parquet"), grown: false);
            RandomAdminCommands.WriteProjectFile(Path.Combine(_accountRoot, project, "wide.parquet"), grown: true);
        }
        _admin = AdminCatalog.Open(_dir);
        _admin.SetUser("carol", "carol", domainAdmin: true);
        Run("carol", $"ASSOCIATE ACCOUNT acct LOCATION '{_accountRoot}' ADMIN carol");
        Run("carol", "ACCEPT ACCOUNT acct");
        Run("carol", "CREATE PROJECT PROFILE prof BLUEPRINTS (query_limits WITH (memory = '1GB'))");
        _follower = new CatalogService(SqliteCatalogStore.Open(AdminCatalog.CatalogPath(_dir)));
    }

    [Theory]
    [InlineData(1, 250)]
    [InlineData(2, 250)]
    [InlineData(3, 250)]
    public void Patched_snapshots_equal_a_full_load_after_every_admin_command(int seed, int steps)
    {
        var random = new Random(seed);
        var commands = new RandomAdminCommands(random, _accountRoot) { GrowFile = p => RandomAdminCommands.WriteProjectFile(Path.Combine(_accountRoot, p, "data.parquet"), grown: true) };
        var catalog = _admin.Catalog;
        var store = catalog.Store;
        var truthBefore = FreshLoad(store);
        var succeeded = 0;
        for (var step = 0; step < steps; step++)
        {
            // The gateway loads partitions often, the follower seldom: patches meet both loaded and unloaded partitions.
            LoadSomePartitions(catalog.Snapshot, random, 0.3);
            LoadSomePartitions(_follower.Snapshot, random, 0.05);
            var before = catalog.Snapshot;
            var followerBefore = _follower.Snapshot;
            var command = commands.Next(store.Read(CatalogWorld.Read));
            var failed = !Run(command.User, command.Sql);
            if (!failed) succeeded++;
            var after = catalog.Snapshot;
            var context = $"seed {seed} step {step}: {command.Sql} ({(failed ? "failed" : "ok")})";
            if (failed || command.SnapshotUnchanged) Assert.True(ReferenceEquals(before, after), "a new snapshot after " + context);

            var truth = FreshLoad(store);
            AssertSame(truth, after, context);
            _follower.CatchUp();
            AssertSame(truth, _follower.Snapshot, "follower, " + context);
            AssertStampsMoved(truthBefore, truth, before, after, context);
            AssertStampsMoved(truthBefore, truth, followerBefore, _follower.Snapshot, "follower, " + context);
            truthBefore = truth;
        }

        Assert.True(succeeded > steps / 2, $"only {succeeded} of {steps} commands succeeded: the sequence barely changed the catalog; failures: "
            + string.Join("; ", _failures.GroupBy(f => f).OrderByDescending(g => g.Count()).Select(g => $"{g.Count()}× {g.Key}")));
        Assert.Equal(1, catalog.FullLoads); // patched every time, never reloaded
        Assert.Equal(1, _follower.FullLoads);
        var kinds = ChangeKindsLogged();
        foreach (var kind in new[] { ChangeKinds.User, ChangeKinds.Group, ChangeKinds.Project, ChangeKinds.Asset, ChangeKinds.Subscription,
                     ChangeKinds.Domain, ChangeKinds.Account, ChangeKinds.Profile, ChangeKinds.Term })
            Assert.True(kinds.Contains(kind), $"seed {seed} made no {kind} change: raise its steps");
    }

    [Fact]
    public void The_comparison_sees_a_change_the_change_log_did_not_record()
    {
        // The probe must fire before its passes mean anything: a row changed behind the log's back shows as a difference.
        Run("carol", "CREATE PROJECT p0 ACCOUNT acct PROFILE prof");
        Run("carol", "CREATE ASSET p0.a0 FROM 'data.parquet' DESCRIPTION 'before'");
        var snapshot = _admin.Catalog.Snapshot;
        snapshot.Preload(["p0"]);
        Assert.Equal(SnapshotDump.Of(FreshLoad(_admin.Catalog.Store), snapshot.IsLoaded), SnapshotDump.Of(snapshot, snapshot.IsLoaded));
        using (var sqlite = new SqliteConnection($"Data Source={AdminCatalog.CatalogPath(_dir)};Pooling=False"))
        {
            sqlite.Open();
            using var cmd = sqlite.CreateCommand();
            cmd.CommandText = "UPDATE assets SET description = 'behind the log' WHERE name = 'a0'";
            Assert.Equal(1, cmd.ExecuteNonQuery());
        }
        _admin.Catalog.CatchUp();
        Assert.Same(snapshot, _admin.Catalog.Snapshot);
        Assert.NotEqual(SnapshotDump.Of(FreshLoad(_admin.Catalog.Store), snapshot.IsLoaded), SnapshotDump.Of(snapshot, snapshot.IsLoaded));
    }

    private static void AssertSame(CatalogSnapshot truth, CatalogSnapshot patched, string context)
    {
        // The patched snapshot's loaded partitions as they are; the truth's are read from the store.
        var expected = SnapshotDump.Of(truth, patched.IsLoaded);
        var actual = SnapshotDump.Of(patched, patched.IsLoaded);
        if (expected == actual) return;
        var e = expected.Split('\n');
        var a = actual.Split('\n');
        var first = Enumerable.Range(0, Math.Min(e.Length, a.Length)).FirstOrDefault(i => e[i] != a[i], Math.Min(e.Length, a.Length));
        Assert.Fail($"patched snapshot differs from a full load after {context}\n expected: {e.ElementAtOrDefault(first)}\n   actual: {a.ElementAtOrDefault(first)}");
    }

    /// <summary>Whatever changed in a project's grant inputs moved its policy stamp; whatever changed a user's access moved its access stamp.</summary>
    private static void AssertStampsMoved(CatalogSnapshot truthBefore, CatalogSnapshot truth, CatalogSnapshot before, CatalogSnapshot after, string context)
    {
        foreach (var project in truth.Projects.Select(p => p.Name).Where(p => truthBefore.Project(p) is not null))
        {
            if (SnapshotDump.PolicyInputs(truthBefore, project) != SnapshotDump.PolicyInputs(truth, project))
                Assert.True(after.PolicyStamp(project) != before.PolicyStamp(project), $"policy stamp of {project} kept after {context}");
        }
        var rolesBefore = SnapshotDump.Roles(truthBefore);
        foreach (var ((user, project), role) in SnapshotDump.Roles(truth))
        {
            var changed = !rolesBefore.TryGetValue((user, project), out var old) || old != role
                || truthBefore.IsDomainAdmin(user) != truth.IsDomainAdmin(user) || truthBefore.User(user)?.CreatedAt != truth.User(user)?.CreatedAt;
            if (changed && truthBefore.User(user) is not null && truthBefore.Project(project) is not null)
                Assert.True(after.AccessStamp(user, project) != before.AccessStamp(user, project), $"access stamp of {user} in {project} kept after {context}");
        }
    }

    /// <summary>The truth: a snapshot loaded whole, its partitions read at once (later reads would see later states).</summary>
    private static CatalogSnapshot FreshLoad(ICatalogStore store)
    {
        var snapshot = store.Read(r => SnapshotLoader.Load(r, new StoreSnapshotSource(store)));
        snapshot.Preload(snapshot.Projects.Select(p => p.Name));
        return snapshot;
    }

    private static void LoadSomePartitions(CatalogSnapshot snapshot, Random random, double probability) =>
        snapshot.Preload(snapshot.Projects.Select(p => p.Name).Where(_ => random.NextDouble() < probability).ToList());

    private HashSet<string> ChangeKindsLogged()
    {
        using var sqlite = new SqliteConnection($"Data Source={AdminCatalog.CatalogPath(_dir)};Pooling=False");
        sqlite.Open();
        using var cmd = sqlite.CreateCommand();
        cmd.CommandText = "SELECT DISTINCT kind FROM catalog_changes";
        using var reader = cmd.ExecuteReader();
        var kinds = new HashSet<string>();
        while (reader.Read()) kinds.Add(reader.GetString(0));
        return kinds;
    }

    private bool Run(string user, string sql)
    {
        var statement = StatementSplitter.Split(sql).Single();
        Assert.True(AdminParser.TryParse(statement, out var command), "not an admin command: " + sql);
        try
        {
            _admin.Executor.Execute(command!, user, "postgres", sql);
            return true;
        }
        catch (PgErrorException e)
        {
            _failures.Add($"{string.Join(' ', sql.Split(' ').Take(2))} {e.SqlState}");
            return false;
        }
    }

    public void Dispose()
    {
        _follower.Dispose();
        _admin.Dispose();
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
