using System.Diagnostics;
using DataMesh.Gateway.Catalog.Postgres;
using DataMesh.Gateway.Tests.Reliability;
using Npgsql;

namespace DataMesh.Gateway.Tests.Fleet;

/// <summary>
/// One shared catalog database of the fleet tests, in the three forms they need: the <c>--catalog</c> URL (no password:
/// nodes read it from the environment, as the docs tell operators to), that environment, and an Npgsql connection
/// string for checking the catalog directly.
/// </summary>
internal sealed record SharedCatalogDatabase(string Url, Dictionary<string, string> Environment, string ConnectionString)
{
    public static SharedCatalogDatabase From(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        return new SharedCatalogDatabase($"postgresql://{builder.Username}@127.0.0.1:{builder.Port}/{builder.Database}",
            new Dictionary<string, string> { [CatalogLocation.PasswordVariable] = builder.Password! }, connectionString);
    }
}

/// <summary>The data directories a fleet test gives its nodes and CLI runs, removed when the test ends.</summary>
internal sealed class ScratchDirectories(string prefix) : IDisposable
{
    private readonly List<string> _dirs = [];

    public string New(string name)
    {
        var dir = GatewayProcess.NewDataDir(prefix + "-" + name);
        _dirs.Add(dir);
        return dir;
    }

    /// <summary>Removes <paramref name="dir"/> with the others (a directory the test made itself).</summary>
    public string Add(string dir)
    {
        _dirs.Add(dir);
        return dir;
    }

    public void Dispose()
    {
        foreach (var dir in _dirs)
        {
            try
            {
                Directory.Delete(dir, recursive: true);
            }
            catch (IOException)
            {
                // A node killed mid-write may still be closing its files; the run's temporary directory goes at the end.
            }
        }
    }
}

/// <summary>The real <c>datamesh</c> command line, as an operator runs it (e.g. <c>user add</c> against a shared catalog).</summary>
internal static class DatameshCli
{
    public static void Run(IReadOnlyList<string> args, IReadOnlyDictionary<string, string> environment)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "datamesh.dll"));
        foreach (var a in args) start.ArgumentList.Add(a);
        foreach (var (name, value) in environment) start.Environment[name] = value;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(TimeSpan.FromSeconds(60)), $"datamesh {string.Join(' ', args)} did not finish");
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"datamesh {string.Join(' ', args)}: {output.Result}{error.Result}");
    }
}
