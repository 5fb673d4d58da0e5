using DataMesh.Gateway.Configuration;
using DataMesh.Gateway.Tests.Admin;
using DataMesh.Gateway.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace DataMesh.Gateway.Tests.Integration;

/// <summary>
/// The number of SQL cursors a session may hold is an operator's setting (appsettings.json, DATAMESH_MAXCURSORSPERSESSION
/// or --MaxCursorsPerSession), not only a server default: a gateway configured for 2 refuses the third DECLARE with
/// 54000 naming 2, and a CLOSE makes room again.
/// </summary>
public sealed class CursorLimitSettingTests
{
    [Fact]
    public async Task The_cursor_limit_comes_from_the_settings()
    {
        var noFiles = AdminSql.NewTempDirectory("cursor-limit-config"); // no appsettings.json: only the options below
        var settings = GatewaySettings.Load(new Dictionary<string, string?>
        {
            ["Listen"] = "127.0.0.1:0",
            ["DataDir"] = AdminSql.NewTempDirectory("cursor-limit"),
            ["Demo"] = "true",
            ["MaxCursorsPerSession"] = "2",
        }, noFiles, noFiles);
        Assert.Equal(2, settings.MaxCursorsPerSession);
        await using var host = GatewayHost.Start(settings, NullLoggerFactory.Instance, GatewayFixture.SeedDirectory);
        await using var bob = new NpgsqlConnection($"Host=127.0.0.1;Port={host.EndPoint.Port};Username=bob;Password=bob;Database=ml_research;SSL Mode=Disable;Pooling=false;Timeout=30;Command Timeout=60");
        await bob.OpenAsync();
        await using (var tx = await bob.BeginTransactionAsync())
        {
            await bob.ExecAsync("DECLARE a CURSOR FOR SELECT 1::BIGINT AS x");
            await bob.ExecAsync("DECLARE b CURSOR FOR SELECT 2::BIGINT AS x");
            var e = await bob.FailsAsync("DECLARE c CURSOR FOR SELECT 3::BIGINT AS x", "54000");
            Assert.Equal("too many open cursors: a session may hold 2 at once", e.MessageText);
            await tx.RollbackAsync(); // the error aborted the block, as in PostgreSQL
        }
        await using var again = await bob.BeginTransactionAsync();
        await bob.ExecAsync("DECLARE a CURSOR FOR SELECT 1::BIGINT AS x");
        await bob.ExecAsync("DECLARE b CURSOR FOR SELECT 2::BIGINT AS x");
        await bob.ExecAsync("CLOSE a");
        await bob.ExecAsync("DECLARE c CURSOR FOR SELECT 3::BIGINT AS x");
        await using var fetch = new NpgsqlCommand("FETCH ALL FROM c", bob);
        Assert.Equal(3L, await fetch.ExecuteScalarAsync());
    }
}
