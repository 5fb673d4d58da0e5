namespace DataMesh.Gateway.Engine.Instances;

/// <summary>How an instance has its project's workspace database attached.</summary>
public enum WorkspaceAccess
{
    None,
    ReadOnly,
    ReadWrite,
}
