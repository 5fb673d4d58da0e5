using Npgsql;

namespace DataMesh.Gateway.Tests.Admin;

/// <summary>Concurrent decisions on one request: exactly one wins, the other gets 55000, and the state matches the winner.</summary>
[Collection(AdminCollection.Name)]
public sealed class ConcurrencyTests(AdminGatewayFixture fixture)
{
    private static async Task<(bool Ok, PostgresException? Error)> Try(NpgsqlConnection connection, string sql, Barrier barrier)
    {
        await Task.Yield();
        barrier.SignalAndWait(TimeSpan.FromSeconds(10));
        try
        {
            await connection.QueryAsync(sql);
            return (true, null);
        }
        catch (PostgresException e)
        {
            return (false, e);
        }
    }

    [Fact]
    public async Task Approve_and_reject_race_has_exactly_one_winner()
    {
        var s = await Scenario.CreateAsync(fixture);
        await using var owner = await fixture.OpenAsync(s.Owner);
        await using var carol = await fixture.OpenAsync("carol");
        var approvals = 0;
        var rejections = 0;
        for (var round = 0; round < 10; round++)
        {
            var id = await s.RequestAsync(fixture, $"round {round}");
            using var barrier = new Barrier(2);
            var approve = Task.Run(() => Try(owner, $"APPROVE SUBSCRIPTION {id} COMMENT 'approved in round {round}'", barrier));
            var reject = Task.Run(() => Try(carol, $"REJECT SUBSCRIPTION {id} COMMENT 'rejected in round {round}'", barrier));
            var results = await Task.WhenAll(approve, reject);

            Assert.True(results.Count(r => r.Ok) == 1, $"round {round}: {results.Count(r => r.Ok)} winners; errors: {string.Join("; ", results.Select(r => r.Error?.MessageText))}");
            var loser = results.Single(r => !r.Ok).Error!;
            Assert.Equal("55000", loser.SqlState);
            var approvedWon = results[0].Ok;
            Assert.Contains(approvedWon ? "already approved" : "already rejected", loser.MessageText);

            var sub = (await carol.QueryAsync($"SHOW SUBSCRIPTIONS FOR PROJECT {s.Consumer}")).Single("subscription", id);
            Assert.Equal(approvedWon ? "approved" : "rejected", sub["status"]);
            Assert.Equal(approvedWon ? s.Owner : "carol", sub["decided_by"]);
            Assert.Equal(approvedWon ? $"approved in round {round}" : $"rejected in round {round}", sub["comment"]);
            if (approvedWon)
            {
                approvals++;
                await owner.ExecAsync($"REVOKE SUBSCRIPTION {id}"); // so the next round can request again
            }
            else rejections++;
        }
        Assert.Equal(10, approvals + rejections);

        // Both sessions are still usable and the audit log shows one ok and one error per round.
        await using var audit = await fixture.OpenAsync("carol");
        var records = await audit.QueryAsync("SHOW AUDIT LIMIT 200");
        var decisions = records.Rows.Where(r => r[records.IndexOf("statement")] is string st && st.Contains("in round ") && (st.StartsWith("APPROVE") || st.StartsWith("REJECT"))
            && (r[records.IndexOf("user")] is "carol" || Equals(r[records.IndexOf("user")], s.Owner))).ToList();
        Assert.Equal(20, decisions.Count);
        Assert.Equal(10, decisions.Count(r => (string?)r[records.IndexOf("outcome")] == "ok"));
    }

    [Fact]
    public async Task Two_approvals_race_has_exactly_one_winner()
    {
        var s = await Scenario.CreateAsync(fixture);
        await using var first = await fixture.OpenAsync(s.Owner);
        await using var second = await fixture.OpenAsync(s.Owner);
        await using var carol = await fixture.OpenAsync("carol");
        for (var round = 0; round < 5; round++)
        {
            var id = await s.RequestAsync(fixture);
            using var barrier = new Barrier(2);
            var results = await Task.WhenAll(
                Task.Run(() => Try(first, $"APPROVE SUBSCRIPTION {id} COMMENT 'first'", barrier)),
                Task.Run(() => Try(second, $"APPROVE SUBSCRIPTION {id} WITH ROW FILTER (region = 'Asia') COMMENT 'second'", barrier)));
            Assert.Equal(1, results.Count(r => r.Ok));
            Assert.Equal("55000", results.Single(r => !r.Ok).Error!.SqlState);
            var sub = (await carol.QueryAsync($"SHOW SUBSCRIPTIONS FOR PROJECT {s.Consumer}")).Single("subscription", id);
            Assert.Equal("approved", sub["status"]);
            Assert.Equal(results[0].Ok ? "first" : "second", sub["comment"]);
            Assert.Equal(results[0].Ok ? null : "region = 'Asia'", sub["row_filter"]);
            await first.ExecAsync($"REVOKE SUBSCRIPTION {id}");
        }
    }

    [Fact]
    public async Task Concurrent_requests_create_one_open_subscription()
    {
        var s = await Scenario.CreateAsync(fixture);
        await using var a = await fixture.OpenAsync(s.Contributor);
        await using var b = await fixture.OpenAsync(s.Contributor);
        using var barrier = new Barrier(2);
        var sql = $"REQUEST SUBSCRIPTION TO {s.AssetName} FOR PROJECT {s.Consumer} JUSTIFICATION 'race'";
        var results = await Task.WhenAll(Task.Run(() => Try(a, sql, barrier)), Task.Run(() => Try(b, sql, barrier)));
        Assert.Equal(1, results.Count(r => r.Ok));
        Assert.Equal("42710", results.Single(r => !r.Ok).Error!.SqlState);
        await using var carol = await fixture.OpenAsync("carol");
        Assert.Single((await carol.QueryAsync($"SHOW SUBSCRIPTIONS FOR PROJECT {s.Consumer}")).Rows);
    }
}
