using DataMesh.Gateway.Protocol.Errors;
using DataMesh.Gateway.Sql.Admin;
using DataMesh.Gateway.Sql.Lexing;
using DataMesh.Gateway.Sql.Statements;

namespace DataMesh.Gateway.Tests.Sql.Statements;

/// <summary>One classification per statement (<see cref="StatementParser"/>): the kind, its payload, and its refusals.</summary>
public sealed class StatementParserTests
{
    private static Statement Parse(string sql) => StatementParser.Parse(Assert.Single(StatementSplitter.Split(sql)));

    [Theory]
    [InlineData("SELECT 1", typeof(QueryStatement))]
    [InlineData("with x as (select 1) select * from x", typeof(QueryStatement))]
    [InlineData("(SELECT 1)", typeof(QueryStatement))]
    [InlineData("SELEC 1", typeof(QueryStatement))] // the engine's parser answers an unknown leading word
    [InlineData("SHOW TABLES", typeof(QueryStatement))]
    [InlineData("SHOW search_path", typeof(ShowStatement))]
    [InlineData("SHOW USERS", typeof(AdminCommandStatement))]
    [InlineData("SET search_path = public", typeof(SetStatement))]
    [InlineData("SET TRANSACTION ISOLATION LEVEL SERIALIZABLE", typeof(AcceptedStatement))]
    [InlineData("RESET ALL", typeof(ResetStatement))]
    [InlineData("DISCARD ALL", typeof(DiscardAllStatement))]
    [InlineData("DISCARD PLANS", typeof(AcceptedStatement))]
    [InlineData("DEALLOCATE ALL", typeof(DeallocateStatement))]
    [InlineData("UNLISTEN *", typeof(UnlistenStatement))]
    [InlineData("LOCK TABLE t", typeof(LockTableStatement))]
    [InlineData("PREPARE q AS SELECT 1", typeof(SqlPrepareStatement))]
    [InlineData("SELECT set_config('search_path', 'x', false)", typeof(SetConfigStatement))]
    [InlineData("SELECT set_config('search_path', 'x', false), 1", typeof(QueryStatement))]
    [InlineData("BEGIN", typeof(BeginStatement))]
    [InlineData("START TRANSACTION READ ONLY", typeof(BeginStatement))]
    [InlineData("END", typeof(CommitStatement))]
    [InlineData("ABORT", typeof(RollbackStatement))]
    [InlineData("SAVEPOINT s1", typeof(SavepointStatement))]
    [InlineData("RELEASE SAVEPOINT s1", typeof(ReleaseStatement))]
    [InlineData("ROLLBACK TO SAVEPOINT s1", typeof(RollbackToStatement))]
    [InlineData("DECLARE c CURSOR WITH HOLD FOR SELECT 1", typeof(DeclareCursorStatement))]
    [InlineData("MOVE ALL IN c", typeof(FetchStatement))]
    [InlineData("CLOSE ALL", typeof(CloseCursorStatement))]
    [InlineData("COPY (SELECT 1) TO STDOUT", typeof(CopyOutStatement))]
    [InlineData("CREATE TABLE workspace.t AS SELECT 1", typeof(WorkspaceWriteStatement))]
    [InlineData("DROP TABLE IF EXISTS workspace.t", typeof(WorkspaceWriteStatement))]
    [InlineData("SEARCH CATALOG 'sales'", typeof(AdminCommandStatement))]
    public void Each_statement_gets_one_kind(string sql, Type kind) => Assert.IsType(kind, Parse(sql));

    [Fact]
    public void An_empty_statement_is_its_own_kind() =>
        Assert.IsType<EmptyStatement>(StatementParser.Parse(new SqlStatement("", [])));

    [Theory]
    [InlineData("SHOW TABLES", "SELECT table_name AS name FROM information_schema.tables WHERE table_schema NOT IN ('main', 'pg_catalog', 'information_schema') ORDER BY name")]
    [InlineData("show all tables", "SELECT table_schema AS schema, table_name AS name, table_type AS type FROM information_schema.tables WHERE table_schema NOT IN ('main', 'pg_catalog', 'information_schema') ORDER BY schema, name")]
    public void Show_tables_runs_the_gateways_own_query(string sql, string text) =>
        Assert.Equal(text, Assert.IsType<QueryStatement>(Parse(sql)).GatewayText);

    [Theory]
    [InlineData("DELETE FROM t", SqlState.InsufficientPrivilege)]
    [InlineData("attach 'x.db'", SqlState.InsufficientPrivilege)]
    [InlineData("CREATE TABLE t AS SELECT 1", SqlState.InsufficientPrivilege)]
    [InlineData("COPY (SELECT 1) TO '/tmp/x'", SqlState.InsufficientPrivilege)]
    [InlineData("COPY t FROM STDIN", SqlState.InsufficientPrivilege)]
    [InlineData("COPY (SELECT 1) TO STDOUT (FORMAT binary, HEADER)", SqlState.FeatureNotSupported)]
    [InlineData("COPY (SELECT 1) TO STDOUT (FORMAT xml)", SqlState.InvalidParameterValue)]
    [InlineData("INSERT INTO workspace.t SELECT $1", SqlState.FeatureNotSupported)]
    [InlineData("DECLARE c CURSOR FOR DELETE FROM t", SqlState.InsufficientPrivilege)]
    [InlineData("DECLARE c CURSOR FOR SHOW x", SqlState.SyntaxError)]
    [InlineData("DECLARE c CURSOR FOR SELECT set_config('a', 'b', false)", SqlState.SyntaxError)]
    [InlineData("CLOSE a b", SqlState.SyntaxError)]
    public void The_grammar_refuses_at_once(string sql, string state) =>
        Assert.Equal(state, Assert.Throws<StatementException>(() => Parse(sql)).SqlState);

    [Theory]
    [InlineData("SET", SqlState.SyntaxError)]
    [InlineData("SET x", SqlState.SyntaxError)]
    [InlineData("SET SESSION AUTHORIZATION bob", SqlState.InsufficientPrivilege)]
    [InlineData("SET GLOBAL threads = 1", SqlState.InsufficientPrivilege)]
    [InlineData("SHOW", SqlState.SyntaxError)]
    [InlineData("RESET", SqlState.SyntaxError)]
    [InlineData("DISCARD EVERYTHING", SqlState.SyntaxError)]
    [InlineData("DEALLOCATE", SqlState.SyntaxError)]
    [InlineData("DISCARD", SqlState.SyntaxError)]
    [InlineData("SAVEPOINT", SqlState.SyntaxError)]
    [InlineData("ROLLBACK TO a b", SqlState.SyntaxError)]
    public void Malformed_session_and_transaction_control_fails_when_it_runs(string sql, string state)
    {
        var rejected = Assert.IsType<RejectedStatement>(Parse(sql));
        Assert.Equal(state, rejected.Error.SqlState);
    }

    [Fact]
    public void Set_reads_name_value_and_scope()
    {
        var set = Assert.IsType<SetStatement>(Parse("SET LOCAL Search_Path TO a, 'b'"));
        Assert.Equal(("search_path", false, true), (set.Name, set.ToDefault, set.Local));
        Assert.Equal([new SetArgument("a", SetArgumentKind.String), new SetArgument("b", SetArgumentKind.String)], set.Arguments);
        var time = Assert.IsType<SetStatement>(Parse("SET TIME ZONE DEFAULT"));
        Assert.Equal(("TimeZone", true, false), (time.Name, time.ToDefault, time.Local));
        Assert.True(Assert.IsType<SetStatement>(Parse("SET TIME ZONE LOCAL")).ToDefault);
        Assert.False(Assert.IsType<SetStatement>(Parse("SET search_path = local")).ToDefault);
        Assert.Equal("client_encoding", Assert.IsType<SetStatement>(Parse("SET NAMES 'UTF8'")).Name);
        Assert.Equal("transaction_isolation", Assert.IsType<ShowStatement>(Parse("SHOW TRANSACTION ISOLATION LEVEL")).Name);
        Assert.Equal("my.setting", Assert.IsType<ResetStatement>(Parse("RESET my.setting")).Name);
    }

    [Fact]
    public void Set_config_reads_its_arguments_and_alias()
    {
        var call = Assert.IsType<SetConfigStatement>(Parse("SELECT pg_catalog.set_config('search_path', '', 'on') AS \"Path\""));
        Assert.Equal(("search_path", "", true, "Path"), (call.Name, call.Value, call.IsLocal, call.ColumnName));
    }

    [Fact]
    public void Copy_and_workspace_writes_keep_the_parts_the_gateway_rebuilds()
    {
        var copy = Assert.IsType<CopyOutStatement>(Parse("COPY marketing.t (a, b) TO STDOUT WITH CSV HEADER DELIMITER ';'"));
        Assert.Equal(("SELECT a, b FROM marketing.t", true, true, ';', ""),
            (copy.Query, copy.Csv, copy.Options.Header, copy.Options.Delimiter, copy.Options.NullText));
        Assert.IsType<SqlPrepareStatement>(Parse("PREPARE q(oid) AS SELECT $1"));
        Assert.IsType<SqlExecuteStatement>(Parse("EXECUTE q('1')"));
        Assert.IsType<LockTableStatement>(Parse("LOCK TABLE t IN ACCESS SHARE MODE"));
        Assert.IsType<ListenStatement>(Parse("LISTEN datamesh_requests"));
        var insert = Assert.IsType<WorkspaceWriteStatement>(Parse("INSERT INTO workspace.t (a) SELECT 1"));
        Assert.Equal(("INSERT", "INSERT INTO workspace.t (a) ", "SELECT 1", "t"), (insert.Verb, insert.Prefix, insert.Query, insert.Table));
        Assert.True(Assert.IsType<WorkspaceWriteStatement>(Parse("create table if not exists workspace.t as select 1")).IfNotExists);
        Assert.False(Assert.IsType<WorkspaceWriteStatement>(Parse("CREATE OR REPLACE TABLE workspace.t AS SELECT 1")).IfNotExists);
    }

    [Fact]
    public void A_malformed_admin_command_says_where() =>
        Assert.Equal("CREATE PROJECT ".Length, Assert.Throws<AdminSyntaxException>(() => Parse("CREATE PROJECT 'x'")).Offset);

    [Theory]
    [InlineData("ROLLBACK", true)]
    [InlineData("abort", true)]
    [InlineData("COMMIT", true)]
    [InlineData("END", true)]
    [InlineData("SELECT 1", false)]
    [InlineData("SAVEPOINT a", false)]
    public void Only_transaction_ends_run_in_a_failed_block(string sql, bool ends) =>
        Assert.Equal(ends, StatementParser.EndsTransaction(One(sql)));

    private static SqlStatement One(string sql) => Assert.Single(StatementSplitter.Split(sql));
}
