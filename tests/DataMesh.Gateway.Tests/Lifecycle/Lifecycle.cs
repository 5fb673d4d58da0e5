using DataMesh.Gateway.Tests.Admin;
using Npgsql;

namespace DataMesh.Gateway.Tests.Lifecycle;

/// <summary>Helpers of the lifecycle tests: sessions in a project, events and audit records as a user sees them.</summary>
internal static class Lifecycle
{
    /// <summary>A session of <paramref name="user"/> signed in to <paramref name="project"/> (its database), errors with their DETAIL.</summary>
    public static async Task<NpgsqlConnection> OpenInAsync(this AdminGatewayFixture fixture, string user, string project = "postgres")
    {
        var connection = new NpgsqlConnection(fixture.ConnectionString(user).Replace("Database=postgres", $"Database={project}", StringComparison.Ordinal) +
            ";Include Error Detail=true");
        await connection.OpenAsync();
        return connection;
    }

    /// <summary>The events <paramref name="user"/> is told about, newest first: (event, subscription, detail, channel).</summary>
    public static async Task<List<(string Event, long? Subscription, string? Detail, string Channel)>> EventsAsync(this AdminGatewayFixture fixture, string user)
    {
        await using var c = await fixture.OpenAsync(user);
        var rows = await c.QueryAsync("SHOW EVENTS LIMIT 50");
        return rows.Rows.Select(r => ((string)r[rows.IndexOf("event")]!, (long?)r[rows.IndexOf("subscription")], (string?)r[rows.IndexOf("detail")],
            (string)r[rows.IndexOf("channel")]!)).ToList();
    }

    /// <summary>The newest admin audit record of <paramref name="command"/> by <paramref name="user"/> (carol reads the audit).</summary>
    public static async Task<Dictionary<string, object?>> LastAuditAsync(this AdminGatewayFixture fixture, string user, string command)
    {
        await using var carol = await fixture.OpenAsync("carol");
        var rows = await carol.QueryAsync($"SHOW AUDIT USER {user} LIMIT 200");
        var i = rows.IndexOf("command");
        var row = rows.Rows.First(r => (string?)r[i] == command);
        return rows.Columns.Select((c, k) => (c, row[k])).ToDictionary(x => x.c, x => x.Item2);
    }

    /// <summary>Notices the server sent while <paramref name="work"/> ran on <paramref name="connection"/>.</summary>
    public static async Task<List<PostgresNotice>> NoticesAsync(this NpgsqlConnection connection, Func<Task> work)
    {
        var notices = new List<PostgresNotice>();
        void OnNotice(object? _, NpgsqlNoticeEventArgs e) => notices.Add(e.Notice);
        connection.Notice += OnNotice;
        try
        {
            await work();
        }
        finally
        {
            connection.Notice -= OnNotice;
        }
        return notices;
    }
}
