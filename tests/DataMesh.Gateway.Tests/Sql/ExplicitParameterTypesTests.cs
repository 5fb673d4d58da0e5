using DataMesh.Gateway.Engine;
using DataMesh.Gateway.Sql;

namespace DataMesh.Gateway.Tests.Sql;

/// <summary>The cast written right after a parameter types it, as PostgreSQL types an unspecified parameter.</summary>
public sealed class ExplicitParameterTypesTests
{
    [Theory]
    [InlineData("SELECT 1 WHERE x = any($1::oid[])", new[] { 1028 })]
    [InlineData("SELECT $2::pg_catalog.int8, $1 :: double precision", new[] { 701, 20 })]
    [InlineData("SELECT $1::varchar(10), $1::int4", new[] { 1043 })] // the first cast wins
    [InlineData("SELECT '$1::int4', \"$1::int4\" -- $1::int4", new[] { 0 })] // strings, names and comments are not casts
    [InlineData("SELECT $1::no_such_type, CAST($2 AS int4)", new[] { 0, 0 })]
    public void Reads_the_cast_after_each_parameter(string sql, int[] expected) =>
        Assert.Equal(expected, ExplicitParameterTypes.Read(sql, expected.Length, PgCatalogEmulation.TypeOid));
}
