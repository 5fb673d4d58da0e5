using DataMesh.Gateway.Tests.Infrastructure;
using DuckDB.NET.Native;

namespace DataMesh.Gateway.Tests.Governance;

/// <summary>
/// Only queries reach the engine: every other DuckDB statement is refused before it runs (42501 or 0A000), whatever
/// it is wrapped in. Statements that would write a file name one under a fresh temporary directory, which must still
/// not exist afterwards: the proof that nothing ran, independent of the error text.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class EngineStatementTests(GatewayFixture gateway)
{
    private static readonly string[] Refused = ["42501", "0A000"];

    private static string Scratch() => Path.Combine(Path.GetTempPath(), "datamesh-adv-" + Guid.NewGuid().ToString("N"));

    [Theory]
    [Adversarial(AttackClass.EngineStatement)]
    [CoversStatement(DuckDBStatementType.Attach)]
    [CoversStatement(DuckDBStatementType.Detach)]
    [CoversStatement(DuckDBStatementType.Copy)]
    [CoversStatement(DuckDBStatementType.Export)]
    [CoversStatement(DuckDBStatementType.Load)]
    [CoversStatement(DuckDBStatementType.Extension)]
    [CoversStatement(DuckDBStatementType.Pragma)]
    [CoversStatement(DuckDBStatementType.Set)]
    [CoversStatement(DuckDBStatementType.VariableSet)]
    [CoversStatement(DuckDBStatementType.Create)]
    [CoversStatement(DuckDBStatementType.CreateFunc)]
    [CoversStatement(DuckDBStatementType.Call)]
    [CoversStatement(DuckDBStatementType.Insert)]
    [CoversStatement(DuckDBStatementType.Update)]
    [CoversStatement(DuckDBStatementType.Delete)]
    [CoversStatement(DuckDBStatementType.Drop)]
    [CoversStatement(DuckDBStatementType.Alter)]
    [CoversStatement(DuckDBStatementType.Prepare)]
    [CoversStatement(DuckDBStatementType.Execute)]
    [CoversStatement(DuckDBStatementType.Vacuum)]
    [CoversStatement(DuckDBStatementType.Analyze)]
    [InlineData("ATTACH '{scratch}.duckdb' AS pwn")]
    [InlineData("ATTACH ':memory:' AS pwn")]
    [InlineData("DETACH workspace")]
    [InlineData("DETACH memory")]
    [InlineData("COPY (SELECT 1) TO '{scratch}.csv'")]
    [InlineData("COPY mkt_sls_table TO '{scratch}.parquet' (FORMAT parquet)")]
    [InlineData("COPY (SELECT * FROM mkt_sls_table) TO '{scratch}.csv'")]
    [InlineData("COPY mkt_sls_table FROM '/etc/passwd'")]
    [InlineData("COPY FROM DATABASE memory TO workspace")]
    [InlineData("EXPORT DATABASE '{scratch}'")]
    [InlineData("IMPORT DATABASE '{scratch}'")]
    [InlineData("INSTALL httpfs")]
    [InlineData("LOAD httpfs")]
    [InlineData("FORCE INSTALL httpfs")]
    [InlineData("UPDATE EXTENSIONS")]
    [InlineData("PRAGMA enable_profiling")]
    [InlineData("PRAGMA disable_optimizer")]
    [InlineData("PRAGMA table_info('mkt_sls_table')")]
    [InlineData("SET memory_limit = '1GB'")]
    [InlineData("SET enable_external_access = true")]
    [InlineData("SET allowed_directories = '/'")]
    [InlineData("SET VARIABLE x = 1")]
    [InlineData("CREATE TABLE t AS SELECT * FROM mkt_sls_table")]
    [InlineData("CREATE TEMP TABLE t AS SELECT 1")]
    [InlineData("CREATE TABLE memory.main.t AS SELECT * FROM mkt_sls_table")]
    [InlineData("CREATE OR REPLACE TABLE workspace.main.mkt_sls_table AS SELECT * FROM read_parquet('{scratch}.parquet')")]
    [InlineData("CREATE VIEW v AS SELECT * FROM mkt_sls_table")]
    [InlineData("CREATE MACRO m() AS 1")]
    [InlineData("CREATE MACRO current_setting(x) AS 'harmless'")]
    [InlineData("CREATE SEQUENCE s")]
    [InlineData("CREATE SCHEMA s")]
    [InlineData("CREATE SECRET (TYPE s3, KEY_ID 'x', SECRET 'y')")]
    [InlineData("CREATE TABLE marketing.mkt_sls_table AS SELECT 1")]
    [InlineData("CALL pragma_version()")]
    [InlineData("CALL duckdb_settings()")]
    [InlineData("CHECKPOINT")]
    [InlineData("FORCE CHECKPOINT")]
    [InlineData("INSERT INTO mkt_sls_table VALUES (1, 1, 'Asia', DATE '2024-01-01', 1, 'x')")]
    [InlineData("UPDATE mkt_sls_table SET region = 'Europe'")]
    [InlineData("DELETE FROM mkt_sls_table")]
    [InlineData("DROP TABLE mkt_sls_table")]
    [InlineData("DROP VIEW marketing.mkt_sls_table")]
    [InlineData("ALTER TABLE mkt_sls_table RENAME TO x")]
    [InlineData("ALTER VIEW marketing.mkt_sls_table RENAME TO x")]
    // SQL PREPARE/EXECUTE of a query is no longer refused: pg_dump sends it, and it is governed as the query it names
    // (Server/Queries/SqlPrepare).
    [InlineData("VACUUM")]
    [InlineData("ANALYZE")]
    [InlineData("USE memory")]
    public async Task Engine_statements_are_refused_before_anything_runs(string template)
    {
        var scratch = Scratch();
        var sql = template.Replace("{scratch}", scratch, StringComparison.Ordinal);
        await using var s = await GovernedSession.OpenAsync(gateway);
        await s.ErrorAsync(sql, Refused);
        Assert.False(File.Exists(scratch + ".csv") || File.Exists(scratch + ".parquet") || File.Exists(scratch + ".duckdb") || Directory.Exists(scratch),
            $"[{sql}] wrote to the file system");
        // The engine is unchanged: the governed read still answers exactly.
        Assert.Equal(250_000L, await s.CountAsync("SELECT count(*) FROM mkt_sls_table"));
    }

    /// <summary>
    /// A list value is not SET syntax: refused by the grammar as PostgreSQL refuses it (42601 at the bracket), before the
    /// setting's name is even looked at, and the engine is unchanged.
    /// </summary>
    [Fact]
    public async Task An_engine_setting_with_a_list_value_is_a_syntax_error_and_nothing_runs()
    {
        await using var s = await GovernedSession.OpenAsync(gateway);
        var e = await s.ErrorAsync("SET allowed_directories = ['/']", "42601");
        Assert.Equal(("syntax error at or near \"[\"", 27), (e.MessageText, e.Position));
        Assert.Equal(250_000L, await s.CountAsync("SELECT count(*) FROM mkt_sls_table"));
        await s.ErrorAsync("SELECT current_setting('allowed_directories')", Refused); // still the gateway's, unreadable
    }

    [Theory]
    [Adversarial(AttackClass.Explain)]
    [CoversStatement(DuckDBStatementType.Explain)]
    [InlineData("EXPLAIN SELECT * FROM mkt_sls_table")]
    [InlineData("EXPLAIN ANALYZE SELECT count(*) FROM mkt_sls_table")]
    [InlineData("EXPLAIN (FORMAT json) SELECT * FROM mkt_sls_table WHERE amount > 1")]
    [InlineData("EXPLAIN SELECT * FROM marketing.campaigns")]
    public async Task EXPLAIN_is_refused_or_shows_only_the_user_query(string sql)
    {
        await using var s = await GovernedSession.OpenAsync(gateway);
        var (error, rows) = await s.TryAsync(sql);
        if (sql.Contains("campaigns", StringComparison.Ordinal)) Assert.NotNull(error);
        if (error is not null)
        {
            Assert.True(error.SqlState is "42501" or "0A000", $"{sql}: {error.SqlState} {error.MessageText}");
            return;
        }
        foreach (var text in GovernedSession.Texts(rows))
        {
            s.Guard.AssertClean(text, sql, "EXPLAIN output");
            Assert.DoesNotContain("READ_PARQUET", text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("Europe", text, StringComparison.Ordinal);
        }
    }

    [Fact]
    [Adversarial(AttackClass.EngineStatement)]
    [CoversStatement(DuckDBStatementType.Transaction)]
    public async Task Transactions_change_nothing_about_governance()
    {
        await using var s = await GovernedSession.OpenAsync(gateway);
        await using (var tx = await s.Connection.BeginTransactionAsync())
        {
            Assert.Equal(250_000L, await s.CountAsync("SELECT count(*) FROM mkt_sls_table"));
            await tx.RollbackAsync();
        }
        await using (var tx = await s.Connection.BeginTransactionAsync())
        {
            const string create = "CREATE TABLE t AS SELECT 1";
            var e = await Assert.ThrowsAsync<Npgsql.PostgresException>(async () =>
            {
                await using var cmd = new Npgsql.NpgsqlCommand(create, s.Connection);
                await cmd.ExecuteNonQueryAsync();
            });
            Assert.Contains(e.SqlState, Refused);
            s.Guard.AssertClean(e, create);
        }
        Assert.Equal(250_000L, await s.CountAsync("SELECT count(*) FROM mkt_sls_table"));
    }

    /// <summary>
    /// Several statements in one simple Query message, built to confuse a statement splitter that lexes differently
    /// from DuckDB (escape strings, dollar quotes, nested comments, quoted identifiers). Whatever the splitter does,
    /// the COPY must not run.
    /// </summary>
    [Theory]
    [Adversarial(AttackClass.MultiStatement)]
    [InlineData("SELECT 1; COPY (SELECT 1) TO '{file}'")]
    [InlineData("SELECT 'a;b'; COPY (SELECT 1) TO '{file}'")]
    [InlineData("SELECT E'\\''; COPY (SELECT 1) TO '{file}'; --'")]
    [InlineData("SELECT $$;$$; COPY (SELECT 1) TO '{file}'")]
    [InlineData("SELECT $tag$ ; $tag$; COPY (SELECT 1) TO '{file}'")]
    [InlineData("SELECT 1 /* ; /* nested */ ; */; COPY (SELECT 1) TO '{file}'")]
    [InlineData("SELECT \"a;\" FROM (SELECT 1 AS \"a;\"); COPY (SELECT 1) TO '{file}'")]
    [InlineData("SELECT 1 -- ; \n; COPY (SELECT 1) TO '{file}'")]
    [InlineData("SELECT 'x' \\; COPY (SELECT 1) TO '{file}'")]
    [InlineData("COPY (SELECT 1) TO '{file}'; SELECT 1")]
    [InlineData("SELECT count(*) FROM mkt_sls_table; COPY (SELECT * FROM mkt_sls_table) TO '{file}'")]
    public async Task Statements_smuggled_past_the_splitter_never_run(string template)
    {
        var file = Scratch() + ".csv";
        var sql = template.Replace("{file}", file, StringComparison.Ordinal);
        await using var client = await RawClient.ConnectAsync(gateway);
        await client.SendAsync(RawClient.StartupMessage("bob", "ml_research"));
        await RawLogin.AuthenticateAsync(client, "bob", "bob");
        await client.SendAsync(RawClient.Query(sql));
        var messages = await client.ReadUntilAsync('Z', TimeSpan.FromSeconds(30));
        var errors = messages.Where(m => m.Type == 'E').ToList();
        Assert.NotEmpty(errors);
        var guard = GovernedSession.GuardFor(gateway);
        foreach (var (_, payload) in errors)
            foreach (var code in new[] { 'M', 'D', 'H', 'W', 'q' })
                guard.AssertClean(RawClient.Field(payload, code), sql, $"error field {code}");
        Assert.False(File.Exists(file), $"[{sql}] ran the smuggled COPY");
    }
}
