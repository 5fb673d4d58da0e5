using DataMesh.Gateway.Engine.Instances;
using DataMesh.Gateway.Policy.Rewrite;
using DataMesh.Gateway.Tests.Engine;

namespace DataMesh.Gateway.Tests.Architecture;

/// <summary>
/// The pg_catalog and information_schema relations a consumer query may read unchanged are listed in Policy
/// (<see cref="CatalogRelations"/>); the relations themselves are created in Engine (the emulation built into every
/// instance). The two lists live in layers that do not know each other, so they are compared here, both ways: a
/// relation the engine creates but the policy does not allow is unreachable, and one the policy allows but the engine
/// lacks would reach whatever DuckDB resolves that name to.
/// </summary>
public sealed class CatalogRelationsAgreementTests
{
    [Fact]
    public void The_allow_list_and_the_emulated_relations_are_the_same_names()
    {
        using var pool = new EngineInstances(1);
        using var lease = pool.Acquire(EngineFiles.Spec("agreement"));
        using var session = lease.OpenSession();
        var emulated = EngineSql.Rows(session,
                "SELECT table_name FROM duckdb_tables() WHERE schema_name = 'main' AND database_name NOT IN ('system', 'temp', 'workspace') "
                + "UNION ALL SELECT view_name FROM duckdb_views() WHERE schema_name = 'main' AND database_name NOT IN ('system', 'temp', 'workspace') AND NOT internal")
            .Select(r => r[0]!).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var allowed = CatalogRelations.EmulatedNames.ToHashSet(StringComparer.OrdinalIgnoreCase);
        // The gateway's own relations (the shadow tables' hidden columns that has_column_privilege reads) are not
        // emulation: no consumer query may name them, so the allow list must not have them.
        Assert.Contains(DataMesh.Gateway.Engine.GatewayMacros.HiddenColumnsTable, emulated);
        Assert.DoesNotContain(allowed, n => n.StartsWith("__datamesh", StringComparison.OrdinalIgnoreCase));
        emulated.RemoveWhere(n => n.StartsWith("__datamesh", StringComparison.OrdinalIgnoreCase));

        Assert.True(emulated.Count > 50, $"the probe found only {emulated.Count} relations: {string.Join(", ", emulated)}");
        Assert.Empty(emulated.Except(allowed).Order());
        Assert.Empty(allowed.Except(emulated).Order());
    }
}
