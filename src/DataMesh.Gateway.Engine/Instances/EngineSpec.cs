namespace DataMesh.Gateway.Engine.Instances;

/// <summary>One column of a shadow table: what a consumer may see of an asset's column (hidden columns are absent).</summary>
public sealed record ShadowColumn(string Name, string DuckDbType, string? Description);

/// <summary>
/// An empty table that stands for a visible asset in a project's instance, so that DuckDB's own metadata
/// (information_schema, DESCRIBE, duckdb_columns) and the pg_catalog emulation describe exactly the granted columns.
/// It never holds rows: consumer queries read assets through policy subqueries, never through these tables.
/// <paramref name="Oid"/> is stable across sessions and rebuilds (derived from the asset's catalog id).
/// </summary>
/// <paramref name="HiddenColumns"/> names the asset's columns the grant hides (published metadata, no data).
public sealed record ShadowTable(string Schema, string Name, int Oid, string? Description, IReadOnlyList<ShadowColumn> Columns,
    IReadOnlyList<string>? HiddenColumns = null);

/// <summary>
/// Everything that shapes one project's DuckDB instance. Two specs with the same <see cref="Fingerprint"/> build the
/// same instance; a different fingerprint for the same <see cref="Key"/> means the grants changed and the instance is
/// rebuilt. The engine knows nothing of catalogs: the server derives this from the catalog snapshot.
/// </summary>
public sealed record EngineSpec
{
    /// <summary>The instance's identity: the project name (or the domain home, <c>postgres</c>).</summary>
    public required string Key { get; init; }

    /// <summary>Changes whenever anything below changes.</summary>
    public required string Fingerprint { get; init; }

    /// <summary>Exactly the sources (files, directories or globs) the project may read: DuckDB's allow list.</summary>
    public IReadOnlyList<string> AllowedSources { get; init; } = [];

    /// <summary>Schemas (owning projects) with the visible assets as empty tables, with stable OIDs.</summary>
    public IReadOnlyList<ShadowTable> ShadowTables { get; init; } = [];

    /// <summary>Stable OIDs of the shadow schemas (owning project → oid).</summary>
    public IReadOnlyDictionary<string, int> SchemaOids { get; init; } = new Dictionary<string, int>();

    public string MemoryLimit { get; init; } = "4GB";

    public int Threads { get; init; } = Environment.ProcessorCount;

    /// <summary>Private spill directory; null disables spilling.</summary>
    public string? TempDirectory { get; init; }

    public string MaxTempDirectorySize { get; init; } = "1GB";

    /// <summary>The project's workspace DuckDB file (the workspace blueprint), attached as catalog <c>workspace</c>.</summary>
    public string? WorkspacePath { get; init; }

    /// <summary>Read-write for owners and contributors. Read-only instances are separate from writable ones.</summary>
    public bool WorkspaceWritable { get; init; }

    /// <summary>
    /// The gateway's session settings (name, built-in default, context, type): the same in every session, so they are
    /// built into the instance (pg_settings' rows, current_setting()'s defaults) rather than set per connection; a
    /// session sets only the values that differ (<see cref="Execution.EngineSession.SetSettings"/>).
    /// </summary>
    public IReadOnlyList<(string Name, string Boot, string Context, string Type)> SettingDefinitions { get; init; } = [];
}
