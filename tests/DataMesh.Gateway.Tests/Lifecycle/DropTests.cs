using DataMesh.Gateway.Tests.Admin;

namespace DataMesh.Gateway.Tests.Lifecycle;

/// <summary>
/// DROP ASSET / PROJECT / PROJECT PROFILE / BLUEPRINT / GLOSSARY TERM and DISASSOCIATE ACCOUNT: refused with 2BP01 (every
/// dependent in the DETAIL, the CASCADE form in the HINT) while anything depends on them; CASCADE revokes the dependent
/// subscriptions with an event their consumers are told about; all audited; only the right roles may drop.
/// </summary>
[Collection(AdminCollection.Name)]
public sealed class DropTests(AdminGatewayFixture fixture)
{
    [Fact]
    public async Task Dropping_an_asset_with_an_open_subscription_is_refused_with_its_dependents()
    {
        var s = await Scenario.CreateAsync(fixture);
        var id = await s.RequestAsync(fixture);
        await using var owner = await fixture.OpenInAsync(s.Owner);
        await owner.ExecAsync($"APPROVE SUBSCRIPTION {id}");

        var e = await owner.FailsAsync($"DROP ASSET {s.AssetName}", "2BP01");
        Assert.Equal($"cannot drop asset {s.AssetName} because other objects depend on it", e.MessageText);
        Assert.Equal($"subscription {id} of project {s.Consumer} (approved) depends on asset {s.AssetName}", e.Detail);
        Assert.Equal("Use DROP ASSET … CASCADE to drop the dependent objects too (their subscriptions are revoked).", e.Hint);
        // RESTRICT is the default spelled out: the same refusal.
        await owner.FailsAsync($"DROP ASSET {s.AssetName} RESTRICT", "2BP01");

        // Nothing changed: the consumer still reads, the grant is still approved, the refusal is audited.
        await using (var consumer = await fixture.OpenInAsync(s.Contributor, s.Consumer))
            Assert.Equal(2, (await consumer.QueryAsync($"SELECT * FROM {s.AssetName}")).Count);
        Assert.Equal("approved", await s.StatusAsync(fixture, id));
        var audit = await fixture.LastAuditAsync(s.Owner, "DROP ASSET");
        Assert.Equal(("error", "2BP01"), ((string?)audit["outcome"], (string?)audit["sqlstate"]));
    }

    [Fact]
    public async Task Cascade_revokes_the_subscriptions_and_tells_their_consumers()
    {
        var s = await Scenario.CreateAsync(fixture);
        var approved = await s.RequestAsync(fixture);
        await using var owner = await fixture.OpenInAsync(s.Owner);
        await owner.ExecAsync($"APPROVE SUBSCRIPTION {approved}");
        await using var consumer = await fixture.OpenInAsync(s.Contributor, s.Consumer);
        Assert.Equal(2, (await consumer.QueryAsync($"SELECT * FROM {s.AssetName}")).Count);

        var notices = await owner.NoticesAsync(() => owner.ExecAsync($"DROP ASSET {s.AssetName} CASCADE"));
        var notice = Assert.Single(notices);
        Assert.Equal(("NOTICE", $"drop cascades to subscription {approved} of project {s.Consumer} (approved)"), (notice.Severity, notice.MessageText));

        // The open session's next statement no longer finds the asset; the owner no longer sees it either.
        await consumer.FailsAsync($"SELECT * FROM {s.AssetName}", "42P01");
        await owner.FailsAsync($"DESCRIBE ASSET {s.AssetName}", "42704");
        // Its consumer is told (on datamesh_subscriptions), with the reason.
        var told = (await fixture.EventsAsync(s.Viewer)).First(x => x.Subscription == approved);
        Assert.Equal(("revoked", $"asset {s.AssetName} was dropped", "datamesh_subscriptions"), (told.Event, told.Detail, told.Channel));
        var audit = await fixture.LastAuditAsync(s.Owner, "DROP ASSET");
        Assert.Equal("ok", audit["outcome"]);
        Assert.Contains(s.AssetName, (string?)audit["assets"]);
        // The name is free again; the new asset has a new id (one a DROP freed is never handed out again).
        await using var carol = await fixture.OpenInAsync("carol");
        await carol.ExecAsync($"CREATE ASSET {s.AssetName} FROM 'data/sales.parquet'");
        await owner.ExecAsync($"DROP ASSET {s.AssetName}"); // unpublished and without dependents: no CASCADE needed
    }

    [Fact]
    public async Task Only_owners_of_the_project_drop_its_assets()
    {
        var s = await Scenario.CreateAsync(fixture, publish: false);
        foreach (var user in new[] { s.ProducerContributor, s.ProducerViewer, s.Contributor, s.Outsider })
        {
            await using var c = await fixture.OpenInAsync(user);
            var e = await c.FailsAsync($"DROP ASSET {s.AssetName} CASCADE", "42501");
            Assert.StartsWith($"permission denied to drop assets of project \"{s.Producer}\"", e.MessageText);
        }
        // The owner drops the unpublished asset (nothing depends on it).
        await using var owner = await fixture.OpenInAsync(s.Owner);
        await owner.ExecAsync($"DROP ASSET {s.AssetName}");
        await owner.FailsAsync($"DROP ASSET {s.AssetName}", "42704");
    }

    [Fact]
    public async Task A_project_goes_only_with_cascade_and_never_under_open_sessions()
    {
        var s = await Scenario.CreateAsync(fixture);
        var id = await s.RequestAsync(fixture);
        await using var carol = await fixture.OpenInAsync("carol");
        var e = await carol.FailsAsync($"DROP PROJECT {s.Producer}", "2BP01");
        Assert.Equal($"cannot drop project {s.Producer} because other objects depend on it", e.MessageText);
        Assert.Equal(string.Join('\n',
            $"asset {s.AssetName} depends on project {s.Producer}",
            $"subscription {id} of project {s.Consumer} (pending) depends on asset {s.AssetName}"), e.Detail);

        await using (var viewer = await fixture.OpenInAsync(s.ProducerViewer, s.Producer))
        {
            var busy = await carol.FailsAsync($"DROP PROJECT {s.Producer} CASCADE", "55006");
            Assert.Equal($"project \"{s.Producer}\" is being accessed by other users", busy.MessageText);
            Assert.Equal("There is 1 other session using the project.", busy.Detail);
        }
        await using (var contributor = await fixture.OpenInAsync(s.ProducerContributor))
            await contributor.FailsAsync($"DROP PROJECT {s.Producer} CASCADE", "42501");

        var notices = await carol.NoticesAsync(() => carol.ExecAsync($"DROP PROJECT {s.Producer} CASCADE"));
        Assert.Equal("drop cascades to 2 other objects", Assert.Single(notices).MessageText);
        // The pending request was turned down, and its consumer told.
        var told = (await fixture.EventsAsync(s.Contributor)).First(x => x.Subscription == id);
        Assert.Equal(("rejected", $"asset {s.AssetName} was dropped"), (told.Event, told.Detail));
        await carol.FailsAsync($"DESCRIBE PROJECT {s.Producer}", "42704");
        var fresh = await fixture.OpenInAsync(s.Owner);
        await fresh.DisposeAsync();
    }

    [Fact]
    public async Task Profiles_blueprints_and_accounts_name_what_depends_on_them()
    {
        var s = await Scenario.CreateAsync(fixture, publish: false);
        await using var carol = await fixture.OpenInAsync("carol");
        var profile = await carol.FailsAsync($"DROP PROJECT PROFILE lite_{s.Suffix}", "2BP01");
        Assert.Equal($"cannot drop project profile lite_{s.Suffix} because other objects depend on it", profile.MessageText);
        Assert.Contains($"project {s.Producer} depends on project profile lite_{s.Suffix}", profile.Detail);
        Assert.Contains($"project {s.Consumer} depends on project profile lite_{s.Suffix}", profile.Detail);
        var account = await carol.FailsAsync($"DISASSOCIATE ACCOUNT {s.Account}", "2BP01");
        Assert.Contains($"project {s.Producer} depends on account {s.Account}", account.Detail);
        Assert.Contains($"asset {s.AssetName} depends on project {s.Producer}", account.Detail);

        var blueprint = AdminSql.Unique("bp");
        await carol.ExecAsync($"CREATE BLUEPRINT {blueprint} AS (query_limits)");
        await carol.ExecAsync($"CREATE PROJECT PROFILE p_{blueprint} BLUEPRINTS ({blueprint})");
        var e = await carol.FailsAsync($"DROP BLUEPRINT {blueprint}", "2BP01");
        Assert.Equal($"project profile p_{blueprint} depends on blueprint {blueprint}", e.Detail);
        await carol.FailsAsync("DROP BLUEPRINT query_limits", "55000"); // built in

        await using (var owner = await fixture.OpenInAsync(s.Owner))
        {
            await owner.FailsAsync($"DROP BLUEPRINT {blueprint}", "42501");
            await owner.FailsAsync($"DROP PROJECT PROFILE lite_{s.Suffix}", "42501");
            await owner.FailsAsync($"DISASSOCIATE ACCOUNT {s.Account}", "42501");
        }
        await carol.ExecAsync($"DROP BLUEPRINT {blueprint} CASCADE");
        await carol.FailsAsync($"DROP PROJECT PROFILE p_{blueprint}", "42704");
        await carol.ExecAsync($"DISASSOCIATE ACCOUNT {s.Account} CASCADE");
        await carol.FailsAsync($"DESCRIBE PROJECT {s.Consumer}", "42704");
        await carol.ExecAsync($"DROP PROJECT PROFILE lite_{s.Suffix}"); // its projects went with the account
        Assert.Equal("ok", (await fixture.LastAuditAsync("carol", "DISASSOCIATE ACCOUNT"))["outcome"]);
    }

    [Fact]
    public async Task A_glossary_term_in_use_is_dropped_only_with_cascade()
    {
        var s = await Scenario.CreateAsync(fixture, publish: false);
        var term = AdminSql.Unique("Term");
        await using var carol = await fixture.OpenInAsync("carol");
        await carol.ExecAsync($"CREATE GLOSSARY TERM '{term}'");
        await carol.ExecAsync($"CREATE GLOSSARY TERM '{term}_child' PARENT '{term}'");
        await carol.ExecAsync($"ALTER ASSET {s.AssetName} SET TERMS ('{term}')");
        var e = await carol.FailsAsync($"DROP GLOSSARY TERM '{term}'", "2BP01");
        Assert.Equal(string.Join('\n',
            $"glossary term '{term}_child' depends on glossary term '{term}' (its parent)",
            $"asset {s.AssetName} depends on glossary term '{term}'"), e.Detail);
        await carol.ExecAsync($"DROP GLOSSARY TERM '{term}' CASCADE");
        var described = await carol.QueryAsync($"DESCRIBE ASSET {s.AssetName}");
        Assert.DoesNotContain(described.Rows, r => r.Any(v => v is string t && t.Contains(term, StringComparison.OrdinalIgnoreCase)));
    }
}
