using System.Net;
using System.Text.Json;
using DataMesh.Gateway.Admin.Webhooks;
using DataMesh.Gateway.Configuration;
using DataMesh.Gateway.Tests.Admin;
using DataMesh.Gateway.Tests.Infrastructure;
using Npgsql;

namespace DataMesh.Gateway.Tests.Lifecycle;

/// <summary>
/// Project webhooks against a real HTTP listener: events POSTed as JSON, retried with backoff, never holding up the
/// command that caused them, audited; and the address rule (docs/SECURITY.md, "Webhooks") tried from every side.
/// </summary>
public sealed class WebhookTests
{
    private static GatewayHost Start(bool allowPrivate, int maxAttempts = 3) => GatewayFixture.StartDemoHost(s =>
    {
        s.DataDir = Path.Combine(Path.GetTempPath(), "datamesh-tests", "webhooks-" + Guid.NewGuid().ToString("N"));
        s.Webhooks = new WebhookSettings { AllowHttp = true, AllowPrivateTargets = allowPrivate, MaxAttempts = maxAttempts, RetryBaseSeconds = 0.2, PollSeconds = 0.5 };
    });

    private static async Task<NpgsqlConnection> OpenAsync(GatewayHost host, string user)
    {
        var c = new NpgsqlConnection($"Host=127.0.0.1;Port={host.EndPoint.Port};Username={user};Password={user};Database=postgres;SSL Mode=Disable;Pooling=false;Timeout=15;Command Timeout=60");
        await c.OpenAsync();
        return c;
    }

    private static async Task<List<(string Statement, string Outcome, string? SqlState, string? Message)>> DeliveriesAsync(GatewayHost host)
    {
        await using var carol = await OpenAsync(host, "carol");
        var rows = await carol.QueryAsync("SHOW AUDIT USER datamesh LIMIT 100");
        return rows.Rows.Where(r => (string?)r[rows.IndexOf("command")] == "WEBHOOK DELIVERY")
            .Select(r => ((string)r[rows.IndexOf("statement")]!, (string)r[rows.IndexOf("outcome")]!, (string?)r[rows.IndexOf("sqlstate")], (string?)r[rows.IndexOf("message")]))
            .ToList();
    }

    private static async Task<List<(string, string, string?, string?)>> WaitForDeliveriesAsync(GatewayHost host, int count)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        while (true)
        {
            var d = await DeliveriesAsync(host);
            if (d.Count >= count) return d;
            await Task.Delay(100, cts.Token);
        }
    }

    [Fact]
    public async Task Events_are_posted_as_json_retried_with_backoff_and_the_command_never_waits()
    {
        using var listener = new WebhookListener();
        var release = new TaskCompletionSource();
        listener.Hold = release.Task;                                  // the endpoint hangs until the test lets it answer
        listener.Answer = n => n <= 2 ? 503 : 204;                     // two failures, then success
        await using var host = Start(allowPrivate: true);
        await using var alice = await OpenAsync(host, "alice");
        var set = await alice.QueryAsync($"ALTER PROJECT marketing SET WEBHOOK '{listener.Url()}'");
        Assert.Equal(listener.Url(), set.Rows[0][set.IndexOf("webhook")]);

        await using var bob = await OpenAsync(host, "bob");
        var request = await bob.QueryAsync("REQUEST SUBSCRIPTION TO marketing.campaigns FOR PROJECT ml_research JUSTIFICATION 'webhook test'");
        var id = (long)request.Rows[0][0]!;
        // The command has answered; the webhook's first POST is still held by the endpoint: delivery is not on its path.
        await listener.FirstArrived.Task.WaitAsync(TimeSpan.FromMinutes(1));
        Assert.False(release.Task.IsCompleted);
        Assert.Single(await bob.QueryAsync("SELECT 1").ContinueWith(t => t.Result.Rows));   // the session goes on meanwhile
        release.SetResult();

        await listener.WaitForAsync(3);
        var attempts = listener.Requests.ToList();
        Assert.Equal(3, attempts.Count);
        Assert.All(attempts, a =>
        {
            Assert.Equal("POST", a.Method);
            Assert.Equal("/hook/marketing?token=s3cret", a.Path);
            Assert.StartsWith("application/json", a.ContentType, StringComparison.Ordinal);
            Assert.Equal("requested", a.Event);
            Assert.Equal(attempts[0].Delivery, a.Delivery);            // one event, three attempts: the same delivery id
        });
        using var payload = JsonDocument.Parse(attempts[0].Body);
        Assert.Equal("requested", payload.RootElement.GetProperty("event").GetString());
        Assert.Equal(id, payload.RootElement.GetProperty("subscription").GetInt64());
        Assert.Equal("marketing.campaigns", payload.RootElement.GetProperty("asset").GetString());
        Assert.Equal("ml_research", payload.RootElement.GetProperty("consumer_project").GetString());
        Assert.Equal("bob", payload.RootElement.GetProperty("by").GetString());

        var delivery = Assert.Single(await WaitForDeliveriesAsync(host, 1));
        Assert.Equal(($"POST http://127.0.0.1:{listener.Port}/… event {attempts[0].Delivery} (requested)", "ok", null, "delivered: HTTP 204 (attempt 3)"), delivery);
        Assert.DoesNotContain("s3cret", delivery.Item1, StringComparison.Ordinal);   // the path's token stays out of the audit

        // Unset: the next event goes nowhere.
        await alice.QueryAsync("ALTER PROJECT marketing SET WEBHOOK NONE");
        await bob.QueryAsync($"WITHDRAW SUBSCRIPTION REQUEST {id}");
        await Task.Delay(1500);
        Assert.Equal(3, listener.Requests.Count);
    }

    [Fact]
    public async Task An_endpoint_that_keeps_failing_is_given_up_after_the_attempts_and_audited()
    {
        using var listener = new WebhookListener { Answer = _ => 500 };
        await using var host = Start(allowPrivate: true, maxAttempts: 3);
        await using var alice = await OpenAsync(host, "alice");
        await alice.QueryAsync($"ALTER PROJECT marketing SET WEBHOOK '{listener.Url()}'");
        await using var bob = await OpenAsync(host, "bob");
        await bob.QueryAsync("REQUEST SUBSCRIPTION TO marketing.campaigns FOR PROJECT ml_research JUSTIFICATION 'webhook test'");

        var delivery = Assert.Single(await WaitForDeliveriesAsync(host, 1));
        Assert.Equal(("error", "58030", "not delivered after 3 attempts: HTTP 500"), (delivery.Item2, delivery.Item3, delivery.Item4));
        Assert.Equal(3, listener.Requests.Count);
    }

    [Theory]
    [InlineData("http://127.0.0.1:{port}/hook", "127.0.0.1 is a loopback or private address")]
    [InlineData("http://[::1]:{port}/hook", "::1 is a loopback or private address")]
    [InlineData("http://[::ffff:127.0.0.1]:{port}/hook", "127.0.0.1 is a loopback or private address")]
    [InlineData("http://localhost:{port}/hook", "localhost is this machine")]
    [InlineData("http://10.1.2.3/hook", "10.1.2.3 is a loopback or private address")]
    [InlineData("http://192.168.0.1/hook", "192.168.0.1 is a loopback or private address")]
    [InlineData("http://169.254.169.254/latest/meta-data", "169.254.169.254 is link-local")]
    [InlineData("http://0.0.0.0:{port}/hook", "0.0.0.0 is link-local")]
    public async Task An_owner_cannot_point_a_webhook_at_the_gateways_own_network(string url, string reason)
    {
        using var listener = new WebhookListener();
        await using var host = Start(allowPrivate: false);
        await using var alice = await OpenAsync(host, "alice");
        var e = await Assert.ThrowsAsync<PostgresException>(() => alice.QueryAsync($"ALTER PROJECT marketing SET WEBHOOK '{url.Replace("{port}", listener.Port.ToString(System.Globalization.CultureInfo.InvariantCulture))}'"));
        Assert.Equal("22023", e.SqlState);
        Assert.Contains(reason, e.MessageText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_name_that_resolves_inside_is_refused_at_delivery_and_reaches_the_listener_only_where_the_operator_allows_it()
    {
        var name = await LoopbackNameAsync();
        foreach (var allowPrivate in new[] { false, true })
        {
            using var listener = new WebhookListener(host: name);
            await using var host = Start(allowPrivate);
            await using var alice = await OpenAsync(host, "alice");
            await alice.QueryAsync($"ALTER PROJECT marketing SET WEBHOOK '{listener.Url(name)}'");   // a name: judged when resolved
            await using var bob = await OpenAsync(host, "bob");
            await bob.QueryAsync("REQUEST SUBSCRIPTION TO marketing.campaigns FOR PROJECT ml_research JUSTIFICATION 'ssrf'");

            var delivery = Assert.Single(await WaitForDeliveriesAsync(host, 1));
            if (allowPrivate)
            {
                // The probe fires: the same address, allowed, is reached. So the refusal below is the rule's doing.
                Assert.True(delivery.Item2 == "ok" && delivery.Item3 is null, delivery.Item4);
                Assert.Single(listener.Requests);
            }
            else
            {
                Assert.Equal(("error", "42501"), (delivery.Item2, delivery.Item3));
                Assert.StartsWith($"refused: {name}: ", delivery.Item4, StringComparison.Ordinal);
                Assert.Contains("is a loopback or private address", delivery.Item4, StringComparison.Ordinal);
                Assert.Empty(listener.Requests);
            }
        }
    }

    /// <summary>
    /// A name that resolves to IPv4 loopback only, and is neither "localhost" (SET WEBHOOK refuses it by name) nor the
    /// machine's own name (.NET resolves that to every interface address): tests/clients/install.sh puts it in
    /// /etc/hosts.
    /// </summary>
    private static async Task<string> LoopbackNameAsync()
    {
        const string Name = "datamesh-webhook-test";
        var addresses = await Dns.GetHostAddressesAsync(Name);
        Assert.True(addresses.Length > 0 && addresses.All(a => IPAddress.IsLoopback(a) && a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork),
            $"{Name} must resolve to 127.0.0.1 only (tests/clients/install.sh adds it to /etc/hosts); it resolves to [{string.Join(", ", addresses.Select(a => a.ToString()))}]");
        return Name;
    }

    [Fact]
    public async Task Only_owners_set_a_webhook_and_only_https_unless_the_operator_allows_http()
    {
        await using var host = GatewayFixture.StartDemoHost(s =>
            s.DataDir = Path.Combine(Path.GetTempPath(), "datamesh-tests", "webhooks-" + Guid.NewGuid().ToString("N")));
        await using var bob = await OpenAsync(host, "bob");
        var denied = await Assert.ThrowsAsync<PostgresException>(() => bob.QueryAsync("ALTER PROJECT marketing SET WEBHOOK 'https://hooks.example.com/x'"));
        Assert.Equal("42501", denied.SqlState);
        await using var alice = await OpenAsync(host, "alice");
        var http = await Assert.ThrowsAsync<PostgresException>(() => alice.QueryAsync("ALTER PROJECT marketing SET WEBHOOK 'http://hooks.example.com/x'"));
        Assert.Equal(("22023", "a webhook must use https, not http"), (http.SqlState, http.MessageText));
        var user = await Assert.ThrowsAsync<PostgresException>(() => alice.QueryAsync("ALTER PROJECT marketing SET WEBHOOK 'https://u:p@hooks.example.com/x'"));
        Assert.Equal("22023", user.SqlState);
        var ok = await alice.QueryAsync("ALTER PROJECT marketing SET WEBHOOK 'https://hooks.example.com/x'");
        Assert.Equal("https://hooks.example.com/x", ok.Rows[0][ok.IndexOf("webhook")]);
    }

    [Theory]
    [InlineData("93.184.216.34", WebhookTargets.Verdict.Allowed)]
    [InlineData("2606:4700::1111", WebhookTargets.Verdict.Allowed)]
    [InlineData("127.0.0.2", WebhookTargets.Verdict.Private)]
    [InlineData("172.31.255.255", WebhookTargets.Verdict.Private)]
    [InlineData("172.32.0.1", WebhookTargets.Verdict.Allowed)]
    [InlineData("100.64.0.1", WebhookTargets.Verdict.Private)]
    [InlineData("fd00::1", WebhookTargets.Verdict.Private)]
    [InlineData("::ffff:10.0.0.1", WebhookTargets.Verdict.Private)]
    [InlineData("169.254.169.254", WebhookTargets.Verdict.Never)]
    [InlineData("fe80::1", WebhookTargets.Verdict.Never)]
    [InlineData("::ffff:169.254.169.254", WebhookTargets.Verdict.Never)]
    [InlineData("64:ff9b::a9fe:a9fe", WebhookTargets.Verdict.Never)]     // NAT64 of 169.254.169.254
    [InlineData("2002:a9fe:a9fe::1", WebhookTargets.Verdict.Never)]      // 6to4 of 169.254.169.254
    [InlineData("::a9fe:a9fe", WebhookTargets.Verdict.Never)]            // IPv4-compatible
    [InlineData("224.0.0.1", WebhookTargets.Verdict.Never)]
    [InlineData("255.255.255.255", WebhookTargets.Verdict.Never)]
    [InlineData("::", WebhookTargets.Verdict.Never)]
    public void The_address_rule_classifies_every_range(string address, WebhookTargets.Verdict expected) =>
        Assert.Equal(expected, WebhookTargets.Classify(IPAddress.Parse(address)));
}
