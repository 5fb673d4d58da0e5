namespace DataMesh.Gateway.Admin.Provisioning;

/// <summary>The provisioning steps the gateway knows, with their parameters and defaults.</summary>
public static class BuiltInBlueprints
{
    public sealed record Definition(string Name, string Description, IReadOnlyDictionary<string, string> Defaults);

    public static readonly IReadOnlyList<Definition> All =
    [
        new("workspace", "A project-owned writable DuckDB database file for derived tables",
            new Dictionary<string, string>()),
        new("producer_storage", "The project's storage prefix: a directory inside the account root for its data products",
            new Dictionary<string, string> { ["path"] = "<project>" }),
        new("query_limits", "Memory, threads and statement timeout for the project's queries",
            new Dictionary<string, string> { ["memory"] = "2GB", ["threads"] = "2", ["timeout"] = "60s" }),
        new("code_repository", "A Git repository for the project's shared code (SQL, notebooks)",
            new Dictionary<string, string> { ["branch"] = "main" }),
    ];

    public static Definition? Find(string name) => All.FirstOrDefault(d => d.Name == name);
}
