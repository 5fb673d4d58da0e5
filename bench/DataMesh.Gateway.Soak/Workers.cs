using Npgsql;

namespace DataMesh.Gateway.Soak;

/// <summary>
/// The three client roles of the soak. Each runs until the deadline or its operation bound, whichever first. With
/// several gateway nodes (<paramref name="roots"/>, one connection-string root each) consumers and metadata readers are
/// spread over them and every admin command goes to a node drawn at random, so grants change on one node while
/// consumers read on another.
/// </summary>
public sealed class Workers(SoakOptions options, string[] roots, GrantLedger ledger, SoakStats stats, DateTime deadline)
{
    private bool Running(int done) => DateTime.UtcNow < deadline && done < options.MaxOperationsPerClient;

    /// <summary>
    /// A consumer of one project: aggregates and full streams over the marker asset, sometimes on a fresh connection;
    /// every marker seen goes to the checker with the query's time window.
    /// </summary>
    public async Task ConsumerAsync(int project, int seed)
    {
        var random = new Random(seed);
        var root = roots[seed % roots.Length];
        NpgsqlConnection? connection = null;
        try
        {
            for (var done = 0; Running(done); done++)
            {
                var pick = random.Next(100);
                var kind = pick < 60 ? "consumer" : pick < 85 ? "consumer-stream" : "consumer-connect";
                var sql = kind == "consumer-stream"
                    ? $"SELECT marker, seq, payload FROM {SoakSetup.Asset} ORDER BY seq"
                    : $"SELECT marker, count(*) FROM {SoakSetup.Asset} GROUP BY marker";
                var started = System.Diagnostics.Stopwatch.GetTimestamp();
                var windowStart = GrantLedger.Now;
                try
                {
                    if (kind == "consumer-connect" && connection is not null)
                    {
                        await connection.DisposeAsync();
                        connection = null;
                    }
                    connection ??= await SoakSetup.OpenAsync(root, SoakSetup.UserName(project), SoakSetup.Password(project), SoakSetup.ProjectName(project));
                    var markers = new HashSet<int>();
                    await using (var cmd = new NpgsqlCommand(sql, connection))
                    await using (var reader = await cmd.ExecuteReaderAsync())
                    {
                        while (await reader.ReadAsync()) markers.Add(reader.GetInt32(0));
                    }
                    ledger.Check(project, windowStart, GrantLedger.Now, markers);
                    stats.Ok(kind, started);
                }
                catch (Exception e) when (e is NpgsqlException or IOException or TimeoutException or InvalidOperationException)
                {
                    stats.Error(kind, e);
                    if (connection is { State: not System.Data.ConnectionState.Open })
                    {
                        await connection.DisposeAsync();
                        connection = null;
                    }
                }
                await Task.Delay(random.Next(2, 20));
            }
        }
        finally
        {
            if (connection is not null) await connection.DisposeAsync();
        }
    }

    /// <summary>
    /// The admin side of one project: request, approve with a row filter admitting the generation's marker, hold,
    /// revoke; now and then a request that is rejected. The ledger learns of each grant before APPROVE is sent and of
    /// each revocation once it is acknowledged.
    /// </summary>
    public async Task AdminAsync(int project, int seed)
    {
        var random = new Random(seed);
        var owners = new List<NpgsqlConnection>();
        var requesters = new List<NpgsqlConnection>();
        try
        {
            foreach (var root in roots)
            {
                owners.Add(await SoakSetup.OpenAsync(root, "alice", "alice", "postgres"));
                requesters.Add(await SoakSetup.OpenAsync(root, SoakSetup.UserName(project), SoakSetup.Password(project), "postgres"));
            }
            await AdminGenerationsAsync(project, random, owners, requesters);
        }
        finally
        {
            foreach (var connection in owners.Concat(requesters)) await connection.DisposeAsync();
        }
    }

    private async Task AdminGenerationsAsync(int project, Random random, List<NpgsqlConnection> owners, List<NpgsqlConnection> requesters)
    {
        var consumer = SoakSetup.ProjectName(project);
        NpgsqlConnection owner = owners[0], requester = requesters[0];
        for (var generation = 0; Running(generation); generation++)
        {
            // Each command on a node drawn at random (one node: always the same).
            void Draw()
            {
                var node = random.Next(owners.Count);
                (owner, requester) = (owners[node], requesters[node]);
            }
            Draw();
            var marker = SoakSetup.Marker(project, generation);
            var id = await Timed(() => SoakSetup.ScalarAsync(requester,
                $"REQUEST SUBSCRIPTION TO {SoakSetup.Asset} FOR PROJECT {consumer} JUSTIFICATION 'soak generation {generation}'"));
            if (id is null) continue;
            var grant = ledger.Approving(project, marker, GrantLedger.Now);
            if (await Timed(() => Exec(owner, $"APPROVE SUBSCRIPTION {id} WITH ROW FILTER (marker = {marker}) COMMENT 'soak'")) is null)
            {
                ledger.Failed(project, grant);
                continue;
            }
            await Task.Delay(random.Next(150, 600));
            Draw();
            if (await Timed(() => Exec(owner, $"REVOKE SUBSCRIPTION {id}")) is not null) ledger.Revoked(project, grant, GrantLedger.Now);
            if (generation % 5 == 4)
            {
                var rejected = await Timed(() => SoakSetup.ScalarAsync(requester,
                    $"REQUEST SUBSCRIPTION TO {SoakSetup.Asset} FOR PROJECT {consumer} JUSTIFICATION 'soak, to be rejected'"));
                if (rejected is not null) await Timed(() => Exec(owner, $"REJECT SUBSCRIPTION {rejected} COMMENT 'soak'"));
            }
        }
    }

    /// <summary>Catalog search and metadata reads, from the home database and from a consumer project.</summary>
    public async Task MetadataAsync(int seed)
    {
        var random = new Random(seed);
        var project = seed % options.Projects;
        var root = roots[seed % roots.Length];
        await using var carol = await SoakSetup.OpenAsync(root, "carol", "carol", "postgres");
        await using var consumer = await SoakSetup.OpenAsync(root, SoakSetup.UserName(project), SoakSetup.Password(project), SoakSetup.ProjectName(project));
        string[] home =
        [
            "SEARCH CATALOG 'sales'",
            $"DESCRIBE ASSET {SoakSetup.Asset}",
            $"SHOW SUBSCRIPTIONS FOR PROJECT {SoakSetup.ProjectName(project)}",
            "SHOW ASSETS IN PROJECT marketing",
        ];
        string[] inProject =
        [
            "SELECT table_schema, table_name FROM information_schema.tables ORDER BY 1, 2",
            "SELECT count(*) FROM pg_catalog.pg_class",
            "SELECT current_database(), current_user",
        ];
        for (var done = 0; Running(done); done++)
        {
            var fromHome = random.Next(2) == 0;
            var sql = fromHome ? home[random.Next(home.Length)] : inProject[random.Next(inProject.Length)];
            await Timed(() => Exec(fromHome ? carol : consumer, sql), "metadata");
            await Task.Delay(random.Next(5, 30));
        }
    }

    private static async Task<long> Exec(NpgsqlConnection connection, string sql)
    {
        await SoakSetup.ExecAsync(connection, sql);
        return 1;
    }

    /// <summary>Runs one admin or metadata operation; null when it failed (the error is counted by class).</summary>
    private async Task<long?> Timed(Func<Task<long>> operation, string kind = "admin")
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            var result = await operation();
            stats.Ok(kind, started);
            return result;
        }
        catch (Exception e) when (e is NpgsqlException or IOException or TimeoutException or InvalidOperationException)
        {
            stats.Error(kind, e);
            return null;
        }
    }
}
