using DataMesh.Gateway.Tests.Infrastructure;

namespace DataMesh.Gateway.Tests.Portal;

/// <summary>The notifications list: a subscription's events reach the consumer project's members and the asset's owners only.</summary>
[Collection(PortalCollection.Name)]
public sealed class PortalNotificationTests(PortalFixture fixture)
{
    private static List<string> Events(Browser browser, string id)
    {
        browser.Go("/notifications");
        return browser.FindAll($"#notifications li[data-subscription='{id}']").Select(e => e.GetAttribute("data-kind")!).ToList();
    }

    [Fact]
    public async Task Filed_approved_expiring_revoked_and_rejected_reach_the_concerned_users_only()
    {
        var asset = $"marketing.note_{Guid.NewGuid():N}"[..28];
        await fixture.SqlAsync("alice", "postgres", $"CREATE ASSET {asset} FROM 'campaigns/*.parquet'");
        await fixture.SqlAsync("alice", "postgres", $"PUBLISH ASSET {asset}");
        var soon = (await fixture.SqlAsync("bob", "postgres", $"REQUEST SUBSCRIPTION TO {asset} FOR PROJECT ml_research JUSTIFICATION 'soon'"))[0][0]!;
        await fixture.SqlAsync("alice", "postgres", $"APPROVE SUBSCRIPTION {soon} EXPIRES IN INTERVAL '2 days'");
        var late = (await fixture.SqlAsync("dave", "postgres", $"REQUEST SUBSCRIPTION TO {asset} FOR PROJECT finance JUSTIFICATION 'late'"))[0][0]!;
        await fixture.SqlAsync("alice", "postgres", $"APPROVE SUBSCRIPTION {late} EXPIRES IN INTERVAL '30 days'");

        var bob = fixture.SignedIn("bob");
        Assert.Equal(["expiring", "approved", "filed"], Events(bob, soon));
        Assert.Empty(Events(bob, late)); // finance's subscription: not bob's concern
        var alice = fixture.SignedIn("alice");
        Assert.Equal(["expiring", "approved", "filed"], Events(alice, soon));
        Assert.Equal(["approved", "filed"], Events(alice, late)); // 30 days away: no warning yet
        var dave = fixture.SignedIn("dave");
        Assert.Empty(Events(dave, soon));

        await fixture.SqlAsync("alice", "postgres", $"REVOKE SUBSCRIPTION {soon} COMMENT 'the study ended'");
        Assert.Equal(["revoked", "approved", "filed"], Events(bob, soon));
        Assert.Contains("the study ended", bob.Text($"#notifications li[data-subscription='{soon}'][data-kind='revoked']"));

        var again = (await fixture.SqlAsync("bob", "postgres", $"REQUEST SUBSCRIPTION TO {asset} FOR PROJECT ml_research JUSTIFICATION 'again'"))[0][0]!;
        await fixture.SqlAsync("alice", "postgres", $"REJECT SUBSCRIPTION {again} COMMENT 'not twice'");
        Assert.Equal(["rejected", "filed"], Events(bob, again));
        bob.Screenshot("notifications");
    }

    [Fact]
    public async Task Withdrawn_requests_and_changed_grants_come_from_the_event_table()
    {
        var asset = $"marketing.chg_{Guid.NewGuid():N}"[..28];
        await fixture.SqlAsync("alice", "postgres", $"CREATE ASSET {asset} FROM 'campaigns/*.parquet'");
        await fixture.SqlAsync("alice", "postgres", $"PUBLISH ASSET {asset}");
        var first = (await fixture.SqlAsync("bob", "postgres", $"REQUEST SUBSCRIPTION TO {asset} FOR PROJECT ml_research JUSTIFICATION 'first'"))[0][0]!;
        await fixture.SqlAsync("bob", "postgres", $"WITHDRAW SUBSCRIPTION REQUEST {first}");
        var second = (await fixture.SqlAsync("bob", "postgres", $"REQUEST SUBSCRIPTION TO {asset} FOR PROJECT ml_research JUSTIFICATION 'second'"))[0][0]!;
        await fixture.SqlAsync("alice", "postgres", $"APPROVE SUBSCRIPTION {second}");
        await fixture.SqlAsync("alice", "postgres", $"ALTER SUBSCRIPTION {second} SET EXPIRES IN INTERVAL '90 days' COMMENT 'for the quarter'");

        var bob = fixture.SignedIn("bob");
        Assert.Equal(["withdrawn", "filed"], Events(bob, first));
        Assert.Equal(["changed", "approved", "filed"], Events(bob, second));
        var alice = fixture.SignedIn("alice");
        Assert.Equal(["withdrawn", "filed"], Events(alice, first));
        Assert.Empty(Events(fixture.SignedIn("dave"), second)); // not a member of ml_research, not an owner of marketing
    }
}
