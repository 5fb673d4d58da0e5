using System.Diagnostics;
using DataMesh.Gateway.Benchmarks.Compare;
using Npgsql;

namespace DataMesh.Gateway.Benchmarks.Scale;

/// <summary>The client side of the catalog-scale run: connections, timed statements and waiting for an answer to change.</summary>
public sealed class ScaleProbes(int port)
{
    public string ConnectionString(string user, string database, string? password = null) =>
        $"Host=127.0.0.1;Port={port};Username={user};Password={password ?? user};Database={database};SSL Mode=Disable;Pooling=false;Timeout=60;Command Timeout=300";

    public NpgsqlConnection Open(string user, string database)
    {
        var connection = new NpgsqlConnection(ConnectionString(user, database));
        connection.Open();
        return connection;
    }

    /// <summary>
    /// From the gateway's start: retries a consumer query through "starting up" (57P03) and refused connections until
    /// it is answered. Returns the milliseconds since <paramref name="started"/> and how many 57P03 answers came first.
    /// </summary>
    public (double Ms, int StartingUp) FirstAnswer(DateTime started, string user, string database, string sql, TimeSpan timeout)
    {
        var startingUp = 0;
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                using var connection = Open(user, database);
                using var cmd = new NpgsqlCommand(sql, connection);
                cmd.ExecuteScalar();
                return ((DateTime.UtcNow - started).TotalMilliseconds, startingUp);
            }
            catch (PostgresException e) when (e.SqlState == "57P03" && DateTime.UtcNow < deadline)
            {
                startingUp++;
                Thread.Sleep(5);
            }
            catch (NpgsqlException e) when (e is not PostgresException && DateTime.UtcNow < deadline)
            {
                Thread.Sleep(5);
            }
        }
    }

    /// <summary>Runs one statement, returning the first column of the first row and adding its time to <paramref name="samples"/>.</summary>
    public static object? Timed(NpgsqlConnection connection, string sql, Samples? samples)
    {
        var sw = Stopwatch.StartNew();
        using var cmd = new NpgsqlCommand(sql, connection);
        var value = cmd.ExecuteScalar();
        samples?.Add(sw.Elapsed.TotalMilliseconds);
        return value;
    }

    /// <summary>
    /// Milliseconds until <paramref name="sql"/> on <paramref name="session"/> succeeds (<paramref name="succeed"/>) or
    /// fails with <paramref name="sqlState"/> (not <paramref name="succeed"/>), counted from <paramref name="since"/>.
    /// </summary>
    public static double UntilVisible(NpgsqlConnection session, string sql, bool succeed, string sqlState, Stopwatch since, TimeSpan timeout)
    {
        while (since.Elapsed < timeout)
        {
            try
            {
                using var cmd = new NpgsqlCommand(sql, session);
                cmd.ExecuteScalar();
                if (succeed) return since.Elapsed.TotalMilliseconds;
            }
            catch (PostgresException e) when (e.SqlState == sqlState || succeed)
            {
                if (!succeed) return since.Elapsed.TotalMilliseconds;
            }
        }
        throw new TimeoutException($"the change never became visible to the open session: {sql}");
    }

    /// <summary>One failed sign-in's time: an unknown user, or a known user with a wrong password. Must fail with 28P01.</summary>
    public double FailedSignIn(string user, string password)
    {
        var sw = Stopwatch.StartNew();
        try
        {
            using var connection = new NpgsqlConnection(ConnectionString(user, "postgres", password));
            connection.Open();
        }
        catch (PostgresException e) when (e.SqlState == "28P01")
        {
            return sw.Elapsed.TotalMilliseconds;
        }
        throw new InvalidOperationException($"sign-in as {user} did not fail with 28P01");
    }
}
