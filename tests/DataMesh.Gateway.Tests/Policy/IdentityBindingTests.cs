using DataMesh.Gateway.Policy.Grants;
using DataMesh.Gateway.Policy.Identity;
using DataMesh.Gateway.Sql;

namespace DataMesh.Gateway.Tests.Policy;

/// <summary>Identity functions in a grant's row filter become constants for one caller, quoted, or fail closed.</summary>
public sealed class IdentityBindingTests
{
    private static AssetGrant Grant(string filter) =>
        new("marketing", "sales", "/data/sales.parquet", [new GrantColumn("region", "VARCHAR")], filter, [7], OwnProject: false)
        {
            IdentityCalls = IdentityCalls.Find(filter),
        };

    private static CallerIdentity Caller(string name, params (string Claim, string Value)[] claims) =>
        new(name, "https://idp.example", "sub-" + name, [], claims.ToDictionary(c => c.Claim, c => c.Value), null);

    [Fact]
    public void Two_callers_get_different_bound_filters_from_one_grant()
    {
        var grant = Grant("__datamesh_src.region = current_user_claim('region')");
        var eu = IdentityBinding.Bind(grant, Caller("a", ("region", "Europe")), new HashSet<string>());
        var asia = IdentityBinding.Bind(grant, Caller("b", ("region", "Asia")), new HashSet<string>());
        Assert.Equal("__datamesh_src.region = 'Europe'", eu.QualifiedRowFilter);
        Assert.Equal("__datamesh_src.region = 'Asia'", asia.QualifiedRowFilter);
        Assert.Empty(eu.IdentityCalls);
        Assert.Null(eu.Unavailable);
    }

    [Fact]
    public void A_quote_in_a_claim_value_stays_inside_the_literal()
    {
        var bound = IdentityBinding.Bind(Grant("region = current_user_claim('region')"), Caller("a", ("region", "O'Brien' OR '1'='1")), new HashSet<string>());
        Assert.Equal("region = 'O''Brien'' OR ''1''=''1'", bound.QualifiedRowFilter);
    }

    [Fact]
    public void A_missing_claim_makes_the_grant_unavailable_and_its_filter_false()
    {
        var bound = IdentityBinding.Bind(Grant("current_user_claim('region') IS NULL"), Caller("a"), new HashSet<string>());
        Assert.Equal("false", bound.QualifiedRowFilter);
        Assert.Contains("claim \"region\"", bound.Unavailable);
    }

    [Fact]
    public void Group_and_name_functions_bind_to_constants()
    {
        var bound = IdentityBinding.Bind(Grant("current_user_in_group('emea') AND owner = current_user_name() OR current_user_in_group('apac')"),
            Caller("erin"), new HashSet<string> { "emea" });
        Assert.Equal("true AND owner = 'erin' OR false", bound.QualifiedRowFilter);
    }

    [Theory]
    [InlineData("current_user_claim(region)")]
    [InlineData("current_user_claim('a', 'b')")]
    [InlineData("current_user_name(1)")]
    [InlineData("main.current_user_name()")]
    [InlineData("current_user_claim(E'x')")]
    public void Malformed_calls_are_not_bindable(string filter) => Assert.Throws<FormatException>(() => IdentityCalls.Find(filter));

    [Fact]
    public void Names_in_strings_comments_and_columns_are_not_calls()
    {
        Assert.Empty(IdentityCalls.Find("x = 'current_user_name()' AND current_user_name = 1 /* current_user_claim('a') */ AND \"current_user_claim\" = 2"));
    }
}
