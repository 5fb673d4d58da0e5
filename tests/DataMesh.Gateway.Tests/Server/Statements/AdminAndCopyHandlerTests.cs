using DataMesh.Gateway.Protocol.Errors;
using DataMesh.Gateway.Protocol.Messages.Frontend;
using DataMesh.Gateway.Server.Responses;
using DataMesh.Gateway.Server.Sessions;
using DataMesh.Gateway.Server.Statements;
using static DataMesh.Gateway.Tests.Server.Statements.StatementHarness;

namespace DataMesh.Gateway.Tests.Server.Statements;

// DataMesh.Gateway.Portal (the web portal project) is a namespace nearer than the using directives above.
using Portal = DataMesh.Gateway.Server.Sessions.Portal;

/// <summary>AdminHandler, CopyOutHandler, WorkspaceWriteHandler and EmptyHandler without a socket.</summary>
public sealed class AdminAndCopyHandlerTests : IAsyncLifetime
{
    private readonly StatementHarness _h = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _h.DisposeAsync().AsTask();

    [Fact]
    public async Task An_admin_command_runs_once_at_describe_and_execute_sends_its_rows()
    {
        var c = _h.Open();
        var prepared = Assert.IsType<PreparedAdminCommand>(Prepare(c, "SHOW PROJECTS"));
        var portal = new Portal("", prepared, [], []);
        var fields = prepared.Handler.DescribePortal(c, portal)!;
        Assert.Contains("project", fields.Select(f => f.Name));
        var result = Assert.IsType<AdminRowsResult>(prepared.Handler.Execute(c, portal, 0));
        Assert.Same(portal.AdminResult, result.Result); // not run again
        var messages = await _h.WriteAsync(c, result, describe: false);
        Assert.Equal("SELECT 2", Tag(messages));
        Assert.Equal(2, Rows(messages).Count);
        Assert.Equal("SELECT 0", Assert.IsType<CommandResult>(prepared.Handler.Execute(c, portal, 0)).Tag);
    }

    [Fact]
    public void A_malformed_admin_command_is_42601_at_its_word()
    {
        var c = _h.Open();
        var e = Assert.Throws<PgErrorException>(() => Prepare(c, "  CREATE PROJECT 'x'"));
        Assert.Equal((SqlState.SyntaxError, 18), (e.SqlState, e.Position));
    }

    [Fact]
    public async Task Copy_streams_the_governed_rows_as_csv_lines()
    {
        var c = _h.Open("consumer", "research");
        var result = Assert.IsType<CopyOutResult>(Execute(c, "COPY (SELECT item_id, region FROM marketing.sales ORDER BY item_id LIMIT 2) TO STDOUT (FORMAT csv, HEADER)", out _));
        var messages = await _h.WriteAsync(c, result);
        Assert.Equal("HdddcC", Types(messages));
        var lines = messages.Where(m => m.Type == 'd').Select(m => System.Text.Encoding.UTF8.GetString(m.Payload)).ToList();
        Assert.Equal(["item_id,region\n", "3,Europe\n", "6,Europe\n"], lines);
        Assert.Equal("COPY 2", Tag(messages));
        Assert.Equal(1, _h.Metrics.QueriesOk);
    }

    [Fact]
    public void A_workspace_write_in_a_project_without_a_workspace_is_0A000_and_not_audited()
    {
        var c = _h.Open();
        var e = Assert.Throws<PgErrorException>(() => Execute(c, "CREATE TABLE workspace.t AS SELECT 1 AS x", out _));
        Assert.Equal(SqlState.FeatureNotSupported, e.SqlState);
        Assert.Null(AuditNote.Of(e));
    }

    [Fact]
    public async Task An_empty_statement_is_an_empty_query_response()
    {
        var c = _h.Open();
        var empty = new PreparedEmptyFactory(c).Empty();
        Assert.Equal("I", Types(await _h.WriteAsync(c, empty.Handler.Execute(c, new Portal("", empty, [], [FormatCode.Text]), 0))));
        Assert.Null(empty.Handler.DescribeStatement(c, empty));
    }

    private sealed class PreparedEmptyFactory(StatementContext c)
    {
        public PreparedStatement Empty() => StatementPreparer.Prepare(c, "", new DataMesh.Gateway.Sql.Lexing.SqlStatement("", []), []);
    }
}
