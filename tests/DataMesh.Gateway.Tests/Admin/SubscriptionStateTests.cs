namespace DataMesh.Gateway.Tests.Admin;

/// <summary>
/// The subscription state machine: pending → approved | rejected; approved → revoked | expired. Rejected,
/// revoked and expired are final; the consumer requests again.
/// </summary>
[Collection(AdminCollection.Name)]
public sealed class SubscriptionStateTests(AdminGatewayFixture fixture)
{
    [Fact]
    public async Task Approved_then_revoked_is_final()
    {
        var s = await Scenario.CreateAsync(fixture);
        var id = await s.RequestAsync(fixture);
        Assert.Equal("pending", await s.StatusAsync(fixture, id));
        await using var owner = await fixture.OpenAsync(s.Owner);
        await owner.ExecAsync($"APPROVE SUBSCRIPTION {id}");
        Assert.Equal("approved", await s.StatusAsync(fixture, id));
        // An approved subscription is open: a second request is a duplicate.
        await using (var contributor = await fixture.OpenAsync(s.Contributor))
        {
            var e = await contributor.FailsAsync($"REQUEST SUBSCRIPTION TO {s.AssetName} FOR PROJECT {s.Consumer} JUSTIFICATION 'x'", "42710");
            Assert.Contains("approved subscription", e.MessageText);
        }
        await owner.ExecAsync($"REVOKE SUBSCRIPTION {id}");
        Assert.Equal("revoked", await s.StatusAsync(fixture, id));
        await owner.FailsAsync($"APPROVE SUBSCRIPTION {id}", "55000");
        await owner.FailsAsync($"REJECT SUBSCRIPTION {id}", "55000");
        await owner.FailsAsync($"REVOKE SUBSCRIPTION {id}", "55000");
        Assert.Equal("revoked", await s.StatusAsync(fixture, id));

        var again = await s.RequestAsync(fixture);
        Assert.NotEqual(id, again);
        Assert.Equal("pending", await s.StatusAsync(fixture, again));
    }

    [Fact]
    public async Task Rejected_is_final()
    {
        var s = await Scenario.CreateAsync(fixture);
        var id = await s.RequestAsync(fixture);
        await using var owner = await fixture.OpenAsync(s.Owner);
        await owner.ExecAsync($"REJECT SUBSCRIPTION {id}");
        await owner.FailsAsync($"APPROVE SUBSCRIPTION {id}", "55000");
        await owner.FailsAsync($"REJECT SUBSCRIPTION {id}", "55000");
        await owner.FailsAsync($"REVOKE SUBSCRIPTION {id}", "55000");
        Assert.Equal("rejected", await s.StatusAsync(fixture, id));
    }

    [Fact]
    public async Task Pending_cannot_be_revoked()
    {
        var s = await Scenario.CreateAsync(fixture);
        var id = await s.RequestAsync(fixture);
        await using var owner = await fixture.OpenAsync(s.Owner);
        await owner.FailsAsync($"REVOKE SUBSCRIPTION {id}", "55000");
        Assert.Equal("pending", await s.StatusAsync(fixture, id));
    }

    [Fact]
    public async Task Requests_are_checked()
    {
        var s = await Scenario.CreateAsync(fixture, publish: false);
        await using var contributor = await fixture.OpenAsync(s.Contributor);
        var e = await contributor.FailsAsync($"REQUEST SUBSCRIPTION TO {s.AssetName} FOR PROJECT {s.Consumer} JUSTIFICATION 'x'", "42704");
        Assert.Contains("published asset", e.MessageText);
        await using (var carol = await fixture.OpenAsync("carol")) await carol.ExecAsync($"PUBLISH ASSET {s.AssetName}");
        await contributor.FailsAsync($"REQUEST SUBSCRIPTION TO {s.AssetName} FOR PROJECT {s.Consumer} JUSTIFICATION '   '", "22023");
        await using var producer = await fixture.OpenAsync(s.ProducerContributor);
        await producer.FailsAsync($"REQUEST SUBSCRIPTION TO {s.AssetName} FOR PROJECT {s.Producer} JUSTIFICATION 'own asset'", "55000");
        var id = await s.RequestAsync(fixture);
        Assert.Equal("pending", await s.StatusAsync(fixture, id));
    }

    [Fact]
    public async Task Expired_subscription_stops_counting_as_approved()
    {
        var s = await Scenario.CreateAsync(fixture);
        var id = await s.RequestAsync(fixture);
        await using var owner = await fixture.OpenAsync(s.Owner);
        var approved = await owner.QueryAsync($"APPROVE SUBSCRIPTION {id} EXPIRES IN INTERVAL '1 second'");
        Assert.Equal("approved", approved.Get(0, "status"));
        Assert.NotNull(approved.Get(0, "expires_at"));

        await Task.Delay(TimeSpan.FromSeconds(1.6));
        Assert.Equal("expired", await s.StatusAsync(fixture, id));
        var e = await owner.FailsAsync($"REVOKE SUBSCRIPTION {id}", "55000");
        Assert.Contains("expired", e.MessageText);
        e = await owner.FailsAsync($"APPROVE SUBSCRIPTION {id}", "55000");
        Assert.Contains("REQUEST SUBSCRIPTION", e.Hint);

        // Expired is no longer open: the consumer may request again.
        var again = await s.RequestAsync(fixture);
        Assert.Equal("pending", await s.StatusAsync(fixture, again));
        var described = await owner.QueryAsync($"DESCRIBE ASSET {s.AssetName}");
        Assert.Contains(described.Rows, r => (string)r[0]! == "subscription" && (string)r[1]! == id.ToString() && (string)r[2]! == $"{s.Consumer}: expired");
    }

    [Fact]
    public async Task Invalid_intervals_are_refused()
    {
        var s = await Scenario.CreateAsync(fixture);
        var id = await s.RequestAsync(fixture);
        await using var owner = await fixture.OpenAsync(s.Owner);
        await owner.FailsAsync($"APPROVE SUBSCRIPTION {id} EXPIRES IN INTERVAL 'soon'", "22023");
        await owner.FailsAsync($"APPROVE SUBSCRIPTION {id} EXPIRES IN INTERVAL '-1 day'", "22023");
        Assert.Equal("pending", await s.StatusAsync(fixture, id));
    }
}
