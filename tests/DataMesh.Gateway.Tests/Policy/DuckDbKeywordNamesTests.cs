using DataMesh.Gateway.Policy.Rewrite;

namespace DataMesh.Gateway.Tests.Policy;

/// <summary>
/// The word <c>at</c>, which DuckDB reserves for time travel and PostgreSQL lets queries use as a name (pg_dump's
/// <c>FROM pg_attribute at</c>), is quoted where it names something, and left alone in PostgreSQL's AT TIME ZONE.
/// </summary>
public sealed class DuckDbKeywordNamesTests
{
    [Theory]
    [InlineData("SELECT at.attname FROM pg_attribute at WHERE at.attnum > 0", "SELECT \"at\".attname FROM pg_attribute \"at\" WHERE \"at\".attnum > 0")]
    [InlineData("SELECT $14::text[] AS at", "SELECT $14::text[] AS \"at\"")]
    [InlineData("SELECT x AS At FROM t", "SELECT x AS \"at\" FROM t")]
    [InlineData("SELECT ts AT TIME ZONE 'UTC' FROM t", "SELECT ts AT TIME ZONE 'UTC' FROM t")]
    [InlineData("SELECT * FROM t AT (VERSION => 1)", "SELECT * FROM t AT (VERSION => 1)")]
    [InlineData("SELECT 'at' AS \"at\", data, chat FROM t", "SELECT 'at' AS \"at\", data, chat FROM t")]
    public void At_is_quoted_where_it_is_a_name(string sql, string expected) => Assert.Equal(expected, DuckDbKeywordNames.Quote(sql));
}
