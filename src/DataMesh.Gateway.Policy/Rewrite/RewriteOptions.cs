namespace DataMesh.Gateway.Policy.Rewrite;

/// <summary>What the session's engine instance offers besides the granted assets.</summary>
public sealed record RewriteOptions
{
    public static readonly RewriteOptions Default = new();

    /// <summary>The instance holds the project's shadow catalog, so SHOW TABLES lists only visible assets.</summary>
    public bool ShadowCatalog { get; init; }

    /// <summary>The project's workspace database is attached: <c>workspace.t</c> references pass unchanged.</summary>
    public bool Workspace { get; init; }
}
