using System.Globalization;
using DataMesh.Gateway.Tests.Infrastructure;
using Npgsql;

namespace DataMesh.Gateway.Tests.Governance;

/// <summary>
/// One consumer connection (Npgsql, a real listening gateway) with the helpers the governance tests share: rows,
/// scalars, expected errors with the leak check applied to every error and notice.
/// </summary>
public sealed class GovernedSession : IAsyncDisposable
{
    private readonly List<PostgresNotice> _notices = [];

    private GovernedSession(NpgsqlConnection connection, LeakGuard guard)
    {
        Connection = connection;
        Guard = guard;
        connection.Notice += (_, e) => { lock (_notices) _notices.Add(e.Notice); };
    }

    public NpgsqlConnection Connection { get; }

    public LeakGuard Guard { get; }

    public static LeakGuard GuardFor(GatewayFixture gateway) => new(gateway.Host.DataDirectory);

    public static async Task<GovernedSession> OpenAsync(GatewayFixture gateway, string user = "bob", string database = "ml_research", string? password = null)
    {
        var connection = new NpgsqlConnection(gateway.ConnectionString(user, password, database));
        await connection.OpenAsync();
        return new GovernedSession(connection, GuardFor(gateway));
    }

    public async Task<List<object?[]>> RowsAsync(string sql)
    {
        var (error, rows) = await TryAsync(sql); // leak-checks the error and the notices
        if (error is not null) throw new Xunit.Sdk.XunitException($"query [{sql}] failed: {error.SqlState} {error.MessageText}");
        return rows;
    }

    /// <summary>The result column names and the rows.</summary>
    public async Task<(List<string> Columns, List<object?[]> Rows)> TableAsync(string sql)
    {
        var rows = new List<object?[]>();
        var columns = new List<string>();
        try
        {
            await using var cmd = new NpgsqlCommand(sql, Connection);
            await using var reader = await cmd.ExecuteReaderAsync();
            for (var i = 0; i < reader.FieldCount; i++) columns.Add(reader.GetName(i));
            while (await reader.ReadAsync())
            {
                var row = new object?[reader.FieldCount];
                for (var i = 0; i < row.Length; i++) row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
                rows.Add(row);
            }
        }
        catch (PostgresException e)
        {
            Guard.AssertClean(e, sql);
            throw new Xunit.Sdk.XunitException($"query [{sql}] failed: {e.SqlState} {e.MessageText}");
        }
        AssertNoticesClean(sql);
        return (columns, rows);
    }

    public async Task<long> CountAsync(string sql)
    {
        var rows = await RowsAsync(sql);
        var row = Assert.Single(rows);
        return Convert.ToInt64(row[0], CultureInfo.InvariantCulture);
    }

    /// <summary>Runs <paramref name="sql"/>, which must fail with one of <paramref name="sqlStates"/>; checks the error for leaks.</summary>
    public async Task<PostgresException> ErrorAsync(string sql, params string[] sqlStates)
    {
        var rows = -1;
        try
        {
            await using var cmd = new NpgsqlCommand(sql, Connection);
            await using var reader = await cmd.ExecuteReaderAsync();
            rows = 0;
            while (await reader.ReadAsync()) rows++;
        }
        catch (PostgresException e)
        {
            Guard.AssertClean(e, sql);
            AssertNoticesClean(sql);
            if (sqlStates.Length > 0)
                Assert.True(sqlStates.Contains(e.SqlState), $"query [{sql}] failed with {e.SqlState} ({e.MessageText}); expected {string.Join(" or ", sqlStates)}");
            // The session survives a refused statement.
            await using var ping = new NpgsqlCommand("SELECT 1", Connection);
            Assert.Equal(1, Convert.ToInt32(await ping.ExecuteScalarAsync(), CultureInfo.InvariantCulture));
            return e;
        }
        throw new Xunit.Sdk.XunitException($"query [{sql}] succeeded with {rows} row(s); expected SQLSTATE {string.Join(" or ", sqlStates)}");
    }

    /// <summary>Either an error (any SQLSTATE, leak-checked) or rows; for probes whose only requirement is "no leak".</summary>
    public async Task<(PostgresException? Error, List<object?[]> Rows)> TryAsync(string sql)
    {
        var rows = new List<object?[]>();
        try
        {
            await using var cmd = new NpgsqlCommand(sql, Connection);
            await using var reader = await cmd.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                var row = new object?[reader.FieldCount];
                for (var i = 0; i < row.Length; i++) row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
                rows.Add(row);
            }
        }
        catch (PostgresException e)
        {
            Guard.AssertClean(e, sql);
            AssertNoticesClean(sql);
            return (e, rows);
        }
        AssertNoticesClean(sql);
        return (null, rows);
    }

    /// <summary>
    /// The same SQL in process over exactly the granted data is the oracle: equal results (order-insensitive unless
    /// <paramref name="ordered"/>), or, when the oracle raises an error, an error here too.
    /// </summary>
    public async Task AssertSameAsTruthAsync(TruthDatabase truth, string sql, bool ordered = false)
    {
        var expected = truth.Run(sql);
        if (expected.Error is not null)
        {
            var (error, rows) = await TryAsync(sql);
            Assert.True(error is not null, $"query [{sql}] returned {rows.Count} row(s) where the granted data alone raises: {expected.Error.Message}");
            return;
        }
        var (columns, actual) = await TableAsync(sql);
        var difference = ResultComparison.Difference(expected.Columns, expected.Rows, columns, actual, ordered);
        Assert.True(difference is null, $"query [{sql}]: {difference}");
    }

    private void AssertNoticesClean(string sql)
    {
        lock (_notices)
        {
            Guard.AssertClean(_notices, sql);
            _notices.Clear();
        }
    }

    /// <summary>Every value of every row as invariant text (for "this value must never appear" checks).</summary>
    public static IEnumerable<string> Texts(IEnumerable<object?[]> rows) =>
        rows.SelectMany(r => r).Select(v => Convert.ToString(v, CultureInfo.InvariantCulture) ?? "");

    public async ValueTask DisposeAsync() => await Connection.DisposeAsync();
}
