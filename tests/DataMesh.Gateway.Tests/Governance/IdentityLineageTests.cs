using System.Globalization;
using DataMesh.Gateway.Tests.Identity;
using Npgsql;

namespace DataMesh.Gateway.Tests.Governance;

/// <summary>
/// A grant whose row filter refers to the caller (<c>current_user_claim('region')</c>) lets each member see other rows.
/// A workspace table one member derived holds that member's rows: a member whose bound grant differs must not read it
/// (the project's workspace is shared, the grant is not), while the member who wrote it, and a member with the same
/// claim, still can. Real TLS token sign-ins.
/// </summary>
[Collection(IdentityCollection.Name)]
public sealed class IdentityLineageTests(IdentityGateway gateway)
{
    [Fact]
    [Adversarial(AttackClass.WorkspaceLineage)]
    public async Task A_table_derived_under_one_callers_row_filter_is_unreadable_to_a_caller_with_another()
    {
        var n = Guid.NewGuid().ToString("N")[..8];
        var project = "idl_" + n;
        var group = "idlg_" + n;
        await gateway.AdminAsync("carol", $"CREATE PROJECT {project} ACCOUNT acct_research PROFILE sql_analytics");
        await gateway.AdminAsync("carol", $"CREATE GROUP {group}");
        await gateway.AdminAsync("carol", $"ADD MEMBER GROUP {group} TO PROJECT {project} AS CONTRIBUTOR");
        var requested = await gateway.AdminAsync("carol",
            $"REQUEST SUBSCRIPTION TO marketing.mkt_sls_table FOR PROJECT {project} JUSTIFICATION 'identity lineage'");
        var id = Convert.ToInt64(requested[0][0], CultureInfo.InvariantCulture);
        await gateway.AdminAsync("alice", $"APPROVE SUBSCRIPTION {id} WITH ROW FILTER (region = current_user_claim('region'))");

        string Token(string user, string region)
        {
            var claims = gateway.Primary.Claims(user, [group]);
            claims["region"] = region;
            return gateway.Primary.Mint(claims);
        }
        var writer = IdentityGateway.NewUser("eu");
        var peer = IdentityGateway.NewUser("eu2");
        var other = IdentityGateway.NewUser("as");
        await using var w = await gateway.OpenWithTokenAsync(writer, Token(writer, "Europe"), project);
        await using var p = await gateway.OpenWithTokenAsync(peer, Token(peer, "Europe"), project);
        await using var o = await gateway.OpenWithTokenAsync(other, Token(other, "Asia"), project);
        await IdentityGateway.RowsAsync(w, "CREATE TABLE workspace.mine AS SELECT region, item_id FROM mkt_sls_table WHERE item_id < 1000");
        const string Regions = "SELECT DISTINCT region FROM workspace.mine";

        Assert.Equal("Europe", (await IdentityGateway.RowsAsync(w, Regions)).Single()[0]); // the probe: the writer reads it
        Assert.Equal("Europe", (await IdentityGateway.RowsAsync(p, Regions)).Single()[0]); // so does a member bound alike
        Assert.Equal("Asia", (await IdentityGateway.RowsAsync(o, "SELECT DISTINCT region FROM mkt_sls_table")).Single()[0]);
        var e = await Assert.ThrowsAsync<PostgresException>(() => IdentityGateway.RowsAsync(o, Regions));
        Assert.Equal(("42501", $"workspace table \"mine\" was derived from subscription {id} to marketing.mkt_sls_table, which lets this session through other rows, columns or masks than when the table was written"),
            (e.SqlState, e.MessageText));
    }
}
