using DataMesh.Gateway.Protocol.Errors;
using DataMesh.Gateway.Protocol.Messages.Backend;
using DataMesh.Gateway.Server.Responses;
using DataMesh.Gateway.Server.Sessions;
using DataMesh.Gateway.Tests.Server.Statements;
using static DataMesh.Gateway.Tests.Server.Statements.StatementHarness;

namespace DataMesh.Gateway.Tests.Server.Responses;

/// <summary>
/// The one response writer without a socket: what it writes for each result, and what goes with an error (the SQLSTATE
/// counted, an open transaction block failed, the query audited from the note its error carries).
/// </summary>
public sealed class ResponseWriterTests : IAsyncLifetime
{
    private readonly StatementHarness _h = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _h.DisposeAsync().AsTask();

    [Fact]
    public async Task A_command_result_writes_notices_description_row_tag_then_parameter_statuses()
    {
        var c = _h.Open();
        var result = new CommandResult("SHOW")
        {
            Notices = [new Notice(PgErrorSeverity.Warning, "01000", "careful")],
            Fields = Fields.Text("application_name"),
            TextRow = "x",
            ChangedParameters = ["application_name"],
        };
        Assert.Equal("NTDCS", Types(await _h.WriteAsync(c, result, describe: true)));
        Assert.Equal("NDCS", Types(await _h.WriteAsync(c, result, describe: false))); // the extended protocol describes at Describe
    }

    [Fact]
    public void An_error_is_counted_fails_an_open_block_and_is_audited_from_its_note()
    {
        var c = _h.Open();
        c.Session.TransactionStatus = TransactionStatus.InTransaction;
        var refused = new PgErrorException(SqlState.InsufficientPrivilege, "refused");
        AuditNote.Refused(refused, "SELECT secret");
        _h.Responses.Error(c.Session, refused);
        Assert.Equal(TransactionStatus.Failed, c.Session.TransactionStatus);
        Assert.Equal(1, _h.Metrics.Errors(SqlState.InsufficientPrivilege));
        Assert.Equal(1, _h.Metrics.QueriesFailed);

        var plain = new PgErrorException(SqlState.InFailedSqlTransaction, "aborted");
        _h.Responses.Error(c.Session, plain);
        Assert.Equal(1, _h.Metrics.Errors(SqlState.InFailedSqlTransaction));
        Assert.Equal(1, _h.Metrics.QueriesFailed); // no note: not a query's outcome
        var messages = _h.Output.Take();
        Assert.Equal("EE", Types(messages));
        Assert.Equal(["42501", "25P02"], messages.Select(m => Infrastructure.RawClient.SqlState(m.Payload)));
    }

    [Fact]
    public void The_first_note_stays_so_a_refusal_met_while_running_is_not_also_a_failure()
    {
        var c = _h.Open();
        var e = new PgErrorException(SqlState.InsufficientPrivilege, "revoked");
        AuditNote.Refused(e, "SELECT 1");
        AuditNote.Failed(e, StatementHarness.Prepare(c, "SELECT 1"), 0);
        Assert.IsType<AuditNote.Refusal>(AuditNote.Of(e));
    }

    [Fact]
    public async Task A_fatal_error_is_written_and_flushed()
    {
        var c = _h.Open();
        var flushes = _h.Output.Flushes;
        await _h.Responses.FatalAsync(c.Session, PgErrorException.Fatal(SqlState.AdminShutdown, "shutting down"));
        Assert.Equal(flushes + 1, _h.Output.Flushes);
        var error = Assert.Single(_h.Output.Take());
        Assert.Equal(("E", "FATAL"), (error.Type.ToString(), Infrastructure.RawClient.Field(error.Payload, 'S')));
        Assert.Equal(1, _h.Metrics.Errors(SqlState.AdminShutdown));
    }
}
