using System.Text.Json;
using DataMesh.Gateway.Tests.Admin;
using DataMesh.Gateway.Tests.Clients;
using DataMesh.Gateway.Tests.Infrastructure;
using Npgsql;

namespace DataMesh.Gateway.Tests.Lifecycle;

/// <summary>
/// The one rule for transaction blocks: an admin command that changes the catalog, or a workspace write, inside
/// BEGIN … COMMIT is refused with 25001 (as PostgreSQL refuses CREATE DATABASE), audited, and leaves nothing behind;
/// reads (SHOW, DESCRIBE, SEARCH CATALOG, HELP) run. Shown with psycopg2's default mode (it sends BEGIN first) and psql.
/// </summary>
public sealed class TransactionBlockTests
{
    private static GatewayHost Start() => GatewayFixture.StartDemoHost(s =>
        s.DataDir = Path.Combine(Path.GetTempPath(), "datamesh-tests", "txblock-" + Guid.NewGuid().ToString("N")));

    private static async Task<NpgsqlConnection> OpenAsync(GatewayHost host, string user, string database = "postgres")
    {
        var c = new NpgsqlConnection($"Host=127.0.0.1;Port={host.EndPoint.Port};Username={user};Password={user};Database={database};SSL Mode=Disable;Pooling=false;Timeout=15;Command Timeout=60");
        await c.OpenAsync();
        return c;
    }

    private const string Psycopg2DefaultMode = """
        import json, sys, psycopg2
        conn = psycopg2.connect(host="127.0.0.1", port=int(sys.argv[1]), user="bob", password="bob", dbname="postgres")
        facts = {}
        cur = conn.cursor()
        try:
            cur.execute("REQUEST SUBSCRIPTION TO marketing.campaigns FOR PROJECT ml_research JUSTIFICATION 'rolled back'")
            facts["request"] = "ran"
        except psycopg2.Error as e:
            facts["request"] = [e.pgcode, e.diag.message_primary]
        conn.rollback()
        cur.execute("SEARCH CATALOG 'campaign'")      # a read runs in the same default mode
        facts["search_rows"] = len(cur.fetchall())
        conn.commit()
        cur.execute("SHOW SUBSCRIPTION REQUESTS")
        facts["requests_after"] = [r[1] for r in cur.fetchall()]
        conn.rollback()
        conn.autocommit = True                         # outside a block the request is made, at once
        cur.execute("REQUEST SUBSCRIPTION TO marketing.campaigns FOR PROJECT ml_research JUSTIFICATION 'autocommit'")
        facts["autocommit_status"] = cur.fetchone()[3]
        print(json.dumps(facts))
        """;

    [Fact]
    public async Task Psycopg2_in_its_default_mode_gets_25001_and_nothing_is_requested_until_autocommit()
    {
        await using var host = Start();
        var script = Path.Combine(Path.GetTempPath(), $"txblock-{Guid.NewGuid():N}.py");
        await File.WriteAllTextAsync(script, Psycopg2DefaultMode);
        try
        {
            var facts = (await ClientProcess.RunAsync(ClientProcess.Python, [script, host.EndPoint.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)])).Json();
            var refused = facts.GetProperty("request");
            Assert.Equal(JsonValueKind.Array, refused.ValueKind);
            Assert.Equal("25001", refused[0].GetString());
            Assert.Equal("REQUEST SUBSCRIPTION cannot run inside a transaction block", refused[1].GetString());
            Assert.Equal(1, facts.GetProperty("search_rows").GetInt32());            // marketing.campaigns
            Assert.Empty(facts.GetProperty("requests_after").EnumerateArray());   // bob's projects have no pending request: none was made
            Assert.Equal("pending", facts.GetProperty("autocommit_status").GetString());
        }
        finally
        {
            File.Delete(script);
        }

        // Audited as a refusal.
        await using var carol = await OpenAsync(host, "carol");
        var audit = await carol.QueryAsync("SHOW AUDIT USER bob LIMIT 20");
        var row = audit.Rows.First(r => (string?)r[audit.IndexOf("statement")] == "REQUEST SUBSCRIPTION TO marketing.campaigns FOR PROJECT ml_research JUSTIFICATION 'rolled back'");
        Assert.Equal(("error", "25001"), ((string?)row[audit.IndexOf("outcome")], (string?)row[audit.IndexOf("sqlstate")]));
    }

    [Fact]
    public async Task Psql_gets_25001_for_an_admin_change_and_a_workspace_write_in_a_block_and_reads_still_run()
    {
        await using var host = Start();
        var admin = await Psql.RunAsync(host.EndPoint.Port, ["-X", "-q", "-v", "VERBOSITY=verbose"], user: "carol", database: "postgres",
            stdin: "BEGIN;\nCREATE GROUP rolled_back;\nROLLBACK;\nBEGIN;\nSHOW GROUPS;\nCOMMIT;\n");
        Assert.Contains("ERROR:  25001: CREATE GROUP cannot run inside a transaction block", admin.StdErr, StringComparison.Ordinal);
        Assert.Contains("analysts", admin.StdOut, StringComparison.Ordinal);          // SHOW GROUPS ran inside the second block
        Assert.DoesNotContain("rolled_back", admin.StdOut, StringComparison.Ordinal);

        var write = await Psql.RunAsync(host.EndPoint.Port, ["-X", "-q", "-v", "VERBOSITY=verbose"], user: "bob", database: "ml_research",
            stdin: "BEGIN;\nCREATE TABLE workspace.kept AS SELECT 1 AS x;\nROLLBACK;\nSELECT count(*) FROM information_schema.tables WHERE table_name = 'kept';\n");
        Assert.Contains("ERROR:  25001: CREATE TABLE AS cannot run inside a transaction block", write.StdErr, StringComparison.Ordinal);

        await using var bob = await OpenAsync(host, "bob", "ml_research");
        Assert.Equal(0L, await new NpgsqlCommand("SELECT count(*) FROM information_schema.tables WHERE table_name = 'kept'", bob).ExecuteScalarAsync());
        await using var carol = await OpenAsync(host, "carol");
        Assert.DoesNotContain("rolled_back", (await carol.QueryAsync("SHOW GROUPS")).Column("group").Cast<string>());

        // The probe fires: the same statements outside a block do what they say.
        await new NpgsqlCommand("CREATE GROUP rolled_back", carol).ExecuteNonQueryAsync();
        Assert.Contains("rolled_back", (await carol.QueryAsync("SHOW GROUPS")).Column("group").Cast<string>());
        await new NpgsqlCommand("CREATE TABLE workspace.kept AS SELECT 1 AS x", bob).ExecuteNonQueryAsync();
        Assert.Equal(1L, await new NpgsqlCommand("SELECT count(*) FROM workspace.kept", bob).ExecuteScalarAsync());
    }
}
