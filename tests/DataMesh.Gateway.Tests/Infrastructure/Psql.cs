using System.Diagnostics;

namespace DataMesh.Gateway.Tests.Infrastructure;

/// <summary>Runs the real psql client (installed by tests/setup.sh) against the gateway.</summary>
public static class Psql
{
    public sealed record Result(int ExitCode, string StdOut, string StdErr);

    public static string Path => File.Exists("/usr/bin/psql") ? "/usr/bin/psql" : "psql";

    public static Task<Result> RunAsync(GatewayFixture gateway, string[] arguments, string user = "alice",
        string? stdin = null, string sslMode = "disable", TimeSpan? timeout = null, string? workingDirectory = null,
        string database = "marketing", string? password = null) =>
        RunAsync(gateway.Port, arguments, user, stdin, sslMode, timeout, workingDirectory, database, password);

    /// <summary>As above, against a gateway of the test's own on <paramref name="port"/>.</summary>
    public static async Task<Result> RunAsync(int port, string[] arguments, string user = "alice",
        string? stdin = null, string sslMode = "disable", TimeSpan? timeout = null, string? workingDirectory = null,
        string database = "marketing", string? password = null)
    {
        var start = new ProcessStartInfo(Path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? System.IO.Path.GetTempPath(),
        };
        start.ArgumentList.Add($"host=127.0.0.1 port={port} user={user} dbname={database} sslmode={sslMode}");
        start.ArgumentList.Add("--no-psqlrc");
        foreach (var a in arguments) start.ArgumentList.Add(a);
        start.Environment["PGPASSWORD"] = password ?? user;
        start.Environment["PGCONNECT_TIMEOUT"] = "10";
        using var process = Process.Start(start)!;
        if (stdin is not null) await process.StandardInput.WriteAsync(stdin);
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(cts.Token);
        return new Result(process.ExitCode, await stdout, await stderr);
    }
}
