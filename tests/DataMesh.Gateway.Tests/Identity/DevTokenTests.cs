using System.Diagnostics;
using DataMesh.Gateway.Tests.Infrastructure;
using Npgsql;

namespace DataMesh.Gateway.Tests.Identity;

/// <summary><c>datamesh dev-token</c>: tokens of the demo identity provider, for demo data directories only.</summary>
public sealed class DevTokenTests
{
    private static async Task<(int ExitCode, string StdOut, string StdErr)> DatameshAsync(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "datamesh.dll"));
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await process.WaitForExitAsync(cts.Token);
        return (process.ExitCode, await stdout, await stderr);
    }

    [Fact]
    public async Task A_dev_token_for_a_user_in_analysts_reads_ml_research_over_tls()
    {
        await using var host = GatewayFixture.StartDemoHost(s => s.Tls = true);
        var user = IdentityGateway.NewUser("erin");
        var (code, stdout, stderr) = await DatameshAsync("dev-token", "--data-dir", host.DataDirectory, "--user", user, "--groups", "analysts", "--ttl", "1h");
        Assert.True(code == 0, stderr);
        var token = stdout.TrimEnd().Split('\n')[^1];
        Assert.Equal(3, token.Split('.').Length);

        await using var connection = new NpgsqlConnection(
            $"Host=127.0.0.1;Port={host.EndPoint.Port};Username={user};Password={token};Database=ml_research;SSL Mode=Require;Trust Server Certificate=true;Pooling=false");
        await connection.OpenAsync();
        var rows = await IdentityGateway.RowsAsync(connection, "SELECT current_user, count(DISTINCT region) FROM mkt_sls_table");
        Assert.Equal(user, rows[0][0]);
        Assert.Equal(1L, rows[0][1]); // the demo grant shows European rows only
    }

    [Fact]
    public async Task Dev_token_refuses_a_data_directory_that_is_not_a_demo()
    {
        var dir = Path.Combine(Path.GetTempPath(), "datamesh-tests", "notdemo-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        var (code, stdout, stderr) = await DatameshAsync("dev-token", "--data-dir", dir, "--user", "erin");
        Assert.Equal(2, code);
        Assert.Contains("not a demo data directory", stderr);
        Assert.Equal("", stdout.Trim());
    }

    [Fact]
    public async Task Dev_token_refuses_a_bad_ttl()
    {
        await using var host = GatewayFixture.StartDemoHost(_ => { });
        var (code, _, stderr) = await DatameshAsync("dev-token", "--data-dir", host.DataDirectory, "--user", "erin", "--ttl", "soon");
        Assert.Equal(2, code);
        Assert.Contains("--ttl", stderr);
    }
}
