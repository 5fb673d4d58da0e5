using System.Diagnostics;
using DataMesh.Gateway.Soak;
using Npgsql;

// The soak and load run: the real gateway as a child process, 64 clients (consumers, admins, metadata readers) for a
// configurable time, then the figures and the checks. Exit code 0 only when every check passed.
SoakOptions options;
try
{
    options = SoakOptions.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}

if (Directory.Exists(options.DataDir)) Directory.Delete(options.DataDir, recursive: true);
Directory.CreateDirectory(options.DataDir);
Console.WriteLine($"soak: {options.Clients} clients for {options.Duration}, {options.Projects} consumer projects, {options.Nodes} node(s) on "
                  + $"{(options.Catalog is null ? "the embedded catalog" : "a PostgreSQL catalog")}, data in {options.DataDir}");

// The first node seeds the demo (and the soak's setup runs through it); a second node on the shared catalog serves
// that mesh over the same files (serve --demo on a shared catalog seeds once).
using var gateway = GatewayChild.Start(options.DataDir, options.Catalog);
var root = $"Host=127.0.0.1;Port={gateway.Port};SSL Mode=Disable;Pooling=false;Timeout=30;Command Timeout=120";
GatewayChild? second = null;
var failures = new List<string>();
try
{
    await WaitUntilConnectableAsync(root, gateway);
    string[] roots = [root];
    if (options.Nodes == 2)
    {
        var secondDir = options.DataDir + "-b";
        if (Directory.Exists(secondDir)) Directory.Delete(secondDir, recursive: true);
        second = GatewayChild.Start(secondDir, options.Catalog);
        var secondRoot = $"Host=127.0.0.1;Port={second.Port};SSL Mode=Disable;Pooling=false;Timeout=30;Command Timeout=120";
        await WaitUntilConnectableAsync(secondRoot, second);
        roots = [root, secondRoot];
    }
    await SoakSetup.RunAsync(root, options.DataDir, options.Projects);
    // The second node learns of the soak's users and projects when it next follows the change log (every second):
    // signing in before that would fail and count towards the address's login throttle.
    if (roots.Length > 1) await Task.Delay(TimeSpan.FromSeconds(2));
    // Each project's engine instance (and its workspace file) opens with the first session: open one per project
    // first, so the idle baseline already holds them and only what the run leaks would show as growth.
    for (var p = 0; p < options.Projects; p++)
    {
        foreach (var nodeRoot in roots)
        {
            await using var prime = await OpenWithinAsync(nodeRoot, SoakSetup.UserName(p), SoakSetup.Password(p), SoakSetup.ProjectName(p));
            await SoakSetup.ExecAsync(prime, "SELECT count(*) FROM information_schema.tables");
        }
    }
    var idleBefore = await SettledSampleAsync(gateway);

    var admins = Math.Min(options.Projects, options.Clients / 4);
    var metadata = Math.Max(1, options.Clients / 8);
    var consumers = options.Clients - admins - metadata;
    var ledger = new GrantLedger(options.Projects, options.RevokeAllowance);
    var stats = new SoakStats();
    var started = DateTime.UtcNow;
    var deadline = started + options.Duration;
    var workers = new Workers(options, roots, ledger, stats, deadline);
    var tasks = new List<Task>();
    // One admin client per project (each owns its project's grant timeline), consumers spread over the projects.
    foreach (var i in Enumerable.Range(0, admins)) tasks.Add(Task.Run(() => workers.AdminAsync(i, 1000 + i)));
    foreach (var i in Enumerable.Range(0, consumers)) tasks.Add(Task.Run(() => workers.ConsumerAsync(i % admins, 2000 + i)));
    foreach (var i in Enumerable.Range(0, metadata)) tasks.Add(Task.Run(() => workers.MetadataAsync(3000 + i)));
    Console.WriteLine($"soak: {consumers} consumers, {admins} admins, {metadata} metadata readers");

    // Baseline after warm-up, last sample just before the clients stop: both with every client connected.
    var warmAt = started + options.Duration * options.WarmupFraction;
    var samples = new List<(TimeSpan At, ProcessSample Sample)>();
    ProcessSample? warm = null;
    var all = Task.WhenAll(tasks);
    while (!all.IsCompleted && DateTime.UtcNow < deadline - TimeSpan.FromSeconds(2))
    {
        await Task.WhenAny(all, Task.Delay(TimeSpan.FromSeconds(Math.Clamp(options.Duration.TotalSeconds / 40, 1, 30))));
        if (gateway.HasExited) break;
        var sample = gateway.Sample();
        samples.Add((DateTime.UtcNow - started, sample));
        if (warm is null && DateTime.UtcNow >= warmAt) warm = sample;
    }
    var loaded = gateway.HasExited ? null : gateway.Sample();
    await all;
    var elapsed = DateTime.UtcNow - started;
    if (gateway.HasExited) failures.Add("the gateway exited during the run");
    if (second is { HasExited: true }) failures.Add("the second node exited during the run");
    var idleAfter = gateway.HasExited ? null : await SettledSampleAsync(gateway);

    // ---- checks
    if (ledger.Violations > 0) failures.Add($"{ledger.Violations} row(s) outside the consumer's grant: {string.Join("; ", ledger.Examples)}");
    foreach (var e in stats.Errors().Where(e => !e.Expected)) failures.Add($"unexpected error class {e.Class} in {e.Kind} ({e.Count}x): {e.Example}");
    var overall = stats.Overall();
    if (overall.Count == 0) failures.Add("no operation completed");
    if (warm is not null && loaded is not null)
    {
        var allowance = Math.Max(64L * 1048576, warm.RssBytes / 4);
        if (loaded.RssBytes - warm.RssBytes > allowance)
            failures.Add($"memory not flat: RSS {warm.RssMiB} MiB after warm-up, {loaded.RssMiB} MiB at the end (allowed +{allowance / 1048576} MiB)");
    }
    else failures.Add("no memory baseline after warm-up (run too short?)");
    if (idleAfter is not null && idleAfter.OpenFiles > idleBefore.OpenFiles + 16)
        failures.Add($"handles not flat: {idleBefore.OpenFiles} open files before the clients, {idleAfter.OpenFiles} after they left");
    if (!gateway.Stop(TimeSpan.FromSeconds(60))) failures.Add("the gateway did not stop cleanly on SIGTERM (exit code 0)");
    if (second is not null && !second.Stop(TimeSpan.FromSeconds(60))) failures.Add("the second node did not stop cleanly on SIGTERM (exit code 0)");
    // PostgreSQL checks its own pages; the embedded file gets SQLite's integrity check.
    var integrity = options.Catalog is null ? CatalogIntegrity(options.DataDir) : "ok";
    if (integrity != "ok") failures.Add($"catalog integrity check after the run: {integrity}");

    var report = SoakReport.Markdown(options, elapsed, stats, ledger, idleBefore, warm, loaded, idleAfter, samples, integrity, failures,
        consumers, admins, metadata);
    Console.WriteLine(report);
    if (options.Markdown is not null) await File.WriteAllTextAsync(options.Markdown, report);
}
catch (Exception e) when (e is NpgsqlException or IOException or TimeoutException or InvalidOperationException)
{
    failures.Add($"the soak could not run: {e.GetType().Name}: {e.Message}");
}
if (failures.Count > 0)
{
    Console.Error.WriteLine("soak FAILED:");
    foreach (var f in failures) Console.Error.WriteLine("  - " + f);
    foreach (var line in gateway.LogTail) Console.Error.WriteLine("  gateway: " + line);
    foreach (var line in second?.LogTail ?? []) Console.Error.WriteLine("  second node: " + line);
    second?.Dispose();
    return 1;
}
second?.Dispose();
Console.WriteLine("soak passed");
try
{
    Directory.Delete(options.DataDir, recursive: true);
    if (Directory.Exists(options.DataDir + "-b")) Directory.Delete(options.DataDir + "-b", recursive: true);
}
catch (IOException)
{
    // best effort
}
return 0;

static async Task WaitUntilConnectableAsync(string root, GatewayChild gateway)
{
    var watch = Stopwatch.StartNew();
    while (true)
    {
        if (gateway.HasExited) throw new InvalidOperationException("the gateway exited during startup");
        try
        {
            await using var probe = await SoakSetup.OpenAsync(root, "carol", "carol", "postgres");
            return;
        }
        catch (NpgsqlException) when (watch.Elapsed < TimeSpan.FromSeconds(180))
        {
            await Task.Delay(200);
        }
    }
}

// A user created on the first node signs in on the second once that node has followed the change log (about 1 s).
static async Task<NpgsqlConnection> OpenWithinAsync(string root, string user, string password, string database)
{
    var watch = Stopwatch.StartNew();
    while (true)
    {
        try
        {
            return await SoakSetup.OpenAsync(root, user, password, database);
        }
        catch (PostgresException e) when (e.SqlState is "28P01" or "3D000" && watch.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(100);
        }
    }
}

// Idle figures once the clients' sockets have closed on the server's side too.
static async Task<ProcessSample> SettledSampleAsync(GatewayChild gateway)
{
    await Task.Delay(TimeSpan.FromSeconds(3));
    return gateway.Sample();
}

static string CatalogIntegrity(string dataDir)
{
    using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(dataDir, "catalog.db")};Mode=ReadOnly;Pooling=False");
    connection.Open();
    using var cmd = connection.CreateCommand();
    cmd.CommandText = "PRAGMA integrity_check";
    return cmd.ExecuteScalar() as string ?? "?";
}
