using System.Diagnostics;
using System.Text.RegularExpressions;
using DataMesh.Gateway.Admin.Storage;
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
                throw AdminErrors.Invalid($"producer_storage path \"{merged["path"]}\" must be a relative path inside the account root",
                    "a path relative to the account's location, such as 'teams/emea': no '..', wildcards, URIs or absolute paths");
            case "code_repository" when !BranchPattern().IsMatch(merged["branch"]):
                throw AdminErrors.Invalid($"invalid branch name \"{merged["branch"]}\"");
        }
        return merged;
    }

    /// <summary>
    /// The storage prefix a project gets from its steps: the producer_storage blueprint's path, or the project's name
    /// (every project owns one, whether or not its profile creates the directory).
    /// </summary>
    public static string PrefixFor(string project, IReadOnlyList<StepRecord> steps)
    {
        var step = steps.FirstOrDefault(s => s.Name == "producer_storage");
        var path = step is null ? "<project>" : Validate(step)["path"];
        var text = path == "<project>" ? project : path;
        try
        {
            var prefix = StoragePrefix.Parse(text, $"storage prefix \"{text}\" of project \"{project}\"");
            // A name is one segment: "a/b" would nest the project inside the prefix a project "a" would own.
            if (path == "<project>" && prefix.Contains('/', StringComparison.Ordinal))
                throw AdminErrors.Invalid($"project name \"{project}\" cannot name its storage prefix: it contains \"/\"");
            return prefix;
        }
        catch (Protocol.Errors.PgErrorException e)
        {
            // A name or path that cannot be a prefix is a bad parameter here, not an attempt to escape anything yet.
            throw AdminErrors.Invalid(e.Message, "name the project's storage with the producer_storage blueprint's path parameter");
        }
    }

    /// <summary>
    /// Provisions the steps for a project in its storage; returns the resources to record (name → value).
    /// <paramref name="directory"/> names its directory under &lt;data-dir&gt;/projects (the project's name unless another
    /// project, renamed, still has that one).
    /// </summary>
    public Dictionary<string, string> Provision(string project, ProjectStorage storage, IReadOnlyList<StepRecord> steps, string? directory = null)
    {
        var resources = new Dictionary<string, string>(StringComparer.Ordinal);
        var projectDir = Path.Combine(dataDirectory, "projects", directory ?? project);
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
                    storage.Provision();
                    resources["storage"] = storage.Location.TrimEnd('/');
                    break;
                case "query_limits":
                    resources["memory_limit"] = p["memory"];
                    resources["threads"] = p["threads"];
                    resources["statement_timeout"] = p["timeout"];
                    break;
                case "code_repository":
                    // Next to the producer's files on a local account; on an object store, in the gateway's project directory.
                    var parent = resources.TryGetValue("storage", out var s) && storage.Account.ObjectStore is null ? s : projectDir;
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

    private static bool SafeRelative(string path)
    {
        try
        {
            StoragePrefix.Parse(path, "path");
            return true;
        }
        catch (Protocol.Errors.PgErrorException)
        {
            return false;
        }
    }

    [GeneratedRegex(@"^\d+(\.\d+)?\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)$", RegexOptions.IgnoreCase)]
    private static partial Regex MemoryPattern();

    [GeneratedRegex(@"^\d+\s*(ms|s|min|h)$", RegexOptions.IgnoreCase)]
    private static partial Regex DurationPattern();

    [GeneratedRegex(@"^[A-Za-z0-9._/-]{1,100}$")]
    private static partial Regex BranchPattern();
}
