using System.Text;
using DataMesh.Gateway.Tests.Admin;
using DataMesh.Gateway.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace DataMesh.Gateway.Tests.Storage;

/// <summary>
/// An object-store account's secret access key is shown nowhere: not in any byte the gateway sent to a client
/// (results, notices, errors of well-formed, malformed and failing commands), not in the audit log (the statement
/// text keeps '********' in its place), not in the gateway's log (at Trace), not in the catalog file (sealed with
/// AES-GCM). Each capture is first shown to hold what it should (the client's own bytes hold the secret).
/// </summary>
[Collection(S3GatewayCollection.Name)]
public sealed class ObjectStoreSecretTests(S3GatewayFixture fixture)
{
    [Fact]
    public async Task The_secret_access_key_appears_in_no_wire_output_audit_record_log_or_catalog_file()
    {
        var secret = "sk" + Guid.NewGuid().ToString("N");
        var rotated = "sk" + Guid.NewGuid().ToString("N");
        var account = AdminSql.Unique("acct");
        await using var proxy = new RecordingProxy(fixture.Host.EndPoint.Port);
        async Task<NpgsqlConnection> Open(string user, string database = "postgres")
        {
            var c = new NpgsqlConnection($"Host=127.0.0.1;Port={proxy.Port};Username={user};Password={user};Database={database};SSL Mode=Disable;Pooling=false;Timeout=15");
            await c.OpenAsync();
            return c;
        }
        var location = $"s3://{S3GatewayFixture.Bucket}/{account}/";
        var with = $"endpoint = '{fixture.S3.Endpoint}', url_style = 'path', access_key_id = 'S3RVER'";
        await using (var carol = await Open("carol"))
        {
            // Malformed, with the secret where the grammar cannot place it: 42601, the literal not echoed.
            var e = await carol.FailsAsync($"ASSOCIATE ACCOUNT {account} LOCATION '{location}' ADMIN carol WITH ({with}, secret_access_key '{secret}')", "42601");
            Assert.Contains("'…'", e.MessageText);
            await carol.FailsAsync($"ASSOCIATE ACCOUNT {account} LOCATION '{location}' ADMIN carol WITH ({with}, secret_access_key = '{secret}' '{secret}')", "42601");
            await carol.FailsAsync($"ASSOCIATE ACCOUNT {account} LOCATION '{location}' ADMIN carol WITH ({with}, secret_access_key = '{secret}', token = '{secret}')", "22023");
            await carol.FailsAsync($"ASSOCIATE ACCOUNT {account} LOCATION '{location}' ADMIN carol WITH ({with}, secret_access_key = '{secret}', secret_access_key = '{secret}')", "42601");
            await carol.ExecAsync($"ASSOCIATE ACCOUNT {account} LOCATION '{location}' ADMIN carol WITH ({with}, secret_access_key = '{secret}')");
            await carol.ExecAsync($"ACCEPT ACCOUNT {account}");
        }
        await using (var carol = await Open("carol"))
        {
            // Refused by the store (unknown key id) with the secret in the command: 58030 without it.
            await carol.FailsAsync($"ASSOCIATE ACCOUNT {account}_x LOCATION '{location}x/' ADMIN carol WITH (endpoint = '{fixture.S3.Endpoint}', access_key_id = 'NOPE', secret_access_key = '{secret}')", "58030");
        }
        await using (var carol = await Open("carol"))
        {
            await carol.ExecAsync($"ALTER ACCOUNT {account} SET CREDENTIALS (access_key_id = 'S3RVER', secret_access_key = '{rotated}')");
            await carol.ExecAsync($"CREATE PROJECT PROFILE prof_{account} BLUEPRINTS (producer_storage)");
            await carol.ExecAsync($"CREATE PROJECT p_{account} ACCOUNT {account} PROFILE prof_{account}");
            await carol.ExecAsync($"ADD MEMBER carol TO PROJECT p_{account} AS OWNER");
            await fixture.S3.PutAsync(S3GatewayFixture.Bucket, $"{account}/p_{account}/o.parquet", ParquetFiles.Orders(Path.Combine(fixture.Scratch, account), "o.parquet", 6));
            await carol.ExecAsync($"CREATE ASSET p_{account}.o FROM 'o.parquet'");
            await carol.ExecAsync($"PUBLISH ASSET p_{account}.o");
            var accounts = await carol.QueryAsync("SHOW ACCOUNTS");
            Assert.Equal($"{fixture.S3.Endpoint} us-east-1, url_style path, key S3RVER", accounts.Single("account", account)["object_store"]);
            await carol.QueryAsync($"DESCRIBE ASSET p_{account}.o");
            var audit = await carol.QueryAsync("SHOW AUDIT LIMIT 200");
            var associate = audit.Rows.Select(r => r[audit.IndexOf("statement")] as string).First(t => t is not null && t.StartsWith($"ASSOCIATE ACCOUNT {account} ", StringComparison.Ordinal) && t.Contains("= '********'"));
            Assert.Contains("secret_access_key = '********'", associate);
            Assert.Contains(audit.Rows, r => (r[audit.IndexOf("statement")] as string)?.Contains($"SET CREDENTIALS (access_key_id = 'S3RVER', secret_access_key = '********')") == true);
        }
        await using (var owner = await Open("carol", $"p_{account}"))
        {
            Assert.Equal(6L, await S3Scenario.ScalarAsync(owner, "SELECT count(*) FROM o"));
            await owner.FailsAsync("SELECT nosuchcolumn FROM o", "42703");
        }

        // The captures work: the client's bytes hold both secrets, the server's hold the answers.
        var sent = Encoding.UTF8.GetString(proxy.FromClient());
        Assert.Contains(secret, sent);
        Assert.Contains(rotated, sent);
        var received = Encoding.UTF8.GetString(proxy.FromServer());
        Assert.Contains("ASSOCIATE ACCOUNT", received);
        Assert.Contains("'********'", received);
        Assert.DoesNotContain(secret, received);
        Assert.DoesNotContain(rotated, received);

        foreach (var record in fixture.Logs.Records)
        {
            Assert.DoesNotContain(secret, record);
            Assert.DoesNotContain(rotated, record);
        }
        Assert.Contains(fixture.Logs.Records, r => r.Contains("Session", StringComparison.Ordinal) && r.Contains("carol", StringComparison.Ordinal));

        // At rest: sealed in the catalog (and nowhere in its files in the clear).
        var catalog = Path.Combine(fixture.DataDirectory, "catalog.db");
        await using (var sqlite = new SqliteConnection($"Data Source={catalog};Mode=ReadOnly"))
        {
            await sqlite.OpenAsync();
            await using var cmd = sqlite.CreateCommand();
            cmd.CommandText = "SELECT object_store FROM accounts WHERE name = $n";
            cmd.Parameters.AddWithValue("$n", account);
            var stored = (string)(await cmd.ExecuteScalarAsync())!;
            Assert.Contains("\"sealedSecret\":\"v1:", stored);
            Assert.DoesNotContain(rotated, stored);
        }
        foreach (var file in Directory.GetFiles(fixture.DataDirectory, "catalog.db*"))
        {
            var bytes = Encoding.UTF8.GetString(await ReadSharedAsync(file));
            Assert.DoesNotContain(secret, bytes);
            Assert.DoesNotContain(rotated, bytes);
        }
        var key = Path.Combine(fixture.DataDirectory, "storage.key");
        if (!OperatingSystem.IsWindows()) Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(key));
    }

    private static async Task<byte[]> ReadSharedAsync(string path)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var memory = new MemoryStream();
        await stream.CopyToAsync(memory);
        return memory.ToArray();
    }
}
