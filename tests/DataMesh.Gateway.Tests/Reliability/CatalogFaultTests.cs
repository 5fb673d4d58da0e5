using System.Diagnostics;
using DataMesh.Gateway.Catalog.Model;
using DataMesh.Gateway.Catalog.Store;
using DataMesh.Gateway.Configuration;
using DataMesh.Gateway.Tests.Admin;
using DataMesh.Gateway.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Npgsql;
using Xunit.Abstractions;

namespace DataMesh.Gateway.Tests.Reliability;

/// <summary>
/// Faults under the catalog: another SQLite connection holding the write lock (the gateway retries with backoff and
/// succeeds once it is released, or fails cleanly when the budget runs out), and a full disk (a small tmpfs filled
/// to the last byte: admin commands fail with 53100 and leave nothing behind, consumer queries go on from the
/// in-memory snapshot, and the same command succeeds once space is freed).
/// </summary>
[Collection(AdminCollection.Name)]
public sealed class CatalogFaultTests(AdminGatewayFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task A_write_waits_with_backoff_while_another_connection_holds_the_lock_then_commits()
    {
        var path = Path.Combine(AdminSql.NewTempDirectory("busy"), "catalog.db");
        using var store = SqliteCatalogStore.Open(path);
        using var holder = OpenExternal(path);
        using var held = holder.BeginTransaction(deferred: false); // BEGIN IMMEDIATE: the write lock, held

        var write = Task.Run(() => store.Write(w =>
        {
            w.InsertTerm(new GlossaryTermRecord("busy term", "written after the lock was released", DateTimeOffset.UtcNow));
            return 0;
        }));
        await WaitUntilAsync(() => store.BusyRetries >= 3 || write.IsCompleted, "the store retries while the lock is held");
        Assert.False(write.IsCompleted, "the write cannot complete while another connection holds the lock");
        held.Rollback();

        await write;
        Assert.NotNull(store.Read(r => r.GetTerm("busy term")));
        output.WriteLine($"{store.BusyRetries} retries before the lock was released");
    }

    [Fact]
    public async Task A_lock_held_longer_than_the_budget_fails_cleanly_and_the_next_write_succeeds()
    {
        var path = Path.Combine(AdminSql.NewTempDirectory("busy"), "catalog.db");
        using var store = SqliteCatalogStore.Open(path, busyBudget: TimeSpan.FromSeconds(3));
        using (var holder = OpenExternal(path))
        using (holder.BeginTransaction(deferred: false))
        {
            var e = await Assert.ThrowsAsync<CatalogStoreException>(() => Task.Run(() => store.Write(w =>
            {
                w.InsertTerm(new GlossaryTermRecord("never", null, DateTimeOffset.UtcNow));
                return 0;
            })));
            Assert.Equal(CatalogFault.Busy, e.Fault);
            Assert.DoesNotContain(path, e.Message);
            Assert.True(store.BusyRetries > 0);
        }
        store.Write(w =>
        {
            w.InsertTerm(new GlossaryTermRecord("after", null, DateTimeOffset.UtcNow));
            return 0;
        });
        Assert.Null(store.Read(r => r.GetTerm("never")));
        Assert.NotNull(store.Read(r => r.GetTerm("after")));
    }

    [Fact]
    public async Task An_admin_command_waits_for_a_lock_held_by_another_process_and_then_succeeds()
    {
        var store = (SqliteCatalogStore)fixture.Host.Catalog.Catalog.Store;
        var term = AdminSql.Unique("locked term");
        await using var carol = await fixture.OpenAsync("carol");
        Task command;
        var before = store.BusyRetries;
        using (var holder = OpenExternal(Path.Combine(fixture.DataDirectory, "catalog.db")))
        using (var held = holder.BeginTransaction(deferred: false))
        {
            command = carol.ExecAsync($"CREATE GLOSSARY TERM {AdminSql.Quote(term)} DESCRIPTION 'waited for the lock'");
            await WaitUntilAsync(() => store.BusyRetries >= before + 3 || command.IsCompleted, "the gateway retries the locked catalog");
            Assert.False(command.IsCompleted, "the command waits while the lock is held");
            held.Rollback();
        }
        await command;
        Assert.Equal("waited for the lock", (await carol.QueryAsync("SHOW GLOSSARY")).Single("term", term)["description"]);
    }

    [Fact]
    public async Task A_full_disk_fails_admin_commands_with_53100_and_consumer_reads_go_on()
    {
        var mount = Path.Combine(Path.GetTempPath(), "datamesh-tests", "full-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(mount);
        var mounted = Run("mount", "-t", "tmpfs", "-o", "size=96m", "tmpfs", mount);
        Assert.True(mounted == 0, "this test mounts a 96 MiB tmpfs (it needs root, as tests/test.sh runs in CI)");
        try
        {
            var settings = new GatewaySettings { Listen = "127.0.0.1:0", DataDir = Path.Combine(mount, "data"), Demo = true, ShutdownGraceSeconds = 1 };
            await using var host = GatewayHost.Start(settings, Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance, GatewayFixture.SeedDirectory);
            string Cs(string user, string db) => $"Host=127.0.0.1;Port={host.EndPoint.Port};Username={user};Password={user};Database={db};SSL Mode=Disable;Pooling=false;Timeout=15;Command Timeout=60";
            await using var bob = new NpgsqlConnection(Cs("bob", "ml_research"));
            await bob.OpenAsync();
            var europe = await CountAsync(bob, "SELECT count(*) FROM mkt_sls_table");
            // A fresh connection per admin command: Npgsql drops its connection after some class 53 errors.
            async Task<AdminRows> Carol(string sql)
            {
                await using var c = new NpgsqlConnection(Cs("carol", "postgres"));
                await c.OpenAsync();
                return await c.QueryAsync(sql);
            }
            var users = (await Carol("SHOW USERS")).Count;

            // Fill the file system to the last byte: SQLite then gets ENOSPC, which it reports as SQLITE_FULL.
            var filler = Path.Combine(mount, "filler");
            // Larger than any slack the WAL file may still have, so the transaction must grow a file.
            var big = new string('x', 4 * 1024 * 1024);
            await using (var carol = new NpgsqlConnection(Cs("carol", "postgres")))
            {
                await carol.OpenAsync();
                // Filled after sign-in and topped up until the file system reports no byte free: a background write
                // (a queued audit record) or a file another writer gave up and deleted must not leave room behind.
                Fill(filler);
                var full = await FailsWhenFullAsync(carol, $"CREATE GLOSSARY TERM 'too big' DESCRIPTION '{big}'", mount, filler);
                output.WriteLine($"{full.SqlState}: {full.MessageText} ({full.Hint})");
                Assert.DoesNotContain(mount, full.MessageText + full.Hint + full.Detail);
            }

            // Consumer reads go on while the disk is full: the snapshot is in memory, the engine only reads.
            Assert.Equal(europe, await CountAsync(bob, "SELECT count(*) FROM mkt_sls_table"));
            await using (var again = new NpgsqlConnection(Cs("bob", "ml_research")))
            {
                await again.OpenAsync();
                Assert.Equal(europe, await CountAsync(again, "SELECT count(*) FROM mkt_sls_table"));
            }

            File.Delete(filler);
            // Nothing of the failed command was written; the same command now succeeds.
            Assert.Empty((await Carol("SHOW GLOSSARY")).RowsWhere("term", "too big"));
            await Carol($"CREATE GLOSSARY TERM 'too big' DESCRIPTION '{big[..1000]}'");
            Assert.Single((await Carol("SHOW GLOSSARY")).RowsWhere("term", "too big"));
            Assert.Equal(users, (await Carol("SHOW USERS")).Count);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Run("umount", "-l", mount);
        }
    }

    /// <summary>
    /// Runs the command once the file system holding <paramref name="mount"/> has no byte free, expecting 53100; any
    /// other outcome fails with what the disk looked like then (free bytes, the catalog's files), so a failure in CI
    /// says why rather than only where.
    /// </summary>
    private static async Task<PostgresException> FailsWhenFullAsync(NpgsqlConnection connection, string sql, string mount, string filler)
    {
        for (var topUp = 0; new DriveInfo(mount).AvailableFreeSpace > 0 && topUp < 20; topUp++)
        {
            await Task.Delay(50);
            Fill(filler, append: true);
        }
        var freeBefore = new DriveInfo(mount).AvailableFreeSpace;
        Exception? thrown = null;
        try
        {
            await using var command = new NpgsqlCommand(sql, connection);
            await command.ExecuteNonQueryAsync();
        }
        catch (Exception e)
        {
            thrown = e;
        }
        if (thrown is PostgresException { SqlState: "53100" } full)
            return full;
        var files = string.Join(", ", Directory.EnumerateFiles(Path.Combine(mount, "data"), "catalog.db*")
            .Select(f => $"{Path.GetFileName(f)} {new FileInfo(f).Length} B"));
        Assert.Fail($"expected SQLSTATE 53100 on a full disk, got {(thrown is null ? "success" : thrown.GetType().Name + ": " + thrown.Message)}; " +
                    $"free bytes before the command {freeBefore}, after {new DriveInfo(mount).AvailableFreeSpace}; {files}");
        throw new UnreachableException();
    }

    private static void Fill(string path, bool append = false)
    {
        var chunk = new byte[1024 * 1024];
        using var stream = new FileStream(path, append ? FileMode.Append : FileMode.Create, FileAccess.Write, FileShare.None, 1, FileOptions.WriteThrough);
        try
        {
            while (true) stream.Write(chunk);
        }
        catch (IOException)
        {
            // ENOSPC: the megabyte that did not fit. Fill the rest byte-exact, then the disk is full.
        }
        var one = new byte[4096];
        try
        {
            while (true) stream.Write(one);
        }
        catch (IOException)
        {
        }
        var b = new byte[1];
        try
        {
            while (true) stream.Write(b);
        }
        catch (IOException)
        {
        }
    }

    private static async Task<long> CountAsync(NpgsqlConnection connection, string sql)
    {
        await using var cmd = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static SqliteConnection OpenExternal(string path)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false, DefaultTimeout = 5 }.ToString());
        connection.Open();
        return connection;
    }

    private static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var watch = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(60), $"timed out waiting: {what}");
            await Task.Delay(20);
        }
    }

    private static int Run(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        process.WaitForExit();
        return process.ExitCode;
    }
}
