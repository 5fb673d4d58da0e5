using DataMesh.Gateway.Tests.Admin;

namespace DataMesh.Gateway.Tests.Lifecycle;

/// <summary>
/// ALTER … RENAME TO: grants follow the asset (subscriptions refer to it by id), consumers are told the new name, the old
/// name stops resolving at the next statement, and a project is not renamed under its open sessions.
/// </summary>
[Collection(AdminCollection.Name)]
public sealed class RenameTests(AdminGatewayFixture fixture)
{
    [Fact]
    public async Task A_renamed_asset_keeps_its_grants_and_its_consumers_are_told()
    {
        var s = await Scenario.CreateAsync(fixture);
        var id = await s.RequestAsync(fixture);
        await using var owner = await fixture.OpenInAsync(s.Owner);
        await owner.ExecAsync($"APPROVE SUBSCRIPTION {id} WITH ROW FILTER (region = 'Asia')");
        await using var consumer = await fixture.OpenInAsync(s.Contributor, s.Consumer);
        Assert.Equal(1, (await consumer.QueryAsync($"SELECT * FROM {s.AssetName}")).Count);

        await using (var contributor = await fixture.OpenInAsync(s.ProducerContributor))
            await contributor.FailsAsync($"ALTER ASSET {s.AssetName} RENAME TO takings", "42501");
        await owner.ExecAsync($"ALTER ASSET {s.AssetName} RENAME TO takings");

        await consumer.FailsAsync($"SELECT * FROM {s.AssetName}", "42P01");
        var read = await consumer.QueryAsync($"SELECT * FROM {s.Producer}.takings");
        Assert.Equal("Asia", Assert.Single(read.Rows)[0]); // the same grant, its row filter included
        var told = (await fixture.EventsAsync(s.Contributor)).First(x => x.Subscription == id);
        Assert.Equal(("renamed", $"asset {s.AssetName} is now {s.Producer}.takings"), (told.Event, told.Detail));
        Assert.Equal("approved", await s.StatusAsync(fixture, id));

        // A name in use is refused; a second asset cannot take the old one's place silently either.
        await using var carol = await fixture.OpenInAsync("carol");
        await carol.ExecAsync($"CREATE ASSET {s.AssetName} FROM 'data/sales.parquet'");
        await owner.FailsAsync($"ALTER ASSET {s.AssetName} RENAME TO takings", "42710");
    }

    [Fact]
    public async Task A_project_is_renamed_only_without_open_sessions()
    {
        var s = await Scenario.CreateAsync(fixture);
        var id = await s.RequestAsync(fixture);
        await using (var owner = await fixture.OpenInAsync(s.Owner)) await owner.ExecAsync($"APPROVE SUBSCRIPTION {id}");
        await using var carol = await fixture.OpenInAsync("carol");
        var renamed = s.Consumer + "_r";
        await using (var consumer = await fixture.OpenInAsync(s.Viewer, s.Consumer))
        {
            var busy = await carol.FailsAsync($"ALTER PROJECT {s.Consumer} RENAME TO {renamed}", "55006");
            Assert.Equal($"project \"{s.Consumer}\" is being accessed by other users", busy.MessageText);
        }
        await using (var viewer = await fixture.OpenInAsync(s.Viewer))
            await viewer.FailsAsync($"ALTER PROJECT {s.Consumer} RENAME TO {renamed}", "42501");
        await carol.ExecAsync($"ALTER PROJECT {s.Consumer} RENAME TO {renamed}");

        // Members, subscriptions and grants follow the project.
        await using var session = await fixture.OpenInAsync(s.Contributor, renamed);
        Assert.Equal(2, (await session.QueryAsync($"SELECT * FROM {s.AssetName}")).Count);
        var subscriptions = await carol.QueryAsync($"SHOW SUBSCRIPTIONS FOR PROJECT {renamed}");
        Assert.Equal("approved", subscriptions.Single("subscription", id)["status"]);
        await carol.FailsAsync($"DESCRIBE PROJECT {s.Consumer}", "42704");
        Assert.Equal("ok", (await fixture.LastAuditAsync("carol", "ALTER PROJECT"))["outcome"]);
    }
}
