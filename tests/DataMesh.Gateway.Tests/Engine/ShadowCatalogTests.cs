using DataMesh.Gateway.Engine.Execution;
using DataMesh.Gateway.Engine.Instances;

namespace DataMesh.Gateway.Tests.Engine;

/// <summary>Shadow tables describe exactly the granted columns, in DuckDB's metadata and in the pg_catalog emulation.</summary>
public sealed class ShadowCatalogTests : IDisposable
{
    private const string Schema = "sa\"les é";
    private const string Table = "or\"ders ü";
    private const int SchemaOid = 16_400;
    private const int TableOid = 16_500;

    private readonly EngineInstances _pool = new(2);
    private readonly EngineSession _session;

    public ShadowCatalogTests()
    {
        var spec = EngineFiles.Spec("shadow") with
        {
            SchemaOids = new Dictionary<string, int> { [Schema] = SchemaOid, ["hr"] = 16_401 },
            ShadowTables =
            [
                new ShadowTable(Schema, Table, TableOid, "Orders, 'quoted'",
                [
                    new ShadowColumn("i\"d", "BIGINT", "the id"),
                    new ShadowColumn("amount", "DECIMAL(18,2)", null),
                    new ShadowColumn("tags", "VARCHAR[]", "labels"),
                    new ShadowColumn("shape", "STRUCT(a INTEGER)", null),
                    new ShadowColumn("at", "TIMESTAMP WITH TIME ZONE", null),
                ]),
                new ShadowTable("hr", "people", 16_501, null, [new ShadowColumn("name", "VARCHAR", null)]),
            ],
        };
        using var lease = _pool.Acquire(spec);
        _session = lease.OpenSession();
    }

    [Fact]
    public void InformationSchemaListsExactlyTheGrantedColumns()
    {
        var rows = EngineSql.Rows(_session,
            "SELECT table_name, column_name, data_type FROM information_schema.columns WHERE table_schema = 'sa\"les é' ORDER BY ordinal_position");
        Assert.Equal(
            [
                [Table, "i\"d", "BIGINT"], [Table, "amount", "DECIMAL(18,2)"], [Table, "tags", "VARCHAR[]"],
                [Table, "shape", "STRUCT(a INTEGER)"], [Table, "at", "TIMESTAMP WITH TIME ZONE"],
            ],
            rows);
    }

    [Fact]
    public void DescribeShowsTheColumnsAndTheTablesAreEmpty()
    {
        var rows = EngineSql.Rows(_session, "DESCRIBE \"sa\"\"les é\".\"or\"\"ders ü\"");
        Assert.Equal(["i\"d", "amount", "tags", "shape", "at"], rows.Select(r => r[0]));
        Assert.Equal(["BIGINT", "DECIMAL(18,2)", "VARCHAR[]", "STRUCT(a INTEGER)", "TIMESTAMP WITH TIME ZONE"], rows.Select(r => r[1]));
        Assert.Equal("0", EngineSql.Scalar(_session, "SELECT count(*) FROM \"sa\"\"les é\".\"or\"\"ders ü\""));
        Assert.Equal("0", EngineSql.Scalar(_session, "SELECT count(*) FROM hr.people"));
    }

    [Fact]
    public void CommentsCarryTheDescriptions()
    {
        Assert.Equal("Orders, 'quoted'", EngineSql.Scalar(_session, "SELECT comment FROM duckdb_tables() WHERE table_name = 'or\"ders ü'"));
        var columns = EngineSql.Rows(_session, "SELECT column_name, comment FROM duckdb_columns() WHERE table_name = 'or\"ders ü' ORDER BY column_index");
        Assert.Equal([["i\"d", "the id"], ["amount", null], ["tags", "labels"], ["shape", null], ["at", null]], columns);
    }

    [Fact]
    public void PgNamespaceAndPgClassCarryTheGivenOids()
    {
        Assert.Equal([["16400", Schema], ["16401", "hr"]],
            EngineSql.Rows(_session, "SELECT oid, nspname FROM pg_namespace WHERE oid >= 16384 ORDER BY oid"));
        Assert.Equal([["16500", Table, "16400", "r", "5"], ["16501", "people", "16401", "r", "1"]],
            EngineSql.Rows(_session, "SELECT oid, relname, relnamespace, relkind, relnatts FROM pg_class ORDER BY oid"));
    }

    [Fact]
    public void PgAttributeCarriesPostgresTypeOidsAndTypmods()
    {
        var rows = EngineSql.Rows(_session,
            "SELECT attname, attnum, atttypid, atttypmod FROM pg_attribute WHERE attrelid = 16500 ORDER BY attnum");
        Assert.Equal(
            [
                ["i\"d", "1", "20", "-1"],
                ["amount", "2", "1700", (((18 << 16) | 2) + 4).ToString(System.Globalization.CultureInfo.InvariantCulture)],
                ["tags", "3", "1009", "-1"],
                ["shape", "4", "25", "-1"], // no PostgreSQL equivalent: queries return it as text
                ["at", "5", "1184", "-1"],
            ],
            rows);
        Assert.Equal([["name", "1", "25"]], EngineSql.Rows(_session, "SELECT attname, attnum, atttypid FROM pg_attribute WHERE attrelid = 16501"));
    }

    [Fact]
    public void PgDescriptionCarriesTableAndColumnComments()
    {
        // PostgreSQL 15's own comment on the public schema comes first (pg_dump writes it), then the table's and columns'.
        Assert.Equal([["2200", "2615", "0", "standard public schema"], ["16500", "1259", "0", "Orders, 'quoted'"], ["16500", "1259", "1", "the id"],
                ["16500", "1259", "3", "labels"]],
            EngineSql.Rows(_session, "SELECT objoid, classoid, objsubid, description FROM pg_description ORDER BY objoid, objsubid"));
    }

    [Theory]
    [InlineData("main")]
    [InlineData("pg_catalog")]
    [InlineData("Information_Schema")]
    public void ASchemaNamedLikeTheEmulationsOwnIsRejected(string schema)
    {
        var spec = EngineFiles.Spec("reserved-" + schema) with
        {
            SchemaOids = new Dictionary<string, int> { [schema] = 16_999 },
            ShadowTables = [new ShadowTable(schema, "t", 17_000, null, [new ShadowColumn("c", "INTEGER", null)])],
        };
        Assert.Throws<ArgumentException>(() => _pool.Acquire(spec));
        Assert.Equal(1, _pool.Count);
    }

    [Fact]
    public void ATypeThatReshapesTheTableIsRefused()
    {
        var spec = EngineFiles.Spec("injected") with
        {
            SchemaOids = new Dictionary<string, int> { ["s"] = 16_999 },
            ShadowTables = [new ShadowTable("s", "t", 17_000, null, [new ShadowColumn("c", "INTEGER, hidden VARCHAR", null)])],
        };
        Assert.Throws<InvalidOperationException>(() => _pool.Acquire(spec));
    }

    public void Dispose()
    {
        _session.Dispose();
        _pool.Dispose();
    }
}
