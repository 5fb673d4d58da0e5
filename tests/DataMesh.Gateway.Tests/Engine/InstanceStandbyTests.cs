using DataMesh.Gateway.Engine.Execution;
using DataMesh.Gateway.Engine.Instances;

namespace DataMesh.Gateway.Tests.Engine;

/// <summary>
/// After a project's grants change, its next instance is a standby patched to the new spec (ShadowCatalogDelta) and
/// then locked down. A patched instance must be indistinguishable from one built from scratch for the same spec: the
/// same shadow tables and columns, the same pg_catalog rows, and the allow list of the new spec only (a revoked source
/// is refused by DuckDB itself, not just by the policy).
/// </summary>
public sealed class InstanceStandbyTests : IDisposable
{
    private readonly EngineFiles _files = new();

    // Everything a client can learn of the shadow catalog, in a stable order.
    private static readonly string[] CatalogQueries =
    [
        "SELECT schema_name, table_name, column_name, data_type, comment FROM duckdb_columns() WHERE database_name = 'memory' " +
        "AND schema_name NOT IN ('main', 'pg_catalog', 'information_schema') ORDER BY ALL",
        "SELECT schema_name, table_name, comment FROM duckdb_tables() WHERE database_name = 'memory' AND schema_name NOT IN ('main', 'pg_catalog') ORDER BY ALL",
        "SELECT schema_name FROM duckdb_schemas() WHERE database_name = 'memory' ORDER BY ALL",
        "SELECT oid, nspname, nspowner FROM pg_namespace ORDER BY ALL",
        "SELECT oid, relname, relnamespace, relnatts FROM pg_class WHERE oid >= 16384 ORDER BY ALL",
        "SELECT attrelid, attname, atttypid, attlen, attnum, atttypmod FROM pg_attribute WHERE attrelid >= 16384 ORDER BY ALL",
        "SELECT objoid, classoid, objsubid, description FROM pg_description WHERE objoid >= 16384 ORDER BY ALL",
        "SELECT attrelid, attname FROM __datamesh_hidden_columns ORDER BY ALL",
    ];

    [Fact]
    public void EveryKindOfGrantChangeIsPatchedToExactlyWhatAFreshBuildHas()
    {
        var specs = Changes().ToList();
        using var pool = new EngineInstances(4, spares: 0);
        for (var i = 0; i < specs.Count; i++)
        {
            using var lease = pool.Acquire(specs[i]);
            using var patched = lease.OpenSession();
            using var fresh = new EngineInstances(1, spares: 0, standbys: 0);
            using var freshLease = fresh.Acquire(specs[i]);
            using var built = freshLease.OpenSession();
            foreach (var sql in CatalogQueries)
                Assert.Equal(EngineSql.Rows(built, sql), EngineSql.Rows(patched, sql));
            // The standby of the build before is made in the background; the next change waits for it.
        }
        // The probe fires: every change after the second found the standby the build before it left.
        Assert.Equal(specs.Count - 2, pool.FromStandby);
    }

    [Fact]
    public void APatchedInstanceHasTheNewAllowListAndIsLockedDown()
    {
        using var pool = new EngineInstances(2, spares: 0);
        var granted = Spec("f1", _files.A, Orders());
        var both = Spec("f2", _files.A, Orders(), People()) with { AllowedSources = [_files.A, _files.C] };
        var revoked = Spec("f3", _files.A, Orders());
        using (var first = pool.Acquire(granted)) { }
        using (var lease = pool.Acquire(both))
        using (var session = lease.OpenSession())
            Assert.Equal("2", EngineSql.Scalar(session, $"SELECT count(*) FROM '{_files.C}/*.parquet'"));

        using var after = pool.Acquire(revoked);
        Assert.Equal(1, pool.FromStandby); // the revocation's instance is the patched standby
        using var s = after.OpenSession();
        Assert.Equal("5", EngineSql.Scalar(s, $"SELECT count(*) FROM '{_files.A}/*.parquet'"));
        EngineSql.Refused(s, $"SELECT count(*) FROM '{_files.C}/*.parquet'");
        EngineSql.Refused(s, $"SELECT * FROM '{_files.B}/secret.parquet'");
        EngineSql.Fails(s, $"SET allowed_directories = ['{_files.C}']");
        EngineSql.Fails(s, "SET enable_external_access = true");
        Assert.Equal("0", EngineSql.Scalar(s, "SELECT count(*) FROM duckdb_tables() WHERE table_name = 'people'"));
    }

    /// <summary>A sequence of specs of one project, each differing from the one before by one kind of grant change.</summary>
    private IEnumerable<EngineSpec> Changes()
    {
        var orders = Orders();
        var people = People();
        yield return Spec("f0", _files.A, orders);
        yield return Spec("f1", _files.A, orders, people); // a grant: a table in a new schema
        yield return Spec("f2", _files.A, orders with { Columns = [.. orders.Columns.Take(2)], HiddenColumns = ["secret", "amount"] }, people); // columns excluded
        yield return Spec("f3", _files.A, orders with { Description = "changed", Columns = [orders.Columns[0] with { Description = "new" }, .. orders.Columns.Skip(1)] }, people); // descriptions
        yield return Spec("f4", _files.A, orders); // a revocation: the table and its schema go
        yield return Spec("f5", _files.A, orders, people with { Name = "staff" }); // another table of the same oid
        yield return Spec("f6", _files.A) with { SchemaOids = new Dictionary<string, int> { ["sales"] = 16_410 } }; // no table, the schema under another oid
        yield return Spec("f7", _files.A, orders, people); // back
    }

    private static ShadowTable Orders() => new("sales", "orders", 16_500, "Orders",
    [
        new ShadowColumn("id", "BIGINT", "the id"),
        new ShadowColumn("amount", "DECIMAL(18,2)", null),
        new ShadowColumn("region", "VARCHAR", "where"),
    ], ["secret"]);

    private static ShadowTable People() => new("hr", "people", 16_501, null, [new ShadowColumn("name", "VARCHAR", null)]);

    private static EngineSpec Spec(string fingerprint, string source, params ShadowTable[] tables) => EngineFiles.Spec("p", fingerprint, source) with
    {
        ShadowTables = tables,
        SchemaOids = tables.Select(t => t.Schema).Distinct().ToDictionary(s => s, s => s == "sales" ? 16_400 : 16_401),
    };

    public void Dispose() => _files.Dispose();
}
