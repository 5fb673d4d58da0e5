using DataMesh.Gateway.Policy.Rewrite;

namespace DataMesh.Gateway.Tests.Policy;

/// <summary><c>schema.table.*</c> (ActiveRecord's select list for a schema-qualified model) becomes <c>table.*</c>.</summary>
public sealed class QualifiedStarsTests
{
    [Theory]
    [InlineData("SELECT \"marketing\".\"mkt_sls_table\".* FROM \"marketing\".\"mkt_sls_table\"", "SELECT \"mkt_sls_table\".* FROM \"marketing\".\"mkt_sls_table\"")]
    [InlineData("SELECT marketing.t.*, 1 FROM marketing.t", "SELECT t.*, 1 FROM marketing.t")]
    [InlineData("SELECT t.*, s.t.c FROM s.t", "SELECT t.*, s.t.c FROM s.t")] // a two-part star and a three-part column stay
    [InlineData("SELECT 'a.b.*' FROM t", "SELECT 'a.b.*' FROM t")]
    [InlineData("SELECT c.s.t.* FROM c.s.t", "SELECT c.s.t.* FROM c.s.t")] // four parts: left to the engine
    [InlineData("SELECT 2 * 3", "SELECT 2 * 3")]
    public void Drops_the_schema_of_a_three_part_star(string sql, string expected) => Assert.Equal(expected, QualifiedStars.Shorten(sql));
}
