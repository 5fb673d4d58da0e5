using DataMesh.Gateway.Protocol.Errors;
using DataMesh.Gateway.Protocol.Messages.Backend;
using DataMesh.Gateway.Protocol.Types;
using DataMesh.Gateway.Server.Responses;
using DataMesh.Gateway.Server.Statements;
using static DataMesh.Gateway.Tests.Server.Statements.StatementHarness;

namespace DataMesh.Gateway.Tests.Server.Statements;

/// <summary>SessionCommandHandler and TransactionHandler without a socket: answers from session state.</summary>
public sealed class SessionCommandHandlerTests : IAsyncLifetime
{
    private readonly StatementHarness _h = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _h.DisposeAsync().AsTask();

    private static CommandResult Run(StatementContext c, string sql) => Assert.IsType<CommandResult>(Execute(c, sql, out _));

    [Fact]
    public async Task Show_answers_one_text_row_and_set_reports_a_changed_parameter()
    {
        var c = _h.Open();
        var set = Run(c, "SET application_name = 'handlers'");
        Assert.Equal("SET", set.Tag);
        Assert.Equal(["application_name"], set.ChangedParameters);
        var show = Run(c, "SHOW application_name");
        Assert.Equal(("SHOW", "handlers"), (show.Tag, show.TextRow));
        Assert.Equal(("application_name", PgTypes.Text), (show.Fields!.Single().Name, show.Fields!.Single().TypeOid));
        var prepared = Prepare(c, "SHOW application_name");
        Assert.Equal("application_name", prepared.Handler.DescribeStatement(c, prepared)!.Single().Name);

        var messages = await _h.WriteAsync(c, set);
        Assert.Equal("CS", Types(messages)); // the tag, then ParameterStatus
        Assert.Equal("TDC", Types(await _h.WriteAsync(c, show)));
    }

    [Fact]
    public void Set_local_outside_a_block_warns_and_changes_nothing_and_engine_settings_are_refused()
    {
        var c = _h.Open();
        var local = Run(c, "SET LOCAL application_name = 'x'");
        Assert.Equal((PgErrorSeverity.Warning, SqlState.NoActiveSqlTransaction), (local.Notices.Single().Severity, local.Notices.Single().SqlState));
        Assert.Empty(local.ChangedParameters);
        Assert.Equal(SqlState.InsufficientPrivilege, Assert.Throws<PgErrorException>(() => Run(c, "SET threads = 1")).SqlState);
    }

    [Fact]
    public void Set_config_answers_the_value_now_in_effect()
    {
        var c = _h.Open();
        var call = Run(c, "SELECT set_config('application_name', 'cfg', false) AS v");
        Assert.Equal(("SELECT 1", "cfg", "v"), (call.Tag, call.TextRow, call.Fields!.Single().Name));
    }

    [Fact]
    public void A_malformed_session_command_fails_when_it_runs_not_when_it_is_prepared()
    {
        var c = _h.Open();
        var prepared = Assert.IsType<PreparedRejected>(Prepare(c, "SET"));
        Assert.Null(prepared.Handler.DescribeStatement(c, prepared));
        Assert.Equal(SqlState.SyntaxError, Assert.Throws<PgErrorException>(() => Execute(c, "SET", out _)).SqlState);
    }

    [Fact]
    public void Transaction_control_moves_the_blocks_state_and_savepoints_restore_settings()
    {
        var c = _h.Open();
        Assert.Equal("BEGIN", Run(c, "BEGIN").Tag);
        Assert.Equal(TransactionStatus.InTransaction, c.Session.TransactionStatus);
        Assert.Equal("there is already a transaction in progress", Run(c, "BEGIN").Notices.Single().Message);
        Run(c, "SAVEPOINT s1");
        Run(c, "SET application_name = 'inside'");
        c.Session.TransactionStatus = TransactionStatus.Failed;
        var back = Run(c, "ROLLBACK TO SAVEPOINT s1");
        Assert.Equal("ROLLBACK", back.Tag);
        Assert.Equal(["application_name"], back.ChangedParameters);
        Assert.Equal(TransactionStatus.InTransaction, c.Session.TransactionStatus);
        Assert.Equal(SqlState.InvalidSavepointSpecification, Assert.Throws<PgErrorException>(() => Run(c, "RELEASE nope")).SqlState);
        c.Session.TransactionStatus = TransactionStatus.Failed;
        Assert.Equal("ROLLBACK", Run(c, "COMMIT").Tag); // a failed block rolls back
        Assert.Equal(TransactionStatus.Idle, c.Session.TransactionStatus);
        Assert.Equal("there is no transaction in progress", Run(c, "ROLLBACK").Notices.Single().Message);
    }
}
