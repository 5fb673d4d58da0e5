using System.Diagnostics;
using System.Text.RegularExpressions;
using DataMesh.Gateway.Catalog.Model;
using DataMesh.Gateway.Engine;

namespace DataMesh.Gateway.Admin.Provisioning;

/// <summary>
/// Carries out a project's provisioning steps. Every step is idempotent (create-if-missing), so a command that
/// crashed after provisioning but before its catalog transaction committed can simply be run again.
/// </summary>
public sealed partial class Provisioner(string dataDirectory, MetadataEngine metadata)
{
    /// <summary>Checks a step's parameters before anything is created; returns them merged with the defaults.</summary>
    public static IReadOnlyDictionary<string, string> Validate(StepRecord step)
    {
        var definition = BuiltInBlueprints.Find(step.Name) ?? throw AdminErrors.Unknown("blueprint", step.Name);
        var merged = new Dictionary<string, string>(definition.Defaults);
        foreach (var (key, value) in step.Parameters)
        {
            if (!definition.Defaults.ContainsKey(key))
                throw AdminErrors.Invalid($"blueprint \"{step.Name}\" has no parameter \"{key}\"",
                    hint: definition.Defaults.Count == 0 ? "it takes no parameters" : "parameters: " + string.Join(", ", definition.Defaults.Keys));
            merged[key] = value;
        }
        switch (step.Name)
        {
            case "query_limits":
                if (!MemoryPattern().IsMatch(merged["memory"])) throw AdminErrors.Invalid($"invalid memory limit \"{merged["memory"]}\"", "use a size such as '2GB' or '512MB'");
                if (!int.TryParse(merged["threads"], out var threads) || threads is < 1 or > 256) throw AdminErrors.Invalid($"invalid thread count \"{merged["threads"]}\"");
                if (!DurationPattern().IsMatch(merged["timeout"])) throw AdminErrors.Invalid($"invalid timeout \"{merged["timeout"]}\"", "use a duration such as '60s', '5min' or '500ms'");
                break;
            case "producer_storage" when merged["path"] != "<project>" && !SafeRelative(merged["path"]):
                throw AdminErrors.Invalid($"producer_storage path \"{merged["path"]}\" must be a relative path inside the account root");
            case "code_repository" when !BranchPattern().IsMatch(merged["branch"]):
                throw AdminErrors.Invalid($"invalid branch name \"{merged["branch"]}\"");
        }
        return merged;
    }

    /// <summary>Provisions the steps for a project in an account; returns the resources to record (name → value).</summary>
    public Dictionary<string, string> Provision(string project, AccountRecord account, IReadOnlyList<StepRecord> steps)
    {
        var resources = new Dictionary<string, string>(StringComparer.Ordinal);
        var projectDir = Path.Combine(dataDirectory, "projects", project);
        foreach (var step in steps)
        {
            var p = Validate(step);
            switch (step.Name)
            {
                case "workspace":
                    Directory.CreateDirectory(projectDir);
                    var workspace = Path.Combine(projectDir, "workspace.duckdb");
                    metadata.CreateDatabaseFile(workspace);
                    resources["workspace"] = workspace;
                    break;
                case "producer_storage":
                    var relative = p["path"] == "<project>" ? project : p["path"];
                    var storage = Path.GetFullPath(Path.Combine(account.Location, relative));
                    Directory.CreateDirectory(storage);
                    resources["storage"] = storage;
                    break;
                case "query_limits":
                    resources["memory_limit"] = p["memory"];
                    resources["threads"] = p["threads"];
                    resources["statement_timeout"] = p["timeout"];
                    break;
                case "code_repository":
                    var parent = resources.TryGetValue("storage", out var s) ? s : projectDir;
                    var repository = Path.Combine(parent, project + ".git");
                    InitRepository(repository, p["branch"]);
                    resources["code_repository"] = new Uri(repository).AbsoluteUri;
                    break;
            }
        }
        return resources;
    }

    private static void InitRepository(string path, string branch)
    {
        if (Directory.Exists(Path.Combine(path, "refs"))) return;
        Directory.CreateDirectory(path);
        var start = new ProcessStartInfo("git") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in new[] { "init", "--bare", "--quiet", "--initial-branch", branch, path }) start.ArgumentList.Add(a);
        try
        {
            using var git = Process.Start(start)!;
            var error = git.StandardError.ReadToEnd();
            git.WaitForExit();
            if (git.ExitCode != 0) throw AdminErrors.Invalid("the code repository could not be created", hint: error.Trim());
        }
        catch (System.ComponentModel.Win32Exception)
        {
            throw AdminErrors.Invalid("the code_repository blueprint needs the git command line, which is not installed");
        }
    }

    private static bool SafeRelative(string path) =>
        !Path.IsPathRooted(path) && !path.Split('/', '\\').Any(part => part is ".." or "");

    [GeneratedRegex(@"^\d+(\.\d+)?\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)$", RegexOptions.IgnoreCase)]
    private static partial Regex MemoryPattern();

    [GeneratedRegex(@"^\d+\s*(ms|s|min|h)$", RegexOptions.IgnoreCase)]
    private static partial Regex DurationPattern();

    [GeneratedRegex(@"^[A-Za-z0-9._/-]{1,100}$")]
    private static partial Regex BranchPattern();
}
