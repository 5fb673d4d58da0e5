using DataMesh.Gateway.Protocol.Errors;
using DataMesh.Gateway.Protocol.Messages.Frontend;
using DataMesh.Gateway.Protocol.Types;
using DataMesh.Gateway.Server.Responses;
using DataMesh.Gateway.Server.Sessions;
using DataMesh.Gateway.Server.Statements;
using static DataMesh.Gateway.Tests.Server.Statements.StatementHarness;

namespace DataMesh.Gateway.Tests.Server.Statements;

// DataMesh.Gateway.Portal (the web portal project) is a namespace nearer than the using directives above.
using Portal = DataMesh.Gateway.Server.Sessions.Portal;

/// <summary>QueryHandler without a socket: a governed query prepared, described and run as rows from its cursor.</summary>
public sealed class QueryHandlerTests : IAsyncLifetime
{
    private readonly StatementHarness _h = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _h.DisposeAsync().AsTask();

    [Fact]
    public void Prepare_plans_and_describes_the_governed_query_with_parameter_types()
    {
        var c = _h.Open("consumer", "research");
        var prepared = Assert.IsType<PreparedEngineQuery>(Prepare(c, "SELECT item_id, region FROM marketing.sales WHERE amount > $1"));
        Assert.Equal([PgTypes.Int8], prepared.ParameterOids); // untyped: the engine's inference, as PostgreSQL reports it
        Assert.Contains("read_parquet", prepared.Plan.Sql);
        Assert.Equal(["marketing.sales"], prepared.Plan.Grants.Select(g => g.QualifiedName));
        var fields = prepared.Handler.DescribeStatement(c, prepared)!;
        Assert.Equal([("item_id", PgTypes.Int8), ("region", PgTypes.Text)], fields.Select(f => (f.Name, f.TypeOid)));
    }

    [Fact]
    public async Task Execute_answers_rows_that_the_writer_streams_and_tags()
    {
        var c = _h.Open("consumer", "research");
        var result = Assert.IsType<RowsResult>(Execute(c, "SELECT item_id FROM marketing.sales ORDER BY item_id", out var portal));
        Assert.Equal(("SELECT", true, false), (result.Verb, result.SuspendAtLimit, result.Discard));
        var messages = await _h.WriteAsync(c, result);
        Assert.Equal("T" + new string('D', 10) + "C", Types(messages));
        Assert.Equal(["3", "6", "9", "12", "15", "18", "21", "24", "27", "30"], Rows(messages).Select(r => r[0]));
        Assert.Equal("SELECT 10", Tag(messages));
        Assert.True(portal.Completed);
        Assert.Null(portal.Cursor);
        Assert.Equal(1, _h.Metrics.QueriesOk);
    }

    [Fact]
    public async Task A_row_limit_suspends_the_portal_and_the_next_execute_resumes_it()
    {
        var c = _h.Open();
        var prepared = Prepare(c, "SELECT item_id FROM sales ORDER BY item_id");
        var portal = new Portal("", prepared, [], [FormatCode.Text]);
        var first = await _h.WriteAsync(c, prepared.Handler.Execute(c, portal, 25), describe: false);
        Assert.Equal(new string('D', 25) + "s", Types(first));
        Assert.NotNull(portal.Cursor);
        var rest = await _h.WriteAsync(c, prepared.Handler.Execute(c, portal, 25), describe: false);
        Assert.Equal("DDDDDC", Types(rest));
        Assert.Equal("SELECT 5", Tag(rest));
        Assert.Equal("SELECT 0", Assert.IsType<CommandResult>(prepared.Handler.Execute(c, portal, 0)).Tag);
    }

    [Fact]
    public void Describe_of_a_portal_starts_the_query_for_its_real_columns()
    {
        var c = _h.Open();
        var prepared = Prepare(c, "SELECT amount, region FROM sales");
        var portal = new Portal("", prepared, [], [FormatCode.Binary]);
        var fields = prepared.Handler.DescribePortal(c, portal)!;
        Assert.NotNull(portal.Cursor);
        Assert.Equal([(PgTypes.Int8, FormatCode.Binary), (PgTypes.Text, FormatCode.Binary)], fields.Select(f => (f.TypeOid, f.Format)));
    }

    [Fact]
    public void A_refused_query_fails_at_prepare_with_a_refusal_noted_for_the_audit()
    {
        var c = _h.Open("consumer", "research");
        var e = Assert.Throws<PgErrorException>(() => Prepare(c, "SELECT email FROM marketing.sales"));
        Assert.Equal(SqlState.UndefinedColumn, e.SqlState);
        var refused = Assert.Throws<PgErrorException>(() => Prepare(c, "SELECT read_text('/etc/passwd')"));
        Assert.Equal(SqlState.InsufficientPrivilege, refused.SqlState);
        Assert.Equal("SELECT read_text('/etc/passwd')", Assert.IsType<AuditNote.Refusal>(AuditNote.Of(refused)).UserText);
    }

    [Fact]
    public void A_statement_prepared_before_its_grant_was_revoked_is_refused_at_bind()
    {
        var c = _h.Open("consumer", "research");
        var prepared = Prepare(c, "SELECT count(*) FROM marketing.sales");
        _h.Catalog.Change(w =>
        {
            var s = w.GetSubscription(1)!;
            w.UpdateSubscription(s with { StoredStatus = DataMesh.Gateway.Catalog.Model.SubscriptionStatus.Revoked });
            return 0;
        });
        var e = Assert.Throws<PgErrorException>(() => prepared.Handler.Revalidate(c, prepared));
        Assert.Equal(SqlState.InsufficientPrivilege, e.SqlState);
        Assert.IsType<AuditNote.Refusal>(AuditNote.Of(e));
    }
}
