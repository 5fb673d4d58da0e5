using System.Text.Json;
using DataMesh.Gateway.Tests.Admin;
using DataMesh.Gateway.Tests.Clients;
using DataMesh.Gateway.Tests.Infrastructure;
using Npgsql;

namespace DataMesh.Gateway.Tests.Lifecycle;

/// <summary>
/// LISTEN datamesh_subscriptions (members of the consumer project) and datamesh_requests (owners of the asset's project):
/// NotificationResponse messages to open sessions, from the catalog's event table, for the events that concern the
/// caller only; delivered to Npgsql, psql and psycopg2 as they are.
/// </summary>
[Collection(AdminCollection.Name)]
public sealed class NotificationTests(AdminGatewayFixture fixture)
{
    [Fact]
    public async Task Owners_hear_of_requests_and_no_one_else_does()
    {
        var s = await Scenario.CreateAsync(fixture);
        await using var owner = await fixture.OpenInAsync(s.Owner);
        await using var producerViewer = await fixture.OpenInAsync(s.ProducerViewer);
        await using var outsider = await fixture.OpenInAsync(s.Outsider);
        var heard = new Dictionary<NpgsqlConnection, List<NpgsqlNotificationEventArgs>> { [owner] = [], [producerViewer] = [], [outsider] = [] };
        foreach (var (connection, list) in heard)
        {
            connection.Notification += (_, e) => list.Add(e);
            await connection.ExecAsync("LISTEN datamesh_requests");
        }
        await outsider.ExecAsync("LISTEN datamesh_subscriptions");

        var id = await s.RequestAsync(fixture, "for the churn model");
        Assert.True(await owner.WaitAsync(TimeSpan.FromSeconds(15)), "the owner was not notified");
        var n = Assert.Single(heard[owner]);
        Assert.Equal("datamesh_requests", n.Channel);
        Assert.Equal(owner.ProcessID, n.PID);
        using var payload = JsonDocument.Parse(n.Payload);
        var p = payload.RootElement;
        Assert.Equal(("requested", id, s.AssetName, s.Consumer, s.Producer, s.Contributor, "for the churn model"),
            (p.GetProperty("event").GetString(), p.GetProperty("subscription").GetInt64(), p.GetProperty("asset").GetString(),
             p.GetProperty("consumer_project").GetString(), p.GetProperty("owner_project").GetString(), p.GetProperty("by").GetString(),
             p.GetProperty("detail").GetString()));

        // The others were handed nothing in the same pass; their next statements bring nothing either.
        await Task.Delay(300);
        await producerViewer.ExecAsync("SELECT 1");
        await outsider.ExecAsync("SELECT 1");
        Assert.Empty(heard[producerViewer]);
        Assert.Empty(heard[outsider]);

        // UNLISTEN stops it.
        await owner.ExecAsync("UNLISTEN datamesh_requests");
        await using (var contributor = await fixture.OpenInAsync(s.Contributor))
            await contributor.ExecAsync($"WITHDRAW SUBSCRIPTION REQUEST {id}"); // "withdrawn" asks owners to act: datamesh_requests
        await Task.Delay(300);
        await owner.ExecAsync("SELECT 1");
        Assert.Single(heard[owner]);
    }

    [Fact]
    public async Task Listen_knows_only_the_gateways_channels_and_notify_is_refused()
    {
        await using var carol = await fixture.OpenInAsync("carol");
        var e = await carol.FailsAsync("LISTEN my_channel", "0A000");
        Assert.Equal("channel \"my_channel\" is not one of the gateway's", e.MessageText);
        await carol.FailsAsync("NOTIFY datamesh_requests, 'x'", "0A000");
        await carol.FailsAsync("LISTEN", "42601");
        await carol.ExecAsync("LISTEN \"datamesh_subscriptions\"; UNLISTEN *; LISTEN DataMesh_Requests");
        Assert.Equal(1, (await carol.QueryAsync("SELECT 1 AS one")).Count); // the connection is still usable
    }

    [Fact]
    public async Task Psql_shows_the_notification_at_its_next_command()
    {
        var s = await Scenario.CreateAsync(fixture);
        var id = await s.RequestAsync(fixture);
        var psql = new InteractiveProcess(Psql.Path,
            [$"host=127.0.0.1 port={fixture.Port} user={s.Viewer} dbname=postgres sslmode=disable", "--no-psqlrc", "-X"],
            new Dictionary<string, string> { ["PGPASSWORD"] = s.Viewer, ["PGCONNECT_TIMEOUT"] = "10" });
        await using (psql)
        {
            await psql.WriteLineAsync("LISTEN datamesh_subscriptions;");
            await psql.WaitForAsync("LISTEN");
            var before = fixture.Host.Server.Notifications.Delivered;
            await using (var owner = await fixture.OpenInAsync(s.Owner)) await owner.ExecAsync($"APPROVE SUBSCRIPTION {id}");
            await WaitDeliveredAsync(before + 1);
            await psql.WriteLineAsync("SELECT 42 AS answer;");
            Assert.Equal(0, await psql.FinishAsync());
            var line = psql.StdOut.Split('\n').Single(l => l.StartsWith("Asynchronous notification", StringComparison.Ordinal));
            Assert.StartsWith("Asynchronous notification \"datamesh_subscriptions\" with payload \"{", line, StringComparison.Ordinal);
            Assert.Contains($"\"event\":\"approved\",\"subscription\":{id},", line, StringComparison.Ordinal);
            Assert.Matches("\" received from server process with PID [0-9]+\\.$", line);
            Assert.Contains("42", psql.StdOut);
        }
    }

    [Fact]
    public async Task Psycopg2_polls_the_notifications_of_an_idle_connection()
    {
        var s = await Scenario.CreateAsync(fixture);
        var id = await s.RequestAsync(fixture);
        var environment = new Dictionary<string, string>
        {
            ["DM_PORT"] = fixture.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["DM_USER"] = s.Contributor, ["DM_PASSWORD"] = s.Contributor, ["DM_DATABASE"] = "postgres", ["PYTHONDONTWRITEBYTECODE"] = "1",
        };
        var python = new InteractiveProcess(ClientProcess.Python, [Path.Combine(ClientProcess.Root, "python", "psycopg2_listen.py"), "datamesh_subscriptions", "2"],
            environment, Path.Combine(ClientProcess.Root, "python"));
        await using (python)
        {
            await python.WaitForAsync("listening");
            await using (var owner = await fixture.OpenInAsync(s.Owner))
            {
                await owner.ExecAsync($"APPROVE SUBSCRIPTION {id} EXPIRES IN INTERVAL '3 days'");
                await owner.ExecAsync($"REVOKE SUBSCRIPTION {id} COMMENT 'model retired'");
            }
            Assert.True(await python.FinishAsync() == 0, python.StdErr);
        }
        var facts = new ClientProcess.Result(0, python.StdOut, python.StdErr).Json();
        var got = facts.GetProperty("notifications").EnumerateArray().ToList();
        Assert.Equal(["approved", "revoked"], got.Select(g => g.GetProperty("payload").GetProperty("event").GetString()));
        Assert.All(got, g => Assert.Equal(("datamesh_subscriptions", id), (g.GetProperty("channel").GetString(), g.GetProperty("payload").GetProperty("subscription").GetInt64())));
        Assert.All(got, g => Assert.Equal(facts.GetProperty("backend_pid").GetInt32(), g.GetProperty("pid").GetInt32()));
        Assert.Equal("model retired", got[1].GetProperty("payload").GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Grants_about_to_expire_are_announced_once_to_both_sides()
    {
        var s = await Scenario.CreateAsync(fixture);
        var id = await s.RequestAsync(fixture);
        await using var owner = await fixture.OpenInAsync(s.Owner);
        await using var consumer = await fixture.OpenInAsync(s.Viewer);
        var ownerHeard = new List<string>();
        var consumerHeard = new List<string>();
        owner.Notification += (_, e) => ownerHeard.Add(e.Payload);
        consumer.Notification += (_, e) => consumerHeard.Add(e.Payload);
        await owner.ExecAsync("LISTEN datamesh_requests");
        await consumer.ExecAsync("LISTEN datamesh_subscriptions");
        await owner.ExecAsync($"APPROVE SUBSCRIPTION {id} EXPIRES IN INTERVAL '6 days'");
        Assert.True(await consumer.WaitAsync(TimeSpan.FromSeconds(15)));
        Assert.Contains("\"approved\"", Assert.Single(consumerHeard));

        // The watch's timer would find it within its interval; the test runs the same scan now.
        Assert.True(fixture.Host.Server.Expiry.Scan() >= 1);
        Assert.Equal(0, fixture.Host.Server.Expiry.Scan()); // once per expiry time
        Assert.True(await owner.WaitAsync(TimeSpan.FromSeconds(15)));
        if (consumerHeard.Count < 2) Assert.True(await consumer.WaitAsync(TimeSpan.FromSeconds(15)));
        using var toOwner = JsonDocument.Parse(Assert.Single(ownerHeard));
        Assert.Equal(("expiring", id), (toOwner.RootElement.GetProperty("event").GetString(), toOwner.RootElement.GetProperty("subscription").GetInt64()));
        Assert.StartsWith("expires at ", toOwner.RootElement.GetProperty("detail").GetString());
        Assert.Contains("\"expiring\"", consumerHeard[1]);
    }

    private async Task WaitDeliveredAsync(long count)
    {
        var until = DateTime.UtcNow.AddSeconds(15);
        while (fixture.Host.Server.Notifications.Delivered < count)
        {
            Assert.True(DateTime.UtcNow < until, "the hub did not deliver the notification");
            await Task.Delay(20);
        }
    }
}
