using System.Globalization;
using DataMesh.Gateway.Tests.Infrastructure;
using Npgsql;

namespace DataMesh.Gateway.Tests.Governance;

/// <summary>
/// An isolated consumer for tests that change grants (revocation, expiry, masks, per-project caching): a fresh project
/// in acct_research and a fresh contributor, so the shared demo grants never change under other tests. Names carry a
/// random suffix because the demo catalog persists for the whole test run.
/// </summary>
public sealed class GrantScenario
{
    private readonly GatewayFixture _gateway;

    private GrantScenario(GatewayFixture gateway, string project, string user)
    {
        _gateway = gateway;
        Project = project;
        User = user;
    }

    public string Project { get; }

    public string User { get; }

    public string Password => User + "_pw";

    /// <summary>carol creates the project and the user and adds the user as contributor.</summary>
    public static async Task<GrantScenario> CreateAsync(GatewayFixture gateway, string tag)
    {
        var n = tag + "_" + Guid.NewGuid().ToString("N")[..8];
        var scenario = new GrantScenario(gateway, "adv_" + n, "u_" + n);
        await AdminAsync(gateway, "carol", $"CREATE PROJECT {scenario.Project} ACCOUNT acct_research PROFILE sql_analytics");
        await AdminAsync(gateway, "carol", $"CREATE USER {scenario.User} PASSWORD '{scenario.Password}'");
        await AdminAsync(gateway, "carol", $"ADD MEMBER {scenario.User} TO PROJECT {scenario.Project} AS CONTRIBUTOR");
        return scenario;
    }

    /// <summary>The user requests a subscription; alice (owner of marketing) finds it among the requests and approves it
    /// with <paramref name="clauses"/> (ROW FILTER, EXCLUDE/INCLUDE, MASK, EXPIRES). Returns the subscription id.</summary>
    public async Task<long> SubscribeAsync(string asset, string clauses)
    {
        var requested = await AdminAsync(_gateway, User,
            $"REQUEST SUBSCRIPTION TO marketing.{asset} FOR PROJECT {Project} JUSTIFICATION 'adversarial test'", Password);
        var id = Convert.ToInt64(requested[0][0], CultureInfo.InvariantCulture);
        var pending = await AdminAsync(_gateway, "alice", "SHOW SUBSCRIPTION REQUESTS");
        Assert.Contains(pending, r => Convert.ToInt64(r[0], CultureInfo.InvariantCulture) == id && Equals(r[2], Project));
        await AdminAsync(_gateway, "alice", $"APPROVE SUBSCRIPTION {id} {clauses}");
        return id;
    }

    public Task RevokeAsync(long id) => AdminAsync(_gateway, "alice", $"REVOKE SUBSCRIPTION {id}");

    public Task<GovernedSession> OpenAsync() => GovernedSession.OpenAsync(_gateway, User, Project, Password);

    /// <summary>Runs an admin command as <paramref name="user"/> (from the postgres database) and returns its rows.</summary>
    public static async Task<List<object?[]>> AdminAsync(GatewayFixture gateway, string user, string sql, string? password = null)
    {
        await using var connection = new NpgsqlConnection(gateway.ConnectionString(user, password, "postgres"));
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, connection);
        await using var reader = await cmd.ExecuteReaderAsync();
        var rows = new List<object?[]>();
        while (await reader.ReadAsync())
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++) row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            rows.Add(row);
        }
        return rows;
    }
}
