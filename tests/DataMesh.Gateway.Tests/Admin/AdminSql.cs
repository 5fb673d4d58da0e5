using DuckDB.NET.Data;
using Npgsql;

namespace DataMesh.Gateway.Tests.Admin;

/// <summary>An admin command's answer as the client saw it: column names, rows and the command tag.</summary>
public sealed class AdminRows(List<string> columns, List<object?[]> rows, string? tag)
{
    public List<string> Columns { get; } = columns;
    public List<object?[]> Rows { get; } = rows;
    public string? Tag { get; } = tag;
    public int Count => Rows.Count;

    public int IndexOf(string column)
    {
        var i = Columns.IndexOf(column);
        Assert.True(i >= 0, $"no column \"{column}\" in ({string.Join(", ", Columns)})");
        return i;
    }

    public object? Get(int row, string column) => Rows[row][IndexOf(column)];

    public string? Text(int row, string column) => Get(row, column) is { } v ? Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture) : null;

    /// <summary>The rows whose <paramref name="column"/> equals <paramref name="value"/>.</summary>
    public List<object?[]> RowsWhere(string column, object? value)
    {
        var i = IndexOf(column);
        return Rows.Where(r => Equals(r[i], value)).ToList();
    }

    /// <summary>The single row whose <paramref name="column"/> equals <paramref name="value"/>, as name → value.</summary>
    public Dictionary<string, object?> Single(string column, object? value)
    {
        var matches = RowsWhere(column, value);
        Assert.True(matches.Count == 1, $"expected one row with {column} = {value}, found {matches.Count}");
        return Columns.Select((c, i) => (c, matches[0][i])).ToDictionary(x => x.c, x => x.Item2);
    }

    public IEnumerable<object?> Column(string column)
    {
        var i = IndexOf(column);
        return Rows.Select(r => r[i]);
    }
}

/// <summary>Helpers for sending admin commands with Npgsql and checking their answers and errors.</summary>
public static class AdminSql
{
    public static async Task<AdminRows> QueryAsync(this NpgsqlConnection connection, string sql)
    {
        await using var batch = new NpgsqlBatch(connection);
        var command = new NpgsqlBatchCommand(sql);
        batch.BatchCommands.Add(command);
        var columns = new List<string>();
        var rows = new List<object?[]>();
        await using (var reader = await batch.ExecuteReaderAsync())
        {
            columns = Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).ToList();
            while (await reader.ReadAsync())
            {
                var values = new object?[reader.FieldCount];
                for (var i = 0; i < values.Length; i++) values[i] = await reader.IsDBNullAsync(i) ? null : reader.GetValue(i);
                rows.Add(values);
            }
        }
        var tag = command.StatementType.ToString().ToUpperInvariant() + " " + command.Rows;
        return new AdminRows(columns, rows, tag);
    }

    public static async Task ExecAsync(this NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Runs a command that must fail with <paramref name="sqlState"/>; returns the server's error.</summary>
    public static async Task<PostgresException> FailsAsync(this NpgsqlConnection connection, string sql, string sqlState)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        var e = await Assert.ThrowsAsync<PostgresException>(async () =>
        {
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync()) { }
        });
        Assert.True(e.SqlState == sqlState, $"expected SQLSTATE {sqlState} for [{sql}], got {e.SqlState}: {e.MessageText}");
        return e;
    }

    /// <summary>A short unique name: prefix + '_' + 8 hex digits (lower case, a valid unquoted identifier).</summary>
    public static string Unique(string prefix) => prefix + "_" + Guid.NewGuid().ToString("N")[..8];

    /// <summary>Writes a Parquet file with DuckDB from a SELECT.</summary>
    public static void WriteParquet(string path, string select)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"COPY ({select}) TO '{path.Replace("'", "''")}' (FORMAT parquet)";
        command.ExecuteNonQuery();
    }

    public const string SalesSelect =
        "SELECT * FROM (VALUES ('Europe', 10.5, 'ann@example.com', DATE '2024-01-02', 3), ('Asia', 7.25, 'bo@example.com', DATE '2024-02-03', 1)) " +
        "AS t(region, amount, customer_email, sold_on, quantity)";

    /// <summary>Directories made by <see cref="NewTempDirectory"/>, removed when the fixture is disposed.</summary>
    public static readonly System.Collections.Concurrent.ConcurrentBag<string> TempDirectories = [];

    public static string NewTempDirectory(string prefix)
    {
        var dir = Path.Combine(Path.GetTempPath(), "datamesh-tests", $"admin-{prefix}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        TempDirectories.Add(dir);
        return dir;
    }

    public static string Quote(string s) => "'" + s.Replace("'", "''") + "'";
}

/// <summary>
/// A producer project with a published asset and a consumer project, in a fresh accepted account, with users in
/// every role: owner of the producer; contributor and viewer of the consumer; a viewer of the producer; an outsider.
/// Passwords equal user names.
/// </summary>
public sealed record Scenario(string Suffix, string Account, string AccountRoot, string Owner, string Contributor, string Viewer,
    string ProducerViewer, string ProducerContributor, string Outsider, string Producer, string Consumer, string Asset)
{
    public string AssetName => $"{Producer}.{Asset}";

    /// <summary>The producer project's storage prefix, <c>&lt;account root&gt;/&lt;producer&gt;/</c>: its asset sources resolve there.</summary>
    public string ProducerStorage => Path.Combine(AccountRoot, Producer);

    public static async Task<Scenario> CreateAsync(AdminGatewayFixture fixture, bool publish = true)
    {
        var s = Guid.NewGuid().ToString("N")[..8];
        var root = AdminSql.NewTempDirectory("acct");
        AdminSql.WriteParquet(Path.Combine(root, "prod_" + s, "data", "sales.parquet"), AdminSql.SalesSelect);
        var scenario = new Scenario(s, "acct_" + s, root, "own_" + s, "con_" + s, "vie_" + s, "pvi_" + s, "pco_" + s, "out_" + s,
            "prod_" + s, "cons_" + s, "sales");
        await using var carol = await fixture.OpenAsync("carol");
        foreach (var user in new[] { scenario.Owner, scenario.Contributor, scenario.Viewer, scenario.ProducerViewer, scenario.ProducerContributor, scenario.Outsider })
            await carol.ExecAsync($"CREATE USER {user} PASSWORD '{user}'");
        await carol.ExecAsync($"ASSOCIATE ACCOUNT {scenario.Account} LOCATION {AdminSql.Quote(root)} ADMIN carol");
        await carol.ExecAsync($"ACCEPT ACCOUNT {scenario.Account}");
        await carol.ExecAsync($"CREATE PROJECT PROFILE lite_{s} BLUEPRINTS (query_limits)");
        await carol.ExecAsync($"CREATE PROJECT {scenario.Producer} ACCOUNT {scenario.Account} PROFILE lite_{s}");
        await carol.ExecAsync($"CREATE PROJECT {scenario.Consumer} ACCOUNT {scenario.Account} PROFILE lite_{s}");
        await carol.ExecAsync($"ADD MEMBER {scenario.Owner} TO PROJECT {scenario.Producer} AS OWNER");
        await carol.ExecAsync($"ADD MEMBER {scenario.ProducerViewer} TO PROJECT {scenario.Producer} AS VIEWER");
        await carol.ExecAsync($"ADD MEMBER {scenario.ProducerContributor} TO PROJECT {scenario.Producer} AS CONTRIBUTOR");
        await carol.ExecAsync($"ADD MEMBER {scenario.Contributor} TO PROJECT {scenario.Consumer} AS CONTRIBUTOR");
        await carol.ExecAsync($"ADD MEMBER {scenario.Viewer} TO PROJECT {scenario.Consumer} AS VIEWER");
        await carol.ExecAsync($"CREATE ASSET {scenario.AssetName} FROM 'data/sales.parquet' DESCRIPTION 'Sales of {s}'");
        if (publish) await carol.ExecAsync($"PUBLISH ASSET {scenario.AssetName}");
        return scenario;
    }

    /// <summary>The consumer's contributor requests a subscription; returns its id.</summary>
    public async Task<long> RequestAsync(AdminGatewayFixture fixture, string justification = "needed for tests")
    {
        await using var c = await fixture.OpenAsync(Contributor);
        var rows = await c.QueryAsync($"REQUEST SUBSCRIPTION TO {AssetName} FOR PROJECT {Consumer} JUSTIFICATION {AdminSql.Quote(justification)}");
        return (long)rows.Get(0, "subscription")!;
    }

    public async Task<string?> StatusAsync(AdminGatewayFixture fixture, long id)
    {
        await using var carol = await fixture.OpenAsync("carol");
        var rows = await carol.QueryAsync($"SHOW SUBSCRIPTIONS FOR PROJECT {Consumer}");
        return (string?)rows.Single("subscription", id)["status"];
    }
}
