using DataMesh.Gateway.Tests.Admin;

namespace DataMesh.Gateway.Tests.Lifecycle;

/// <summary>
/// After the first approval: the consumer withdraws a pending request; the owner changes an approved grant with ALTER
/// SUBSCRIPTION (validated as APPROVE, in force at the next statement of open sessions, a new policy version in the
/// audit); the consumer asks for a change that the owner approves, rejects, or the consumer takes back.
/// </summary>
[Collection(AdminCollection.Name)]
public sealed class GrantChangeTests(AdminGatewayFixture fixture)
{
    [Fact]
    public async Task A_pending_request_is_withdrawn_by_the_requesting_projects_contributors_only()
    {
        var s = await Scenario.CreateAsync(fixture);
        var id = await s.RequestAsync(fixture);
        foreach (var user in new[] { s.Viewer, s.Owner, s.Outsider, s.ProducerContributor })
        {
            await using var c = await fixture.OpenInAsync(user);
            var e = await c.FailsAsync($"WITHDRAW SUBSCRIPTION REQUEST {id}", "42501");
            Assert.StartsWith($"permission denied to withdraw requests of project \"{s.Consumer}\"", e.MessageText);
        }
        Assert.Equal("pending", await s.StatusAsync(fixture, id));

        await using var contributor = await fixture.OpenInAsync(s.Contributor);
        var rows = await contributor.QueryAsync($"WITHDRAW SUBSCRIPTION REQUEST {id}");
        Assert.Equal(("withdrawn", id), ((string?)rows.Get(0, "status"), (long?)rows.Get(0, "subscription")));
        Assert.Equal("withdrawn", await s.StatusAsync(fixture, id));
        Assert.Equal("ok", (await fixture.LastAuditAsync(s.Contributor, "WITHDRAW SUBSCRIPTION REQUEST"))["outcome"]);
        var again = await contributor.FailsAsync($"WITHDRAW SUBSCRIPTION REQUEST {id}", "55000");
        Assert.Equal($"cannot withdraw subscription request {id}: it is already withdrawn", again.MessageText);
        await using (var owner = await fixture.OpenInAsync(s.Owner)) await owner.FailsAsync($"APPROVE SUBSCRIPTION {id}", "55000");
        await contributor.FailsAsync("WITHDRAW SUBSCRIPTION REQUEST 999999999", "42704");

        // The owner is told on datamesh_requests.
        var told = (await fixture.EventsAsync(s.Owner)).First(x => x.Subscription == id);
        Assert.Equal(("withdrawn", "datamesh_requests"), (told.Event, told.Channel));

        // An approved one is not withdrawn: it ends when an owner revokes it.
        var approved = await s.RequestAsync(fixture);
        await using (var owner = await fixture.OpenInAsync(s.Owner)) await owner.ExecAsync($"APPROVE SUBSCRIPTION {approved}");
        var e2 = await contributor.FailsAsync($"WITHDRAW SUBSCRIPTION REQUEST {approved}", "55000");
        Assert.Equal("an approved subscription ends when an owner revokes it or it expires", e2.Hint);
    }

    [Fact]
    public async Task Alter_subscription_takes_effect_at_the_next_statement_of_open_sessions()
    {
        var s = await Scenario.CreateAsync(fixture);
        var id = await s.RequestAsync(fixture);
        await using var owner = await fixture.OpenInAsync(s.Owner);
        await owner.ExecAsync($"APPROVE SUBSCRIPTION {id}");
        await using var consumer = await fixture.OpenInAsync(s.Contributor, s.Consumer);
        var before = await consumer.QueryAsync($"SELECT * FROM {s.AssetName} ORDER BY region");
        Assert.Equal(["region", "amount", "customer_email", "sold_on", "quantity"], before.Columns);
        Assert.Equal(2, before.Count);
        var versionBefore = await PolicyVersionAsync(s.Contributor, s.AssetName, reads: 1);

        var altered = await owner.QueryAsync(
            $"ALTER SUBSCRIPTION {id} SET ROW FILTER (region = 'Europe') SET COLUMNS EXCLUDE (quantity) SET MASK (customer_email USING redact) COMMENT 'narrowed'");
        Assert.Equal(("approved", "region = 'Europe'", "region, amount, customer_email, sold_on"),
            ((string?)altered.Get(0, "status"), (string?)altered.Get(0, "row_filter"), (string?)altered.Get(0, "columns")));

        // The same open session, its next statement: the new policy.
        var after = await consumer.QueryAsync($"SELECT * FROM {s.AssetName}");
        Assert.Equal(["region", "amount", "customer_email", "sold_on"], after.Columns);
        Assert.Equal("Europe", Assert.Single(after.Rows)[0]);
        Assert.NotEqual("ann@example.com", after.Rows[0][2]);
        var versionAfter = await PolicyVersionAsync(s.Contributor, s.AssetName, reads: 2);
        Assert.True(versionBefore.Version != versionAfter.Version, $"the same policy version before and after: {versionAfter.Records}");

        // Told to the consumer as "changed"; audited with the subscription.
        var told = (await fixture.EventsAsync(s.Contributor)).First(x => x.Subscription == id);
        Assert.Equal(("changed", "datamesh_subscriptions"), (told.Event, told.Channel));
        var audit = await fixture.LastAuditAsync(s.Owner, "ALTER SUBSCRIPTION");
        Assert.Equal(("ok", id.ToString(System.Globalization.CultureInfo.InvariantCulture)), ((string?)audit["outcome"], (string?)audit["subscriptions"]));

        // SET ROW FILTER NONE and SET COLUMNS ALL give the rows and columns back.
        await owner.ExecAsync($"ALTER SUBSCRIPTION {id} SET ROW FILTER NONE SET MASK NONE SET COLUMNS ALL");
        var restored = await consumer.QueryAsync($"SELECT * FROM {s.AssetName}");
        Assert.Equal((5, 2), (restored.Columns.Count, restored.Count));
    }

    [Fact]
    public async Task Alter_subscription_is_checked_like_approve_and_only_by_owners()
    {
        var s = await Scenario.CreateAsync(fixture);
        var id = await s.RequestAsync(fixture);
        await using var owner = await fixture.OpenInAsync(s.Owner);
        // The same mistakes as APPROVE would make, with the same errors: the probes first run as APPROVE of the pending request.
        (string Approve, string Alter, string State)[] probes =
        [
            ("WITH ROW FILTER (no_such_column = 1)", "SET ROW FILTER (no_such_column = 1)", "42703"),
            ("WITH ROW FILTER (region IN (SELECT region FROM sales))", "SET ROW FILTER (region IN (SELECT region FROM sales))", "42501"),
            ("INCLUDE COLUMNS (nope)", "SET COLUMNS INCLUDE (nope)", "42703"),
            ("MASK COLUMNS (quantity USING partial(1))", "SET MASK (quantity USING partial(1))", "22023"),
            ("EXPIRES '2001-01-01'", "SET EXPIRES '2001-01-01'", "22023"),
        ];
        var approveErrors = new List<string>();
        foreach (var probe in probes) approveErrors.Add((await owner.FailsAsync($"APPROVE SUBSCRIPTION {id} {probe.Approve}", probe.State)).MessageText);
        // Only an approved grant is changed.
        var pending = await owner.FailsAsync($"ALTER SUBSCRIPTION {id} SET EXPIRES NEVER", "55000");
        Assert.Equal($"decide on it with APPROVE SUBSCRIPTION {id} or REJECT SUBSCRIPTION {id}", pending.Hint);
        await owner.ExecAsync($"APPROVE SUBSCRIPTION {id}");
        foreach (var user in new[] { s.Contributor, s.ProducerContributor, s.ProducerViewer, s.Outsider })
        {
            await using var c = await fixture.OpenInAsync(user);
            await c.FailsAsync($"ALTER SUBSCRIPTION {id} SET ROW FILTER (true)", "42501");
        }
        for (var i = 0; i < probes.Length; i++)
            Assert.Equal(approveErrors[i], (await owner.FailsAsync($"ALTER SUBSCRIPTION {id} {probes[i].Alter}", probes[i].State)).MessageText);
        await owner.FailsAsync($"ALTER SUBSCRIPTION {id} SET EXPIRES NEVER SET EXPIRES NEVER", "42601");
        // Nothing of that changed the grant.
        await using var consumer = await fixture.OpenInAsync(s.Contributor, s.Consumer);
        Assert.Equal(2, (await consumer.QueryAsync($"SELECT * FROM {s.AssetName}")).Count);
    }

    [Fact]
    public async Task A_consumer_asks_for_a_change_that_the_owner_approves_or_rejects()
    {
        var s = await Scenario.CreateAsync(fixture);
        var id = await s.RequestAsync(fixture);
        await using var owner = await fixture.OpenInAsync(s.Owner);
        await owner.ExecAsync($"APPROVE SUBSCRIPTION {id} EXCLUDE COLUMNS (customer_email)");
        await using var contributor = await fixture.OpenInAsync(s.Contributor);
        await using (var viewer = await fixture.OpenInAsync(s.Viewer))
            await viewer.FailsAsync($"REQUEST SUBSCRIPTION CHANGE {id} SET COLUMNS ALL JUSTIFICATION 'x'", "42501");
        // Checked at once as the owner's approval would check it.
        await contributor.FailsAsync($"REQUEST SUBSCRIPTION CHANGE {id} SET COLUMNS INCLUDE (nope) JUSTIFICATION 'x'", "42703");
        await contributor.FailsAsync($"REQUEST SUBSCRIPTION CHANGE {id} SET COLUMNS ALL JUSTIFICATION '  '", "22023");

        var asked = await contributor.QueryAsync($"REQUEST SUBSCRIPTION CHANGE {id} SET COLUMNS ALL JUSTIFICATION 'we need to reach customers'");
        Assert.Equal(("SET COLUMNS ALL", "pending"), ((string?)asked.Get(0, "changes"), (string?)asked.Get(0, "status")));
        await contributor.FailsAsync($"REQUEST SUBSCRIPTION CHANGE {id} SET EXPIRES NEVER JUSTIFICATION 'again'", "42710");
        var told = (await fixture.EventsAsync(s.Owner)).First(x => x.Subscription == id);
        Assert.Equal(("change_requested", "SET COLUMNS ALL", "datamesh_requests"), (told.Event, told.Detail, told.Channel));
        var listed = await owner.QueryAsync("SHOW SUBSCRIPTION CHANGES");
        Assert.Equal(true, listed.Single("subscription", id)["you_can_decide"]);

        await using (var other = await fixture.OpenInAsync(s.ProducerContributor))
            await other.FailsAsync($"APPROVE SUBSCRIPTION CHANGE {id}", "42501");
        await owner.ExecAsync($"APPROVE SUBSCRIPTION CHANGE {id} COMMENT 'ok'");
        await using (var consumer = await fixture.OpenInAsync(s.Contributor, s.Consumer))
            Assert.Contains("customer_email", (await consumer.QueryAsync($"SELECT * FROM {s.AssetName}")).Columns);
        await owner.FailsAsync($"APPROVE SUBSCRIPTION CHANGE {id}", "42704"); // nothing pending any more

        // Rejected and withdrawn requests change nothing.
        await contributor.ExecAsync($"REQUEST SUBSCRIPTION CHANGE {id} SET ROW FILTER (region = 'Asia') JUSTIFICATION 'only Asia'");
        await owner.ExecAsync($"REJECT SUBSCRIPTION CHANGE {id} COMMENT 'no'");
        await contributor.ExecAsync($"REQUEST SUBSCRIPTION CHANGE {id} SET EXPIRES NEVER JUSTIFICATION 'longer'");
        await contributor.ExecAsync($"WITHDRAW SUBSCRIPTION CHANGE {id}");
        await owner.FailsAsync($"APPROVE SUBSCRIPTION CHANGE {id}", "42704");
        await using (var consumer = await fixture.OpenInAsync(s.Contributor, s.Consumer))
            Assert.Equal(2, (await consumer.QueryAsync($"SELECT * FROM {s.AssetName}")).Count);
        var kinds = (await fixture.EventsAsync(s.Contributor)).Where(x => x.Subscription == id).Select(x => x.Event).ToList();
        Assert.Equal(["change_rejected", "changed", "approved", "requested"], kinds.Where(k => k != "change_requested" && k != "change_withdrawn").ToList());
    }

    /// <summary>The policy version of the user's newest read of <paramref name="asset"/>, once its audit record (written in batches) is there.</summary>
    private async Task<(string? Version, string Records)> PolicyVersionAsync(string user, string asset, int reads)
    {
        await using var carol = await fixture.OpenInAsync("carol");
        for (var attempt = 0; ; attempt++)
        {
            var rows = await carol.QueryAsync($"SHOW AUDIT USER {user} LIMIT 50");
            var kind = rows.IndexOf("kind");
            var statement = rows.IndexOf("statement");
            var queries = rows.Rows.Where(r => (string?)r[kind] == "query" && ((string?)r[statement])?.Contains(asset, StringComparison.Ordinal) == true).ToList();
            if (queries.Count >= reads) return ((string?)queries[0][rows.IndexOf("policy_version")],
                string.Join(" | ", queries.Select(q => $"{q[rows.IndexOf("id")]} {q[rows.IndexOf("statement")]} @ {q[rows.IndexOf("policy_version")]}")));
            Assert.True(attempt < 100, $"{user}'s read {reads} was not audited within 10 s");
            await Task.Delay(100);
        }
    }
}
