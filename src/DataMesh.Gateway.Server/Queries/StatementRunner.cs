using DataMesh.Gateway.Admin;
using DataMesh.Gateway.Engine.Execution;
using DataMesh.Gateway.Policy.Rewrite;
using DataMesh.Gateway.Protocol.Errors;
using DataMesh.Gateway.Protocol.Messages.Backend;
using DataMesh.Gateway.Server.Connections;
using DataMesh.Gateway.Server.Governance;
using DataMesh.Gateway.Server.Sessions;
using DataMesh.Gateway.Sql;
using DataMesh.Gateway.Sql.Lexing;
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

    /// <summary>Where workspace rows came from, and whether those grants still stand (Lineage/WorkspaceLineageGuard).</summary>
    private readonly Lineage.WorkspaceLineageGuard _lineage = new(admin.Services.Catalog.Store, admin.Services.Catalog, governance, TimeProvider.System);

    public PreparedStatement Prepare(Session session, string name, SqlStatement statement, int[] declaredOids)
    {
        FollowGrants(session);
        if (TryParseAdmin(session, statement) is { } command)
            return new PreparedStatement(name, statement, StatementKind.Admin, [], null) { Admin = command };
        if (WorkspaceCommand.Matches(statement))
        {
            if (statement.Tokens.Any(t => t.Kind == SqlTokenKind.Parameter))
                throw new PgErrorException(SqlState.FeatureNotSupported, "workspace writes take no parameters");
            return new PreparedStatement(name, statement, StatementKind.WorkspaceWrite, [], null) { Workspace = WorkspaceCommand.Parse(statement) };
        }
        var kind = StatementClassifier.Classify(statement);
        switch (kind)
        {
            case StatementKind.EngineQuery:
            {
                RequireQueryKeyword(statement);
                // Planning (constant checks included) and DuckDB's prepare count against statement_timeout; DuckDB's
                // planner does not stop when interrupted, so the statement fails with 57014 as soon as it returns.
                using var timer = StatementTimer.Start(session, options);
                var showTables = StatementClassifier.ShowTablesQuery(statement);
                var sql = showTables ?? ParameterCasts.Apply(statement.Text, declaredOids, EngineTypeNames.For);
                var plan = PlanGoverned(session, statement.Text, sql);
                var query = PrepareEngineQuery(session, plan, sql);
                var written = ExplicitParameterTypes.Read(statement.Text, query.ParameterOids.Length, Engine.PgCatalogEmulation.TypeOid);
                if (showTables is null && InferredParameterTypes(declaredOids, query.ParameterOids, written) is { } inferred)
                    (sql, plan, query, declaredOids) = TypeUntypedParameters(session, statement, (sql, plan, query, declaredOids), inferred);
                if (session.IsCancelRequested)
                {
                    query.Dispose();
                    throw Canceled(session);
                }
                var oids = new int[query.ParameterOids.Length];
                for (var i = 0; i < oids.Length; i++)
                    oids[i] = i < declaredOids.Length && declaredOids[i] != 0 ? declaredOids[i] : query.ParameterOids[i] is not 0 ? query.ParameterOids[i]
                        : written[i] is not 0 ? written[i] : Protocol.Types.PgTypes.Text;
                var prepared = new PreparedStatement(name, statement, kind, oids, query) { EngineText = sql };
                prepared.SetPlan(plan);
                prepared.ColumnOrigins = ResultColumnOrigins.Resolve(plan.ColumnSources, governance.EngineSpec(session.Access).ShadowTables, query.Columns.Count);
                return prepared;
            }
            case StatementKind.CopyOut:
            {
                // COPY (SELECT …) TO STDOUT is governed exactly like the SELECT inside it.
                var copy = CopyCommand.Parse(statement);
                var plan = PlanGoverned(session, statement.Text, copy.Query);
                var prepared = new PreparedStatement(name, statement, kind, [], PrepareEngineQuery(session, plan, copy.Query)) { EngineText = copy.Query };
                prepared.SetPlan(plan);
                return prepared;
            }
            case StatementKind.Cursor:
                return PrepareCursor(session, name, statement, declaredOids);
            default:
                return new PreparedStatement(name, statement, kind, [], null);
        }
    }

    /// <summary>Parameter types the typed-parameter rules can use: a cast to these is one a client may declare itself.</summary>
    private static readonly HashSet<int> InferableParameterTypes =
    [
        Protocol.Types.PgTypes.Bool, Protocol.Types.PgTypes.Int2, Protocol.Types.PgTypes.Int4, Protocol.Types.PgTypes.Int8,
        Protocol.Types.PgTypes.Float8, Protocol.Types.PgTypes.Text, Protocol.Types.PgTypes.Varchar, Protocol.Types.PgTypes.Date,
        Protocol.Types.PgTypes.Timestamp,
    ];

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
            var plan = governance.Plan(session.Access, sql, session.RewriteOptions, session.Engine);
            _lineage.CheckReadable(session, plan); // cached plans too: a workspace table's grants may have gone since
            return plan;
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
        e.Data.Contains(ObjectReads.StorageErrorKey) ? e // the object store's own error, already about the asset
        : DataFaults.Diagnose(e, plan, admin.Services.Catalog.Snapshot, admin.Services.Metadata, streamingSince) ?? GovernedErrors.Translate(e, plan);

    private PreparedQuery PrepareEngineQuery(Session session, RewriteResult plan, string userSql)
    {
        PreparedQuery query;
        // DuckDB opens the files of an asset on an object store while it binds: they must be in the cache.
        using var held = HoldObjects(session, plan, validate: false);
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
        // PostgreSQL's names for unaliased columns (?column?, int4, exists, …), from the user's own syntax tree.
        if (plan.ColumnNames is { } names && names.Count == query.Columns.Count) query.RenameColumns(names);
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

    private static readonly HashSet<string> QueryKeywords = new(StringComparer.OrdinalIgnoreCase)
    {
        "SELECT", "WITH", "VALUES", "TABLE", "FROM", "DESCRIBE", "SUMMARIZE", "PIVOT", "UNPIVOT",
    };

    // Statement keywords of things that are not queries. A leading word that is neither a query keyword nor one of
    // these is left to the engine's parser, which answers with a syntax error (SELEC 1 is 42601, as in PostgreSQL).
    private static readonly HashSet<string> NonQueryKeywords = new(StringComparer.OrdinalIgnoreCase)
    {
        "ALTER", "ANALYZE", "ATTACH", "CALL", "CHECKPOINT", "COMMENT", "CREATE", "DECLARE", "DELETE", "DETACH", "DROP",
        "EXECUTE", "EXPLAIN", "EXPORT", "FETCH", "FORCE", "GRANT", "IMPORT", "INSERT", "INSTALL", "LOAD", "MERGE", "MOVE",
        "PRAGMA", "PREPARE", "REINDEX", "REVOKE", "TRUNCATE", "UPDATE", "UPSERT", "USE", "VACUUM",
    };

    /// <summary>
    /// Refuses non-queries by their leading keyword before the engine sees them at all: even preparing DROP TABLE t
    /// would tell the caller whether t exists. Whatever passes is checked again by statement type after parsing.
    /// </summary>
    private static void RequireQueryKeyword(SqlStatement statement)
    {
        var first = statement.Tokens.Count > 0 ? statement.Tokens[0] : default;
        if (first.Kind != SqlTokenKind.Word || QueryKeywords.Contains(first.Value) || !NonQueryKeywords.Contains(first.Value)) return;
        throw new PgErrorException(SqlState.InsufficientPrivilege,
            $"{first.Value.ToUpperInvariant()} statements are not allowed through the gateway; only queries are");
    }

    private static string StatementTypeName(DuckDBStatementType type) => type.ToString().ToUpperInvariant();

    /// <summary>Runs a portal. Returns true when it stopped at <paramref name="maxRows"/> (PortalSuspended was sent).</summary>
    public async Task<bool> ExecuteAsync(Session session, Portal portal, int maxRows, bool sendRowDescription)
    {
        var statement = portal.Statement;
        switch (statement.Kind)
        {
            case StatementKind.Transaction:
            {
                var settings = session.Parameters.Version;
                Complete(session, TransactionStatements.Execute(session, statement.Statement), sendRowDescription);
                // ROLLBACK restores settings, COMMIT drops SET LOCAL ones: current_setting() must follow.
                if (session.Parameters.Version != settings) session.Engine.SetSettings(session.Parameters.Changed);
                return false;
            }
            case StatementKind.Session when statement.Statement.Tokens[0].IsWord("PREPARE"):
                PrepareSql(session, statement, sendRowDescription);
                return false;
            case StatementKind.Session when statement.Statement.Tokens[0].IsWord("EXECUTE"):
                return await ExecuteSqlAsync(session, statement).ConfigureAwait(false);
            case StatementKind.Session when statement.Statement.Tokens[0].IsWord("LOCK"):
                Complete(session, LockStatement.Execute(session, statement.Statement, governance.EngineSpec(session.Access).ShadowTables), sendRowDescription);
                return false;
            case StatementKind.Session:
                Complete(session, SessionStatements.Execute(session, statement.Statement), sendRowDescription);
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
            if (sendRowDescription) Out.RowDescription(Describe(cursor.Columns, portal.ResultFormats, statement.ColumnOrigins));
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

    private QueryCursor Start(Session session, PreparedStatement statement, object?[] parameters)
    {
        Revalidate(session, statement);
        var query = statement.EngineQuery!;
        using var timer = StatementTimer.Start(session, options);
        // Objects on object stores: fetched and held until the cursor closes; their listing against the pinned ETags
        // runs alongside the engine's first chunk, and no row is sent before it passed.
        var held = statement.Plan is { } read ? HoldObjects(session, read, validate: false) : null;
        try
        {
            if (session.IsCancelRequested) throw Canceled(session);
            // Constants over parameters are checked with the bound values before the query touches any data.
            if (statement.Plan?.Constants is { ParameterCheck: { } check } constants)
                session.Engine.Constants.RunWithParameters(check, constants.CheckedParameters, parameters);
            var listing = statement.Plan is { } read2 ? governance.Objects?.StartValidation(read2, session.Cancellation) : null;
            var cursor = session.Engine.Execute(query, parameters);
            cursor.Holds = held;
            cursor.Gate = listing;
            held = null;
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
        finally
        {
            held?.Dispose();
        }
    }

    /// <summary>The local files a plan reads, checked; the cached objects it reads from object stores, fetched and held; a
    /// cancel or timeout stops the wait.</summary>
    private IDisposable? HoldObjects(Session session, RewriteResult plan, bool validate)
    {
        // Local files: links swapped in after CREATE ASSET are refused before the engine opens anything.
        governance.VerifyLocalFiles(plan);
        if (governance.Objects is not { } objects) return null;
        try
        {
            return objects.Acquire(session.Access.Project, plan, validate, session.Cancellation);
        }
        catch (OperationCanceledException) when (session.IsCancelRequested)
        {
            throw Canceled(session);
        }
    }

    /// <summary>A portal still streaming from a grant that was revoked or expired since it started is closed.</summary>
    private void EnsureStillAllowed(Session session, PreparedStatement statement)
    {
        if (statement.Plan is { } plan && !governance.StillAllows(session.Access, plan))
            throw new PgErrorException(SqlState.InsufficientPrivilege,
                "the subscription that allowed this query was revoked or has expired; the result was closed");
        if (statement.Plan is { } read) _lineage.EnsureStillReadable(session, read);
    }

}
