using System.Diagnostics;
using DataMesh.Gateway.Tests.Infrastructure;

namespace DataMesh.Gateway.Tests.Identity;

/// <summary>The real psql client and Npgsql connect with an identity token as the password over TLS.</summary>
[Collection(IdentityCollection.Name)]
public sealed class TokenClientTests(IdentityGateway gateway)
{
    private async Task<Psql.Result> PsqlAsync(string user, string token, string database, string sslMode, string sql)
    {
        var start = new ProcessStartInfo(Psql.Path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add($"host=127.0.0.1 port={gateway.Port} sslmode={sslMode} user={user} dbname={database}");
        start.ArgumentList.Add("--no-psqlrc");
        start.ArgumentList.Add("-tAc");
        start.ArgumentList.Add(sql);
        start.Environment["PGPASSWORD"] = token;
        start.Environment["PGCONNECT_TIMEOUT"] = "10";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(cts.Token);
        return new Psql.Result(process.ExitCode, await stdout, await stderr);
    }

    [Fact]
    public async Task Psql_connects_with_a_token_over_tls()
    {
        var user = IdentityGateway.NewUser("psql");
        var result = await PsqlAsync(user, gateway.Primary.Mint(user, ["analysts"]), "ml_research", "require",
            "SELECT current_user || ' ' || count(*) FROM mkt_sls_table WHERE region = 'Europe'");
        Assert.True(result.ExitCode == 0, result.StdErr);
        Assert.StartsWith(user + " ", result.StdOut.Trim());
    }

    [Fact]
    public async Task Psql_without_tls_is_told_that_tls_is_required()
    {
        var user = IdentityGateway.NewUser("psqlplain");
        await using (await gateway.OpenWithTokenAsync(user, gateway.Primary.Mint(user))) { }
        var result = await PsqlAsync(user, gateway.Primary.Mint(user), "postgres", "disable", "SELECT 1");
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("TLS is required", result.StdErr);
    }

    [Fact]
    public async Task Npgsql_connects_with_a_token_over_tls_and_runs_extended_queries()
    {
        var user = IdentityGateway.NewUser("npg");
        await using var connection = await gateway.OpenWithTokenAsync(user, gateway.Primary.Mint(user, ["analysts"]), "ml_research");
        await using var cmd = new Npgsql.NpgsqlCommand("SELECT count(*) FROM mkt_sls_table WHERE region = $1", connection);
        cmd.Parameters.AddWithValue("Europe");
        Assert.True((long)(await cmd.ExecuteScalarAsync())! > 0);
    }
}
