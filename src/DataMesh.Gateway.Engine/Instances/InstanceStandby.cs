using DataMesh.Gateway.Protocol.Errors;
using DuckDB.NET.Data;

namespace DataMesh.Gateway.Engine.Instances;

/// <summary>
/// A project's next instance, half built: an unlocked in-memory database with the pg_catalog emulation and the shadow
/// catalog of the project's spec as it was when the standby was made. When the project's grants change, the next
/// build takes it, patches the shadow catalog to the new spec (<see cref="ShadowCatalogDelta"/>: the one or two tables
/// the change touched) and then applies the whole lockdown as any build does (<see cref="InstanceBuilder"/>): allow
/// lists, settings, workspace, external access off, configuration locked. Until then it holds no allow list, no
/// workspace and no session: it is never handed out. Taken once.
/// </summary>
internal sealed class InstanceStandby : IDisposable
{
    private DuckDBConnection? _root;

    private InstanceStandby(EngineSpec spec, DuckDBConnection root)
    {
        Spec = spec;
        _root = root;
    }

    /// <summary>The spec whose shadow catalog the standby holds.</summary>
    public EngineSpec Spec { get; }

    public static InstanceStandby Build(EngineSpec spec, InstanceTemplates? templates)
    {
        var root = templates?.Take(spec.SettingDefinitions) ?? InstanceTemplates.Emulated(spec.SettingDefinitions);
        try
        {
            ShadowCatalog.Build(root, spec);
            return new InstanceStandby(spec, root);
        }
        catch
        {
            root.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The database with <paramref name="target"/>'s shadow catalog, not locked down; the caller owns it. Null when
    /// this standby cannot become it (another project or other session settings, or the patch did not check out):
    /// the standby is then closed and the caller builds from scratch.
    /// </summary>
    public DuckDBConnection? TakeFor(EngineSpec target)
    {
        var root = Interlocked.Exchange(ref _root, null);
        if (root is null) return null;
        if (target.Key != Spec.Key || !SameSettings(Spec, target))
        {
            root.Dispose();
            return null;
        }
        try
        {
            ShadowCatalogDelta.Apply(root, Spec, target);
            return root;
        }
        catch (Exception e) when (e is DuckDBException or InvalidOperationException or ArgumentException or PgErrorException)
        {
            root.Dispose();
            return null;
        }
    }

    private static bool SameSettings(EngineSpec a, EngineSpec b) =>
        ReferenceEquals(a.SettingDefinitions, b.SettingDefinitions) || a.SettingDefinitions.SequenceEqual(b.SettingDefinitions);

    public void Dispose() => Interlocked.Exchange(ref _root, null)?.Dispose();
}
