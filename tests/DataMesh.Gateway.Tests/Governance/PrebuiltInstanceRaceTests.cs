using System.Globalization;
using DataMesh.Gateway.Tests.Infrastructure;
using Npgsql;

namespace DataMesh.Gateway.Tests.Governance;

/// <summary>
/// A project's engine instance is rebuilt in the background after each change to its grants (SessionEngines'
/// prebuild worker), while its sessions keep running statements. A revocation must never be served by an instance built
/// before it: not for the open session, not for a new one, and not while another session of the project races the
/// worker for the pool. Which instance serves a session shows in its shadow catalog (pg_class lists exactly the
/// granted assets of the instance the statement ran on).
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class PrebuiltInstanceRaceTests(GatewayFixture gateway)
{
    private const string Count = "SELECT count(*) FROM marketing.mkt_sls_table";
    private const string Shadow = "SELECT count(*) FROM pg_class WHERE relname = 'mkt_sls_table'";

    [Fact]
    [Adversarial(AttackClass.Revocation)]
    public async Task A_revocation_is_never_served_by_an_instance_prebuilt_before_it()
    {
        var scenario = await GrantScenario.CreateAsync(gateway, "race");
        await using var s = await scenario.OpenAsync();
        await using var racer = await scenario.OpenAsync();
        using var stop = new CancellationTokenSource();
        var racerStatements = 0;
        // Another session of the project sends statements all the time, so instances are acquired for the project while
        // the worker rebuilds it after every APPROVE and REVOKE.
        var race = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                await using var cmd = new NpgsqlCommand(Shadow, racer.Connection);
                var n = Convert.ToInt64(await cmd.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
                Assert.InRange(n, 0, 1);
                racerStatements++;
            }
        });

        var patchedBefore = PatchedInstances();
        try
        {
            await RevokeRoundsAsync(scenario, s);
        }
        finally
        {
            // Stopped before the sessions are disposed, also when a round failed: the racer must not outlive its connection.
            await stop.CancelAsync();
            await Task.WhenAny(race);
        }
        await race; // the racer's own failure, if any
        Assert.True(racerStatements > 6, $"the racing session ran {racerStatements} statements");
        // The probe fires: after the first change, the rounds ran on instances patched from the project's standby
        // (ShadowCatalogDelta), the path a revocation must not get around either.
        Assert.True(PatchedInstances() - patchedBefore >= 6, $"{PatchedInstances() - patchedBefore} instances were patched from a standby");
        // And once everything settled, the racing session's instance is the current one too.
        Assert.Equal(0L, await racer.CountAsync(Shadow));
    }

    private long PatchedInstances()
    {
        const string Series = "datamesh_engine_instances_from_standby_total ";
        var line = gateway.Host.Server.RenderMetrics().Split('\n').Single(l => l.StartsWith(Series, StringComparison.Ordinal));
        return long.Parse(line[Series.Length..], CultureInfo.InvariantCulture);
    }

    private static async Task RevokeRoundsAsync(GrantScenario scenario, GovernedSession s)
    {
        for (var round = 0; round < 6; round++)
        {
            var id = await scenario.SubscribeAsync("mkt_sls_table", "WITH ROW FILTER (region = 'Europe') EXCLUDE COLUMNS (customer_email)");
            // The probe fires: with the grant, the instance that answers has the asset's shadow table and reads the file.
            Assert.Equal(250_000L, await s.CountAsync(Count));
            Assert.Equal(1L, await s.CountAsync(Shadow));

            await scenario.RevokeAsync(id);

            // The very next statement of the open session runs on an instance without the grant.
            Assert.Equal(0L, await s.CountAsync(Shadow));
            await s.ErrorAsync(Count, "42501");
            await using var fresh = await scenario.OpenAsync();
            Assert.Equal(0L, await fresh.CountAsync(Shadow));
            await fresh.ErrorAsync(Count, "42501");
        }
    }
}
