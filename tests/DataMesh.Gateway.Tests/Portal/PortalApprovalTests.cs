using System.Net;
using System.Text.RegularExpressions;
using DataMesh.Gateway.Tests.Infrastructure;

namespace DataMesh.Gateway.Tests.Portal;

/// <summary>
/// The approval form runs APPROVE SUBSCRIPTION itself: its errors are the command's, its preview decides nothing and
/// is audited, no field can smuggle a clause or a statement in, and only owners decide.
/// </summary>
[Collection(PortalCollection.Name)]
public sealed partial class PortalApprovalTests(PortalFixture fixture)
{
    private async Task<string> PendingRequestAsync()
    {
        var asset = $"marketing.appr_{Guid.NewGuid():N}"[..28];
        await fixture.SqlAsync("alice", "postgres", $"CREATE ASSET {asset} FROM 'campaigns/*.parquet'");
        await fixture.SqlAsync("alice", "postgres", $"PUBLISH ASSET {asset}");
        return (await fixture.SqlAsync("bob", "postgres", $"REQUEST SUBSCRIPTION TO {asset} FOR PROJECT ml_research JUSTIFICATION 'tests'"))[0][0]!;
    }

    private static (string, string)[] Form(string? filter = null, string mask = "none", string column = "name", params (string, string)[] more) =>
        [("Form.RowFilter", filter ?? ""), ("Form.ColumnMode", "all"), ("Form.Masks[0].Column", column), ("Form.Masks[0].Kind", mask),
         ("Form.Masks[0].KeepFirst", "2"), ("Form.Masks[0].KeepLast", "0"), ("Form.ExpiryMode", "none"), .. more];

    private async Task<string> StatusAsync(string id) =>
        (await fixture.SqlAsync("bob", "postgres", "SHOW SUBSCRIPTIONS FOR PROJECT ml_research")).Single(r => r[0] == id)[2]!;

    [Theory]
    [InlineData("country = 'DE'", "none", "name", "")]
    [InlineData("random() < 0.5", "none", "name", "")]
    [InlineData("channel = ", "none", "name", "")]
    [InlineData(null, "year", "name", " MASK COLUMNS (\"name\" USING YEAR)")]
    [InlineData(null, "partial", "budget", " MASK COLUMNS (\"budget\" USING PARTIAL(2, 0))")]
    public async Task Preview_and_approval_fail_with_the_commands_own_error(string? filter, string mask, string column, string maskSql)
    {
        var id = await PendingRequestAsync();
        var sql = $"APPROVE SUBSCRIPTION {id}{maskSql}" + (filter is null ? "" : $" WITH ROW FILTER ({filter}\n)");
        Npgsql.PostgresException? expected = null;
        try
        {
            await fixture.SqlAsync("alice", "postgres", sql);
        }
        catch (Npgsql.PostgresException e)
        {
            expected = e;
        }
        Assert.NotNull(expected);

        using var alice = new PortalClient(fixture.Portal);
        await alice.SignInAsync("alice");
        foreach (var handler in new[] { "Preview", "Approve" })
        {
            var page = await alice.PostFromPageAsync($"/requests/{id}", $"/requests/{id}?handler={handler}", Form(filter, mask, column));
            var html = WebUtility.HtmlDecode(await page.Content.ReadAsStringAsync());
            Assert.Contains($"<span class=\"sqlstate\">{expected.SqlState}</span>", html);
            Assert.Contains($"<span class=\"message\">{expected.MessageText}</span>", html);
            Assert.DoesNotContain("id=\"preview-count\"", html);
        }
        Assert.Equal("pending", await StatusAsync(id));
    }

    [Theory]
    [InlineData("true) INCLUDE COLUMNS (campaign_id", "the row filter's parentheses do not balance")]
    [InlineData("true; DROP TABLE x", "it cannot contain \";\"")]
    [InlineData("(channel = 'email'", "the row filter's parentheses do not balance")]
    public async Task No_field_can_add_a_clause_or_a_statement(string filter, string message)
    {
        var id = await PendingRequestAsync();
        using var alice = new PortalClient(fixture.Portal);
        await alice.SignInAsync("alice");
        foreach (var handler in new[] { "Preview", "Approve" })
        {
            var html = WebUtility.HtmlDecode(await (await alice.PostFromPageAsync($"/requests/{id}", $"/requests/{id}?handler={handler}", Form(filter))).Content.ReadAsStringAsync());
            Assert.Contains("<span class=\"sqlstate\">42601</span>", html);
            Assert.Contains(message, html);
        }
        // A quote in the comment and a trailing line comment in the filter stay what they are: data, and a comment.
        var ok = await alice.PostFromPageAsync($"/requests/{id}", $"/requests/{id}?handler=Approve",
            Form("channel = 'email' -- only e-mail", more: ("Form.Comment", "it's fine') COMMENT ('x")));
        Assert.Equal(HttpStatusCode.Redirect, ok.StatusCode);
        var stored = (await fixture.SqlAsync("bob", "postgres", "SHOW SUBSCRIPTIONS FOR PROJECT ml_research")).Single(r => r[0] == id);
        Assert.Equal("approved", stored[2]);
        Assert.Equal("channel = 'email'", stored[6]);
        Assert.Equal("it's fine') COMMENT ('x", stored[10]);
    }

    [Fact]
    public async Task A_preview_decides_nothing_and_is_audited_as_a_read_of_the_owner()
    {
        var id = await PendingRequestAsync();
        using var alice = new PortalClient(fixture.Portal);
        await alice.SignInAsync("alice");
        var html = WebUtility.HtmlDecode(await (await alice.PostFromPageAsync($"/requests/{id}", $"/requests/{id}?handler=Preview", Form("channel = 'tv'", "redact"))).Content.ReadAsStringAsync());
        var count = PreviewCount().Match(html).Groups[1].Value;
        Assert.Equal("pending", await StatusAsync(id));
        await Task.Delay(1000); // query records are written in batches
        var audit = await fixture.SqlAsync("alice", "postgres", "SHOW AUDIT USER alice LIMIT 20");
        var preview = Assert.Single(audit, r => r[7] == "PREVIEW" && r[13] == id);
        Assert.Equal(new string?[] { "query", "ok", "marketing", count }, new[] { preview[6], preview[8], preview[5], preview[15] });
        Assert.StartsWith($"preview of: APPROVE SUBSCRIPTION {id} MASK COLUMNS (\"name\" USING REDACT) WITH ROW FILTER (channel = 'tv'", preview[11]);
    }

    [Fact]
    public async Task Only_owners_decide_even_with_a_forged_form()
    {
        var id = await PendingRequestAsync();
        using var bob = new PortalClient(fixture.Portal); // a member of the consumer project: sees the request, may not decide
        await bob.SignInAsync("bob");
        var page = await (await bob.GetAsync($"/requests/{id}")).Content.ReadAsStringAsync();
        Assert.DoesNotContain("approve-form", page);
        foreach (var handler in new[] { "Approve", "Preview", "Reject" })
        {
            var html = WebUtility.HtmlDecode(await (await bob.PostFromPageAsync("/requests", $"/requests/{id}?handler={handler}", Form())).Content.ReadAsStringAsync());
            Assert.Contains("<span class=\"sqlstate\">42501</span>", html);
        }
        Assert.Equal("pending", await StatusAsync(id));
        using var dave = new PortalClient(fixture.Portal); // sees nothing of it at all
        await dave.SignInAsync("dave");
        Assert.Equal(HttpStatusCode.NotFound, (await dave.GetAsync($"/requests/{id}")).StatusCode);
    }

    [Fact]
    public async Task Rejecting_stores_the_comment_and_approving_runs_the_statement_the_preview_showed()
    {
        var rejected = await PendingRequestAsync();
        using var alice = new PortalClient(fixture.Portal);
        await alice.SignInAsync("alice");
        await alice.PostFromPageAsync($"/requests/{rejected}", $"/requests/{rejected}?handler=Reject", ("RejectComment", "use the aggregated asset"));
        var row = (await fixture.SqlAsync("bob", "postgres", "SHOW SUBSCRIPTIONS FOR PROJECT ml_research")).Single(r => r[0] == rejected);
        Assert.Equal(new string?[] { "rejected", "use the aggregated asset" }, new[] { row[2], row[10] });

        var approved = await PendingRequestAsync();
        var form = Form("budget > 1000", "hash", more: [("Form.ExpiryMode", "in"), ("Form.ExpiresIn", "30 days")]);
        form = form.Where(f => f.Item1 != "Form.ExpiryMode" || f.Item2 == "in").ToArray();
        var preview = WebUtility.HtmlDecode(await (await alice.PostFromPageAsync($"/requests/{approved}", $"/requests/{approved}?handler=Preview", form)).Content.ReadAsStringAsync());
        var statement = Statement().Match(preview).Groups[1].Value;
        Assert.Equal(HttpStatusCode.Redirect, (await alice.PostFromPageAsync($"/requests/{approved}", $"/requests/{approved}?handler=Approve", form)).StatusCode);
        var audit = await fixture.SqlAsync("alice", "postgres", "SHOW AUDIT USER alice LIMIT 20");
        var record = Assert.Single(audit, r => r[7] == "APPROVE SUBSCRIPTION" && r[8] == "ok" && r[13] == approved);
        Assert.Equal(statement, record[11]);
        Assert.Equal($"APPROVE SUBSCRIPTION {approved} MASK COLUMNS (\"name\" USING HASH) EXPIRES IN INTERVAL '30 days' WITH ROW FILTER (budget > 1000\n)", statement);
    }

    [GeneratedRegex("id=\"preview-count\">([0-9]+)<")]
    private static partial Regex PreviewCount();

    [GeneratedRegex("<code id=\"preview-statement\">([^<]*)</code>")]
    private static partial Regex Statement();
}
