using System.Diagnostics;
using System.Globalization;
using System.Text;
using DataMesh.Gateway.Admin;
using DataMesh.Gateway.Catalog.Postgres;
using DataMesh.Gateway.Configuration;
using DataMesh.Gateway.Protocol.Errors;
using DataMesh.Gateway.Sql.Admin;
using DataMesh.Gateway.Sql.Lexing;
using DataMesh.Gateway.Tests.Catalog;
using DataMesh.Gateway.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace DataMesh.Gateway.Tests.Fleet;

/// <summary>
/// <c>datamesh catalog migrate --from sqlite:PATH --to postgresql://…</c> (the real CLI, as a process): a catalog built by
/// the random admin commands (every kind of object: users, groups, projects, members, accounts, profiles, terms, assets
/// and revisions, subscriptions in every state with filters, columns, masks and expiry, audit, events) is copied table
/// for table, row for row; a gateway on the copy answers every SHOW and DESCRIBE and every consumer query exactly as a
/// gateway on the SQLite file does (masks included: the mask key moves with the catalog), and hands out the same next
/// ids. A non-empty target is refused unless --replace, and a copy that fails part-way leaves nothing behind.
/// </summary>
public sealed partial class CatalogMigrationTests(PostgresCatalogServer server) : IClassFixture<PostgresCatalogServer>, IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "datamesh-tests", "migrate-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task A_migrated_catalog_serves_exactly_what_the_sqlite_file_serves()
    {
        var single = BuildCatalog(seed: 11, steps: 150);
        var target = new NpgsqlConnectionStringBuilder(server.NewDatabase());
        var (code, output) = Migrate(single, target);
        Assert.True(code == 0, output);
        Assert.Contains("rows", output);

        var tables = MigrationDump.Tables(Path.Combine(single, "catalog.db"), target.ConnectionString);
        Assert.Equal(tables.Sqlite, tables.Postgres);
        Assert.Contains(tables.Sqlite, t => t.StartsWith("audit_log\n", StringComparison.Ordinal) && t.Count(c => c == '\n') > 100);

        await using var a = GatewayHost.Start(new GatewaySettings { Listen = "127.0.0.1:0", DataDir = single }, NullLoggerFactory.Instance, GatewayFixture.SeedDirectory);
        await using var b = GatewayHost.Start(new GatewaySettings { Listen = "127.0.0.1:0", DataDir = Path.Combine(_dir, "node"), Catalog = target.ConnectionString },
            NullLoggerFactory.Instance, GatewayFixture.SeedDirectory);
        var statements = AdminReads(a.Catalog);
        Assert.True(statements.Count > 40, $"only {statements.Count} SHOW/DESCRIBE statements");
        foreach (var sql in statements) Assert.Equal(await AnswerAsync(a, "carol", "postgres", sql), await AnswerAsync(b, "carol", "postgres", sql));

        var consumerRows = 0;
        foreach (var project in a.Catalog.Catalog.Snapshot.Projects.Select(p => p.Name).Order(StringComparer.Ordinal))
        {
            var listing = "SELECT table_schema, table_name FROM information_schema.tables ORDER BY 1, 2";
            var visible = await AnswerAsync(a, "reader", project, listing);
            Assert.Equal(visible, await AnswerAsync(b, "reader", project, listing));
            foreach (var table in visible.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(l => l.Split('|')))
            {
                var sql = $"SELECT * FROM \"{table[0]}\".\"{table[1]}\" ORDER BY 1, 2, 3";
                var expected = await AnswerAsync(a, "reader", project, sql);
                Assert.Equal(expected, await AnswerAsync(b, "reader", project, sql));
                consumerRows += expected.Count(c => c == '\n') - 1;
            }
        }
        Assert.True(consumerRows > 10, $"the consumers read only {consumerRows} rows: the comparison proves little");

        // The copy goes on where the file left off: the next subscription, event and asset ids are the same.
        foreach (var host in new[] { a, b })
        {
            await AnswerAsync(host, "carol", "postgres", "CREATE ASSET p0.after_migration FROM 'data.parquet'");
            await AnswerAsync(host, "carol", "postgres", "PUBLISH ASSET p0.after_migration");
            await AnswerAsync(host, "carol", "postgres", "REQUEST SUBSCRIPTION TO p0.after_migration FOR PROJECT p1 JUSTIFICATION 'after'");
        }
        // (Each node ran them at its own moment: the new rows' times are compared as present.)
        foreach (var sql in new[] { "SHOW SUBSCRIPTION REQUESTS", "SHOW EVENTS LIMIT 5", "DESCRIBE ASSET p0.after_migration" })
            Assert.Equal(Times().Replace(await AnswerAsync(a, "carol", "postgres", sql), "<time>"), Times().Replace(await AnswerAsync(b, "carol", "postgres", sql), "<time>"));

        // The probe fires: one change on one node only shows in the comparison.
        await AnswerAsync(b, "carol", "postgres", "CREATE GLOSSARY TERM 'only on b'");
        Assert.NotEqual(await AnswerAsync(a, "carol", "postgres", "SHOW GLOSSARY"), await AnswerAsync(b, "carol", "postgres", "SHOW GLOSSARY"));
    }

    [Fact]
    public void A_non_empty_target_is_refused_unless_replace_and_then_replaced_whole()
    {
        var first = BuildCatalog(seed: 1, steps: 60);
        var target = new NpgsqlConnectionStringBuilder(server.NewDatabase());
        Assert.Equal(0, Migrate(first, target).Code);
        var before = MigrationDump.Tables(Path.Combine(first, "catalog.db"), target.ConnectionString).Postgres;

        var (code, output) = Migrate(first, target);
        Assert.Equal(1, code);
        Assert.Contains("the target catalog is not empty (", output);
        Assert.Contains("pass --replace", output);
        Assert.Equal(before, MigrationDump.Tables(Path.Combine(first, "catalog.db"), target.ConnectionString).Postgres);

        var second = BuildCatalog(seed: 5, steps: 40, name: "second");
        Assert.Equal(0, Migrate(second, target, "--replace").Code);
        var replaced = MigrationDump.Tables(Path.Combine(second, "catalog.db"), target.ConnectionString);
        Assert.Equal(replaced.Sqlite, replaced.Postgres);
        Assert.NotEqual(before, replaced.Postgres);
        // The append-only triggers were lifted for the replacement only.
        using var connection = new NpgsqlConnection(target.ConnectionString);
        connection.Open();
        using var delete = new NpgsqlCommand("DELETE FROM audit_log", connection);
        Assert.Equal("23001", Assert.Throws<PostgresException>(() => delete.ExecuteNonQuery()).SqlState);
    }

    [Fact]
    public void A_copy_that_fails_part_way_leaves_the_target_untouched_and_can_be_run_again()
    {
        var single = BuildCatalog(seed: 3, steps: 60);
        var file = Path.Combine(single, "catalog.db");
        // A damaged row in the table copied last (SQLite keeps a word in an INTEGER column; PostgreSQL's bigint refuses it):
        // users, projects and the audit log were already copied when the copy fails.
        Sqlite(file, "INSERT INTO webhook_cursors VALUES ('p0', 'not a number')");
        var target = new NpgsqlConnectionStringBuilder(server.NewDatabase());
        var (code, output) = Migrate(single, target);
        Assert.Equal(1, code);
        Assert.Contains("nothing was copied", output);
        Assert.Contains("22P02", output); // invalid_text_representation, from the COPY of webhook_cursors
        using (var connection = new NpgsqlConnection(target.ConnectionString))
        {
            connection.Open();
            foreach (var table in new[] { "users", "projects", "audit_log", "subscriptions", "webhook_cursors" })
            {
                using var count = new NpgsqlCommand($"SELECT count(*) FROM {table}", connection);
                Assert.Equal(0L, (long)count.ExecuteScalar()!);
            }
        }

        Sqlite(file, "DELETE FROM webhook_cursors WHERE project = 'p0'");
        Assert.Equal(0, Migrate(single, target).Code);
        var tables = MigrationDump.Tables(file, target.ConnectionString);
        Assert.Equal(tables.Sqlite, tables.Postgres);
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d(:\d\d)?)?")]
    private static partial System.Text.RegularExpressions.Regex Times();

    /// <summary>A data directory whose SQLite catalog holds what <paramref name="steps"/> random admin commands left,
    /// plus <c>reader</c> (password reader), a viewer of every project.</summary>
    private string BuildCatalog(int seed, int steps, string name = "single")
    {
        var accountRoot = Path.Combine(_dir, "accounts", "acct");
        foreach (var project in RandomAdminCommands.ProjectNames)
        {
            Directory.CreateDirectory(Path.Combine(accountRoot, project));
            RandomAdminCommands.WriteProjectFile(Path.Combine(accountRoot, project, "data.parquet"), grown: false);
        }
        var dataDir = Path.Combine(_dir, name);
        using (var admin = AdminCatalog.Open(dataDir))
        {
            admin.SetUser("carol", "carol", domainAdmin: true);
            Run(admin, $"ASSOCIATE ACCOUNT acct LOCATION '{accountRoot}' ADMIN carol");
            Run(admin, "ACCEPT ACCOUNT acct");
            Run(admin, "CREATE PROJECT PROFILE prof BLUEPRINTS (query_limits WITH (memory = '1GB'))");
            var commands = new RandomAdminCommands(new Random(seed), accountRoot);
            for (var step = 0; step < steps; step++)
            {
                var command = commands.Next(admin.Catalog.Store.Read(CatalogWorld.Read));
                Run(admin, command.Sql, mustSucceed: false);
            }
            admin.SetUser("reader", "reader", domainAdmin: false);
            foreach (var project in admin.Catalog.Store.Read(r => r.Projects()).Select(p => p.Name))
                Run(admin, $"ADD MEMBER reader TO PROJECT {project} AS VIEWER");
            foreach (var project in new[] { "p0", "p1" }.Except(admin.Catalog.Store.Read(r => r.Projects()).Select(p => p.Name)))
            {
                Run(admin, $"CREATE PROJECT {project} ACCOUNT acct PROFILE prof");
                Run(admin, $"ADD MEMBER reader TO PROJECT {project} AS VIEWER");
            }
        }
        SqliteConnection.ClearAllPools();
        return dataDir;
    }

    /// <summary>Every SHOW and DESCRIBE over what <paramref name="admin"/>'s catalog holds (SHOW AUDIT aside: each
    /// gateway's own sessions add rows with their own durations; the audit table is compared row for row instead).</summary>
    private static List<string> AdminReads(AdminCatalog admin)
    {
        var statements = new List<string>
        {
            "SHOW DOMAIN", "SHOW USERS", "SHOW GROUPS", "SHOW ACCOUNTS", "SHOW BLUEPRINTS", "SHOW PROJECT PROFILES", "SHOW PROJECTS",
            "SHOW GLOSSARY", "SHOW METADATA FORMS", "SHOW SUBSCRIPTION REQUESTS", "SHOW SUBSCRIPTION CHANGES", "SHOW EVENTS LIMIT 10000",
        };
        var projects = admin.Catalog.Store.Read(r => r.Projects()).Select(p => p.Name).Order(StringComparer.Ordinal).ToList();
        var assets = admin.Catalog.Store.Read(r => r.Assets());
        foreach (var p in projects)
            statements.AddRange([$"DESCRIBE PROJECT {p}", $"SHOW MEMBERS OF PROJECT {p}", $"SHOW ASSETS IN PROJECT {p}", $"SHOW SUBSCRIPTIONS FOR PROJECT {p}"]);
        foreach (var asset in assets)
        {
            statements.AddRange([$"DESCRIBE ASSET {asset.QualifiedName}", $"SHOW USAGE OF ASSET {asset.QualifiedName}"]);
            for (var revision = 1; revision <= (asset.LatestRevision ?? 0); revision++) statements.Add($"DESCRIBE ASSET {asset.QualifiedName} REVISION {revision}");
            statements.AddRange(projects.Select(p => $"SHOW EFFECTIVE POLICY FOR PROJECT {p} ON {asset.QualifiedName}"));
        }
        return statements;
    }

    /// <summary>The columns (name and type) and rows <paramref name="sql"/> returns, or its SQLSTATE and message.</summary>
    private static async Task<string> AnswerAsync(GatewayHost host, string user, string database, string sql)
    {
        var text = new StringBuilder();
        try
        {
            await using var connection = new NpgsqlConnection($"Host=127.0.0.1;Port={host.EndPoint.Port};Username={user};Password={user};Database={database};SSL Mode=Disable;Pooling=false;Timeout=15;Command Timeout=60");
            await connection.OpenAsync();
            await using var cmd = new NpgsqlCommand(sql, connection);
            await using var reader = await cmd.ExecuteReaderAsync();
            text.AppendJoin('|', Enumerable.Range(0, reader.FieldCount).Select(i => reader.GetName(i) + ":" + reader.GetDataTypeName(i))).Append('\n');
            while (await reader.ReadAsync())
                text.AppendJoin('|', Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? "NULL" : Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture))).Append('\n');
        }
        catch (PostgresException e)
        {
            text.Append(e.SqlState).Append(' ').Append(e.MessageText);
        }
        return text.ToString();
    }

    /// <summary>The real CLI: <c>datamesh catalog migrate</c>, the password from the environment only.</summary>
    private static (int Code, string Output) Migrate(string dataDir, NpgsqlConnectionStringBuilder target, params string[] extra)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "datamesh.dll"), "catalog", "migrate", "--from", "sqlite:" + Path.Combine(dataDir, "catalog.db"),
                     "--to", $"postgresql://{target.Username}@127.0.0.1:{target.Port}/{target.Database}" }.Concat(extra))
            start.ArgumentList.Add(arg);
        start.Environment[CatalogLocation.PasswordVariable] = target.Password;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(TimeSpan.FromSeconds(120)), "datamesh catalog migrate did not finish");
        process.WaitForExit();
        return (process.ExitCode, output.Result + error.Result);
    }

    private static void Run(AdminCatalog admin, string sql, bool mustSucceed = true)
    {
        Assert.True(AdminParser.TryParse(StatementSplitter.Split(sql).Single(), out var command), "not an admin command: " + sql);
        try
        {
            admin.Executor.Execute(command!, "carol", "postgres", sql);
        }
        catch (PgErrorException) when (!mustSucceed)
        {
        }
    }

    private static void Sqlite(string file, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={file};Pooling=false");
        connection.Open();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
