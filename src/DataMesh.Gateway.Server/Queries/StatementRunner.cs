using System.Buffers;
using DataMesh.Gateway.Admin;
using DataMesh.Gateway.Engine.Execution;
using DataMesh.Gateway.Protocol.Errors;
using DataMesh.Gateway.Protocol.Messages.Backend;
using DataMesh.Gateway.Protocol.Messages.Frontend;
using DataMesh.Gateway.Server.Cancellation;
using DataMesh.Gateway.Server.Connections;
using DataMesh.Gateway.Server.Governance;
using DataMesh.Gateway.Policy.Rewrite;
using DataMesh.Gateway.Server.Sessions;
using DataMesh.Gateway.Sql;
using DataMesh.Gateway.Sql.Admin;
using DataMesh.Gateway.Sql.Lexing;
using DataMesh.Gateway.Sql.Statements;
using DuckDB.NET.Native;

namespace DataMesh.Gateway.Server.Queries;

/// <summary>
/// Prepares, describes and runs statements for both the simple and the extended protocol, so the two paths
/// cannot drift apart. Rows stream from the engine cursor into the output, flushing every batch.
/// </summary>
public sealed partial class StatementRunner(WireTransport transport, GatewayServerOptions options, AdminExecutor admin, GovernanceService governance,
    QueryAuditor auditor)
{
    private BackendWriter Out => transport.Backend;

    public PreparedStatement Prepare(Session session, string name, SqlStatement statement, int[] declaredOids)
    {
        FollowGrants(session);
        var parsed = Parse(session, statement);
        switch (parsed)
        {
            case AdminCommandStatement:
                return new PreparedStatement(name, statement, StatementKind.Admin, [], null) { Parsed = parsed };
            case WorkspaceWriteStatement:
                return new PreparedStatement(name, statement, StatementKind.WorkspaceWrite, [], null) { Parsed = parsed };
            case QueryStatement query:
                return PrepareQuery(session, name, query, declaredOids);
            case CopyOutStatement copy:
            {
                // COPY (SELECT …) TO STDOUT is governed exactly like the SELECT inside it.
                var plan = PlanGoverned(session, statement.Text, copy.Query);
                var prepared = new PreparedStatement(name, statement, StatementKind.CopyOut, [], PrepareEngineQuery(session, plan, copy.Query))
                {
                    EngineText = copy.Query,
                    Parsed = parsed,
                };
                prepared.SetPlan(plan);
                return prepared;
            }
            case DeclareCursorStatement declare:
                return PrepareDeclare(session, name, declare, declaredOids);
            case FetchStatement or CloseCursorStatement:
                return new PreparedStatement(name, statement, StatementKind.Cursor, [], null) { Parsed = parsed };
            case TransactionStatement:
                return new PreparedStatement(name, statement, StatementKind.Transaction, [], null) { Parsed = parsed };
            default: // session statements, empty and rejected ones
                return new PreparedStatement(name, statement, StatementKind.Session, [], null) { Parsed = parsed };
        }
    }

    private PreparedStatement PrepareQuery(Session session, string name, QueryStatement statement, int[] declaredOids)
    {
        var source = statement.Source;
        // Planning (constant checks included) and DuckDB's prepare count against statement_timeout; DuckDB's
        // planner does not stop when interrupted, so the statement fails with 57014 as soon as it returns.
        using var timer = StatementTimer.Start(session, options);
        var sql = statement.GatewayText ?? ParameterCasts.Apply(source.Text, declaredOids, EngineTypeNames.For);
        var plan = PlanGoverned(session, source.Text, sql);
        var query = PrepareEngineQuery(session, plan, sql);
        if (statement.GatewayText is null && InferredParameterTypes(declaredOids, query.ParameterOids) is { } inferred)
            (sql, plan, query, declaredOids) = TypeUntypedParameters(session, source, (sql, plan, query, declaredOids), inferred);
        if (session.IsCancelRequested)
        {
            query.Dispose();
            throw Canceled(session);
        }
        var oids = new int[query.ParameterOids.Length];
        for (var i = 0; i < oids.Length; i++)
            oids[i] = i < declaredOids.Length && declaredOids[i] != 0 ? declaredOids[i] : query.ParameterOids[i] is 0 ? Protocol.Types.PgTypes.Text : query.ParameterOids[i];
        var prepared = new PreparedStatement(name, source, StatementKind.EngineQuery, oids, query) { EngineText = sql, Parsed = statement };
        prepared.SetPlan(plan);
        return prepared;
    }

    /// <summary>Parameter types the typed-parameter rules can use: a cast to these is one a client may declare itself.</summary>
    private static readonly HashSet<int> InferableParameterTypes =
    [
        Protocol.Types.PgTypes.Bool, Protocol.Types.PgTypes.Int2, Protocol.Types.PgTypes.Int4, Protocol.Types.PgTypes.Int8,
        Protocol.Types.PgTypes.Float8, Protocol.Types.PgTypes.Text, Protocol.Types.PgTypes.Varchar, Protocol.Types.PgTypes.Date,
        Protocol.Types.PgTypes.Timestamp,
    ];

    /// <summary>
    /// The declared types completed with the engine's inference for parameters the client left untyped (OID 0:
    /// pgbench, node-postgres, psycopg 3's str), or null when no untyped parameter got a usable type.
    /// </summary>
    private static int[]? InferredParameterTypes(int[] declared, IReadOnlyList<int> engine)
    {
        int[]? completed = null;
        for (var i = 0; i < engine.Count; i++)
        {
            // 0 (unspecified) and 705 (unknown, Npgsql's NpgsqlDbType.Unknown) both leave the type to the server.
            if (i < declared.Length && declared[i] is not (0 or Protocol.Types.PgTypes.Unknown)) continue;
            if (!InferableParameterTypes.Contains(engine[i])) continue;
            completed ??= Enumerable.Range(0, engine.Count).Select(j => j < declared.Length ? declared[j] : 0).ToArray();
            completed[i] = engine[i];
        }
        return completed;
    }

    /// <summary>
    /// Plans the statement again as if the client had declared the types the engine inferred for its untyped
    /// parameters, as PostgreSQL infers unknown parameter types at Parse and reports them in ParameterDescription.
    /// The text then carries <c>CAST($n AS T)</c>, the parameter's value is decoded as T at Bind (one value per
    /// execution), and the typed-parameter rule lets <c>col = $1</c> stay unfenced (row-group pruning) exactly as
    /// for a client that typed it. The second plan is governed like any other text; if it cannot be planned or
    /// prepared (a parameter used with two types), the untyped first plan stays.
    /// </summary>
    private (string Sql, RewriteResult Plan, PreparedQuery Query, int[] Declared) TypeUntypedParameters(
        Session session, SqlStatement statement, (string Sql, RewriteResult Plan, PreparedQuery Query, int[] Declared) first, int[] inferred)
    {
        var sql = ParameterCasts.Apply(statement.Text, inferred, EngineTypeNames.For);
        PreparedQuery? query = null;
        try
        {
            var plan = governance.Plan(session.Access, sql, session.RewriteOptions, session.Engine);
            query = PrepareEngineQuery(session, plan, sql);
            if (query.ParameterOids.Length != first.Query.ParameterOids.Length)
            {
                query.Dispose();
                return first;
            }
            first.Query.Dispose();
            return (sql, plan, query, inferred);
        }
        catch (PgErrorException)
        {
            query?.Dispose();
            return first;
        }
    }

    /// <summary>
    /// Classifies the statement (<see cref="StatementParser"/>). A malformed admin command is 42601 pointing at the
    /// offending word, and audited.
    /// </summary>
    private Statement Parse(Session session, SqlStatement statement)
    {
        try
        {
            return StatementParser.Parse(statement);
        }
        catch (StatementException e)
        {
            throw StatementErrors.ToPg(e);
        }
        catch (AdminSyntaxException e)
        {
            var error = new PgErrorException(SqlState.SyntaxError, e.Message, position: StatementOffset(statement) + e.Offset + 1);
            // The text may hold a password the parser could not place: audit only the leading words.
            var words = string.Join(' ', statement.Tokens.TakeWhile(t => t.Kind == SqlTokenKind.Word).Take(3).Select(t => t.Text.ToUpperInvariant()));
            admin.AuditRejected(session.AdminCaller, session.Database, words + " …", error);
            throw error;
        }
    }

    private static int StatementOffset(SqlStatement statement) => statement.Tokens.Count > 0 ? statement.Tokens[0].Offset : 0;

    private AdminResult RunAdmin(Session session, PreparedStatement statement) =>
        admin.Execute(((AdminCommandStatement)statement.Parsed).Command, session.AdminCaller, session.Database, Redact(statement), StatementOffset(statement.Statement));

    /// <summary>The statement text for the audit log, with password literals replaced: secrets never reach the log.</summary>
    private static string Redact(PreparedStatement statement)
    {
        if (statement.Parsed is not AdminCommandStatement { Command: CreateUser or AlterUserPassword }) return statement.Statement.Text;
        var text = statement.Statement.Text;
        var start = StatementOffset(statement.Statement);
        var sb = new System.Text.StringBuilder();
        var last = 0;
        var tokens = statement.Statement.Tokens;
        for (var i = 1; i < tokens.Count; i++)
        {
            if (tokens[i].Kind != SqlTokenKind.String || !tokens[i - 1].IsWord("PASSWORD")) continue;
            var at = tokens[i].Offset - start;
            sb.Append(text, last, at - last).Append("'********'");
            last = at + tokens[i].Text.Length;
        }
        return sb.Append(text, last, text.Length - last).ToString();
    }

    /// <summary>
    /// Moves the session to its project's current instance when the grants changed (DuckDB's allow list and the
    /// shadow catalog must match them), unless a portal is still streaming on the old one.
    /// </summary>
    private void FollowGrants(Session session)
    {
        var spec = governance.EngineSpec(session.Access);
        if (spec.Fingerprint == session.EngineFingerprint || session.HasOpenCursor) return;
        var engine = governance.OpenEngine(spec);
        try
        {
            session.Introduce(engine, governance.DatabasesOf(session.Access));
        }
        catch
        {
            engine.Dispose();
            throw;
        }
        foreach (var statement in session.Statements.Values) statement.Detach();
        session.SwapEngine(engine, spec.Fingerprint);
        session.RewriteOptions = GovernanceService.OptionsFor(session.Engine);
        session.ProjectStatementTimeout = governance.ProjectStatementTimeout(session.Access);
    }

    private const string AuditedKey = "datamesh.audited";

    /// <summary>The governed rewrite of a consumer query; a refusal is audited (the user's text only) and thrown.</summary>
    private RewriteResult PlanGoverned(Session session, string userText, string sql)
    {
        try
        {
            return governance.Plan(session.Access, sql, session.RewriteOptions, session.Engine);
        }
        catch (PgErrorException e) when (e.SqlState == SqlState.QueryCanceled && session.IsCancelRequested)
        {
            throw Canceled(session); // a constant check interrupted by a cancel or the statement timeout
        }
        catch (PgErrorException e)
        {
            auditor.Refused(session.Access, userText, e);
            e.Data[AuditedKey] = true; // a refusal met again at Execute is not recorded twice
            throw;
        }
    }

    /// <summary>
    /// Before Bind and Execute: a statement prepared under an older policy version is planned again, so a revoked or
    /// expired grant stops working for the next statement even in a session that prepared it earlier.
    /// </summary>
    public void Revalidate(Session session, PreparedStatement statement)
    {
        if (statement.Plan is not { } plan || statement.EngineText is not { } text) return;
        if (!statement.IsDetached && governance.Grants(session.Access).Fingerprint == plan.PolicyVersion) return;
        FollowGrants(session);
        var fresh = PlanGoverned(session, statement.Statement.Text, text);
        if (fresh.Sql == plan.Sql && !statement.IsDetached)
        {
            statement.SetPlan(fresh);
            return;
        }
        var query = PrepareEngineQuery(session, fresh, text);
        if (query.ParameterOids.Length != statement.ParameterOids.Length)
        {
            query.Dispose();
            throw new PgErrorException(SqlState.FeatureNotSupported, "the prepared statement's grants changed; prepare it again");
        }
        statement.Replace(query, fresh);
    }

    /// <summary>A fault of the asset's files (drift, corruption, a vanished file) first; else the engine's error,
    /// with whatever it shows of the rewrite removed.</summary>
    private PgErrorException TranslateEngineError(PgErrorException e, RewriteResult plan, DateTime? streamingSince = null) =>
        DataFaults.Diagnose(e, plan, admin.Services.Catalog.Snapshot, admin.Services.Metadata, streamingSince) ?? GovernedErrors.Translate(e, plan);

    private PreparedQuery PrepareEngineQuery(Session session, RewriteResult plan, string userSql)
    {
        PreparedQuery query;
        try
        {
            query = session.Engine.Prepare(plan.Sql);
        }
        catch (PgErrorException e) when (e.SqlState == SqlState.QueryCanceled && session.IsCancelRequested)
        {
            throw Canceled(session); // DuckDB's "Interrupted!" while binding or planning: say why, as PostgreSQL does
        }
        catch (PgErrorException e)
        {
            throw TranslateEngineError(e, plan);
        }
        // Only queries reach the engine. Everything that could change it (ATTACH, COPY TO a file, INSTALL, LOAD,
        // PRAGMA, SET, CREATE, …) is refused here, before it runs; the engine's own lockdown is a second wall.
        if (query.StatementType is not (DuckDBStatementType.Select))
        {
            query.Dispose();
            throw new PgErrorException(SqlState.InsufficientPrivilege,
                $"{StatementTypeName(query.StatementType)} statements are not allowed through the gateway; only queries are");
        }
        NameColumnsAfterUserText(session, query, plan, userSql);
        return query;
    }

    /// <summary>
    /// DuckDB names an unaliased expression column after its text, and the engine ran the rewritten text: a column
    /// such as <c>(SELECT count(*) FROM t)</c> would be named after the policy subquery (paths, filters). Such names
    /// are taken from the user's own text instead, prepared (never run) against the project's shadow tables, or,
    /// when that cannot be done, replaced by PostgreSQL's <c>?column?</c>.
    /// </summary>
    private static void NameColumnsAfterUserText(Session session, PreparedQuery query, RewriteResult plan, string userSql)
    {
        if (plan.Grants.Count == 0 || !query.Columns.Any(c => GovernedErrors.NameLeaks(c.Name))) return;
        var own = session.Engine.DescribeNames(userSql);
        var names = query.Columns.Select((c, i) => !GovernedErrors.NameLeaks(c.Name) ? c.Name
            : own is not null && own.Count == query.Columns.Count && !GovernedErrors.NameLeaks(own[i]) ? own[i] : "?column?").ToList();
        query.RenameColumns(names);
    }

    private static string StatementTypeName(DuckDBStatementType type) => type.ToString().ToUpperInvariant();

    /// <summary>Describe of a statement: ParameterDescription, then RowDescription (text formats) or NoData.</summary>
    public void DescribeStatement(Session session, PreparedStatement statement)
    {
        Revalidate(session, statement);
        Out.ParameterDescription(statement.ParameterOids);
        if (statement.Kind == StatementKind.Cursor) DescribeFetch(session, statement, []);
        else WriteRowDescriptionOrNoData(statement, null, []);
    }

    /// <summary>Describe of a portal: the engine query starts here, so the description has the real result types.</summary>
    public void DescribePortal(Session session, Portal portal)
    {
        if (portal.Statement.Kind == StatementKind.Admin)
        {
            // An admin command's columns are known only once it ran: it runs here, once, and Execute sends the rows.
            var result = portal.AdminResult ??= RunAdmin(session, portal.Statement);
            if (result.Columns.Count > 0) Out.RowDescription(AdminResultWriter.Describe(result, portal.ResultFormats));
            else Out.NoData();
            return;
        }
        if (portal.Statement.Kind == StatementKind.Cursor)
        {
            DescribeFetch(session, portal.Statement, portal.ResultFormats);
            return;
        }
        QueryCursor? cursor = null;
        if (portal.Statement.Kind == StatementKind.EngineQuery && !portal.Completed)
            cursor = portal.Cursor ??= Start(session, portal.Statement, portal.Parameters);
        WriteRowDescriptionOrNoData(portal.Statement, cursor, portal.ResultFormats);
    }

    private void WriteRowDescriptionOrNoData(PreparedStatement statement, QueryCursor? cursor, FormatCode[] formats)
    {
        switch (statement.Kind)
        {
            case StatementKind.EngineQuery:
                var columns = cursor?.Columns ?? statement.EngineQuery!.Columns;
                Out.RowDescription(Describe(columns, formats));
                break;
            case StatementKind.Session when SessionStatements.ResultColumnOf(statement.Parsed) is { } column:
                Out.RowDescription([new FieldDescription(column, Protocol.Types.PgTypes.Text, -1, -1)]);
                break;
            default:
                Out.NoData();
                break;
        }
    }

    private static List<FieldDescription> Describe(IReadOnlyList<ResultColumn> columns, FormatCode[] formats) =>
        columns.Select((c, i) => new FieldDescription(c.Name, c.TypeOid, c.TypeLength, c.TypeModifier, BindMessage.FormatFor(formats, i))).ToList();

    /// <summary>Runs a portal. Returns true when it stopped at <paramref name="maxRows"/> (PortalSuspended was sent).</summary>
    public async Task<bool> ExecuteAsync(Session session, Portal portal, int maxRows, bool sendRowDescription)
    {
        var statement = portal.Statement;
        switch (statement.Kind)
        {
            case StatementKind.Transaction:
            {
                var settings = session.Parameters.Version;
                Complete(session, TransactionStatements.Execute(session, statement.Parsed), sendRowDescription);
                // ROLLBACK restores settings, COMMIT drops SET LOCAL ones: current_setting() must follow.
                if (session.Parameters.Version != settings) session.Engine.SetSettings(session.Parameters.Changed);
                return false;
            }
            case StatementKind.Session:
                Complete(session, SessionStatements.Execute(session, statement.Parsed), sendRowDescription);
                session.Engine.SetSettings(session.Parameters.Changed); // current_setting() follows SET and RESET
                return false;
            case StatementKind.CopyOut:
                await CopyOutAsync(session, statement).ConfigureAwait(false);
                return false;
            case StatementKind.Cursor:
                return await ExecuteCursorAsync(session, portal, sendRowDescription).ConfigureAwait(false);
            case StatementKind.Admin:
                ExecuteAdmin(session, portal, sendRowDescription);
                return false;
            case StatementKind.WorkspaceWrite:
                WriteWorkspace(session, statement);
                return false;
        }

        if (portal.Completed)
        {
            Out.CommandComplete("SELECT 0");
            return false;
        }
        portal.StartedAt ??= System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            var cursor = portal.Cursor ??= Start(session, statement, portal.Parameters);
            if (sendRowDescription) Out.RowDescription(Describe(cursor.Columns, portal.ResultFormats));
            var before = cursor.RowsAffected;
            var stop = await StreamAsync(session, statement, cursor, portal.ResultFormats, maxRows).ConfigureAwait(false);
            if (stop == CursorStop.RowLimit)
            {
                Out.PortalSuspended();
                return true;
            }
            // As in PostgreSQL, the tag counts the rows of this Execute, not of the whole portal.
            Out.CommandComplete($"SELECT {cursor.RowsAffected - before}");
            auditor.Completed(session.Access, statement, cursor.RowsAffected, portal.StartedAt.Value);
            portal.Completed = true;
            portal.Dispose();
            return false;
        }
        catch (PgErrorException e)
        {
            if (!e.Data.Contains(AuditedKey)) auditor.Failed(session.Access, statement, e, portal.StartedAt.Value);
            throw;
        }
    }

    /// <summary>
    /// A write to the project's workspace: owners and contributors only; its query part is governed like any query,
    /// so derived tables never hold more than the project may read. Audited like a query, with the assets it read.
    /// It runs when executed (the gateway's transaction blocks do not defer it).
    /// </summary>
    private void WriteWorkspace(Session session, PreparedStatement statement)
    {
        var command = (WorkspaceWriteStatement)statement.Parsed;
        FollowGrants(session);
        if (!session.RewriteOptions.Workspace)
            throw new PgErrorException(SqlState.FeatureNotSupported,
                $"project \"{session.Access.Project}\" has no workspace (its profile has no workspace blueprint)");
        if (session.Engine.Workspace != Engine.Instances.WorkspaceAccess.ReadWrite && session.Access.CanWriteWorkspace)
            throw new PgErrorException(SqlState.ObjectInUse,
                $"the workspace of project \"{session.Access.Project}\" is open for writing by another gateway process; it is read-only here");
        if (!session.Access.CanWriteWorkspace)
            throw new PgErrorException(SqlState.InsufficientPrivilege,
                $"writing to the workspace of project \"{session.Access.Project}\" needs the contributor or owner role; viewers may only read it");
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        RewriteResult? plan = null;
        try
        {
            var sql = command.Prefix;
            if (command.Query is { } query)
            {
                plan = PlanGoverned(session, statement.Statement.Text, query);
                statement.SetPlan(plan);
                sql += plan.Sql;
            }
            using var timer = StatementTimer.Start(session, options);
            long rows;
            try
            {
                rows = session.Engine.ExecuteWorkspaceWrite(sql);
                if (command.Verb == "CREATE") rows = session.Engine.CountWorkspaceRows(command.Table);
            }
            catch (PgErrorException e) when (plan is not null)
            {
                throw TranslateEngineError(e, plan);
            }
            Out.CommandComplete(command.Verb switch
            {
                "CREATE" => $"SELECT {rows}",
                "INSERT" => $"INSERT 0 {rows}",
                _ => "DROP TABLE",
            });
            auditor.Completed(session.Access, statement, rows, started);
        }
        catch (PgErrorException e)
        {
            if (!e.Data.Contains(AuditedKey)) auditor.Failed(session.Access, statement, e, started);
            throw;
        }
    }

    private void ExecuteAdmin(Session session, Portal portal, bool sendRowDescription)
    {
        if (portal.Completed)
        {
            Out.CommandComplete("SELECT 0");
            return;
        }
        var result = portal.AdminResult ??= RunAdmin(session, portal.Statement);
        foreach (var notice in result.Notices) Out.Notice(PgErrorSeverity.Notice, SqlState.SuccessfulCompletion, notice.Message, notice.Detail, notice.Hint);
        if (sendRowDescription && result.Columns.Count > 0) Out.RowDescription(AdminResultWriter.Describe(result, portal.ResultFormats));
        AdminResultWriter.WriteRows(Out, result, portal.ResultFormats);
        Out.CommandComplete(AdminResultWriter.CommandTag(result));
        portal.Completed = true;
    }

    private QueryCursor Start(Session session, PreparedStatement statement, object?[] parameters)
    {
        Revalidate(session, statement);
        var query = statement.EngineQuery!;
        using var timer = StatementTimer.Start(session, options);
        try
        {
            if (session.IsCancelRequested) throw Canceled(session);
            // Constants over parameters are checked with the bound values before the query touches any data.
            if (statement.Plan?.Constants is { ParameterCheck: { } check } constants)
                session.Engine.Constants.RunWithParameters(check, constants.CheckedParameters, parameters);
            var cursor = session.Engine.Execute(query, parameters);
            if (session.IsCancelRequested)
            {
                cursor.Dispose();
                throw Canceled(session);
            }
            return cursor;
        }
        catch (PgErrorException e) when (e.SqlState == SqlState.QueryCanceled)
        {
            throw Canceled(session);
        }
        catch (PgErrorException e) when (statement.Plan is { } plan)
        {
            throw TranslateEngineError(e, plan);
        }
    }

    /// <summary>A portal still streaming from a grant that was revoked or expired since it started is closed.</summary>
    private void EnsureStillAllowed(Session session, PreparedStatement statement)
    {
        if (statement.Plan is { } plan && !governance.StillAllows(session.Access, plan))
            throw new PgErrorException(SqlState.InsufficientPrivilege,
                "the subscription that allowed this query was revoked or has expired; the result was closed");
    }

    private async Task<CursorStop> StreamAsync(Session session, PreparedStatement statement, QueryCursor cursor, FormatCode[] formats, int maxRows)
    {
        using var timer = StatementTimer.Start(session, options);
        using var streaming = session.Engine.EnterStreaming();
        var start = cursor.RowsAffected;
        try
        {
            while (true)
            {
                if (session.IsCancelRequested) throw Canceled(session);
                EnsureStillAllowed(session, statement);
                var remaining = maxRows > 0 ? maxRows - (cursor.RowsAffected - start) : 0;
                var stop = cursor.WriteRows(Out, formats, remaining, options.WriteBatchBytes, options.MaxResultRowBytes);
                if (stop != CursorStop.BufferFull) return stop;
                await transport.FlushAsync().ConfigureAwait(false);
            }
        }
        catch (PgErrorException e) when (e.SqlState == SqlState.QueryCanceled)
        {
            throw Canceled(session);
        }
        catch (PgErrorException e) when (statement.Plan is { } plan)
        {
            throw TranslateEngineError(e, plan, cursor.StartedUtc);
        }
    }

    private async Task CopyOutAsync(Session session, PreparedStatement statement)
    {
        var copy = (CopyOutStatement)statement.Parsed;
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            await CopyRowsAsync(session, statement, copy).ConfigureAwait(false);
        }
        catch (PgErrorException e)
        {
            if (!e.Data.Contains(AuditedKey)) auditor.Failed(session.Access, statement, e, started);
            throw;
        }
    }

    private async Task CopyRowsAsync(Session session, PreparedStatement statement, CopyOutStatement copy)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        using var cursor = Start(session, statement, []);
        var formatter = new CopyRowFormatter(copy);
        var line = new ArrayBufferWriter<byte>(1024);
        Out.CopyOutResponse(FormatCode.Text, cursor.Columns.Count);
        if (copy.Header && copy.Csv)
        {
            formatter.WriteHeader(cursor.Columns.Select(c => c.Name), line);
            Out.CopyData(line.WrittenSpan);
        }

        // Rows are encoded as text DataRows into a scratch buffer, then re-framed as COPY lines.
        var scratch = new ArrayBufferWriter<byte>(64 * 1024);
        var rowWriter = new BackendWriter(scratch);
        using var timer = StatementTimer.Start(session, options);
        using var streaming = session.Engine.EnterStreaming();
        FormatCode[] text = [FormatCode.Text];
        try
        {
            while (true)
            {
                if (session.IsCancelRequested) throw Canceled(session);
                EnsureStillAllowed(session, statement);
                scratch.ResetWrittenCount();
                rowWriter.ResetPending();
                var stop = cursor.WriteRows(rowWriter, text, 0, options.WriteBatchBytes, options.MaxResultRowBytes);
                var rows = scratch.WrittenSpan;
                while (!rows.IsEmpty)
                {
                    var length = 1 + System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(rows[1..]);
                    line.ResetWrittenCount();
                    formatter.WriteRow(rows[..length], line);
                    Out.CopyData(line.WrittenSpan);
                    rows = rows[length..];
                }
                if (Out.PendingBytes >= options.WriteBatchBytes) await transport.FlushAsync().ConfigureAwait(false);
                if (stop == CursorStop.Completed) break;
            }
        }
        catch (PgErrorException e) when (e.SqlState == SqlState.QueryCanceled)
        {
            throw Canceled(session);
        }
        catch (PgErrorException e) when (statement.Plan is { } plan)
        {
            throw TranslateEngineError(e, plan, cursor.StartedUtc);
        }
        Out.CopyDone();
        Out.CommandComplete($"COPY {cursor.RowsAffected}");
        auditor.Completed(session.Access, statement, cursor.RowsAffected, started);
    }

    private void Complete(Session session, StatementOutcome outcome, bool sendRowDescription)
    {
        foreach (var (severity, state, message) in outcome.Notices) Out.Notice(severity, state, message);
        if (outcome.HasRow)
        {
            if (sendRowDescription) Out.RowDescription([outcome.RowField]);
            WriteTextRow(outcome.ResultValue!);
        }
        Out.CommandComplete(outcome.Tag);
        foreach (var name in outcome.ChangedParameters) Out.ParameterStatus(name, session.Parameters.Get(name));
    }

    private void WriteTextRow(string value)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(value);
        var span = Out.Output.GetSpan(11 + bytes.Length);
        var builder = new DataRowBuilder(span, 1);
        bytes.CopyTo(builder.Free);
        builder.Commit(bytes.Length);
        var n = builder.Finish();
        Out.Output.Advance(n);
        Out.AddPending(n);
    }

    private static PgErrorException Canceled(Session session) => session.CancelReason == CancelReasons.Shutdown
        ? PgErrorException.Fatal(SqlState.AdminShutdown, CancelReasons.Shutdown)
        : new PgErrorException(SqlState.QueryCanceled, session.CancelReason ?? CancelReasons.UserRequest);
}
