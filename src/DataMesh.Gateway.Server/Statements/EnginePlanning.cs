using DataMesh.Gateway.Engine.Execution;
using DataMesh.Gateway.Policy.Rewrite;
using DataMesh.Gateway.Protocol.Errors;
using DataMesh.Gateway.Server.Governance;
using DataMesh.Gateway.Server.Responses;
using DataMesh.Gateway.Sql;
using DataMesh.Gateway.Sql.Statements;

namespace DataMesh.Gateway.Server.Statements;

/// <summary>
/// Preparing a consumer query in the engine: the governed plan (a refusal is noted for the audit), the engine's
/// prepare (only SELECT passes), result columns named after the user's text, types for untyped parameters, and the
/// re-planning of a prepared statement when the policy changed.
/// </summary>
internal static class EnginePlanning
{
    /// <summary>A query prepared as a statement of its own (plain, or a cursor's query on <paramref name="engine"/>, its own connection).</summary>
    public static EngineQuery PrepareQuery(StatementContext context, QueryStatement statement, int[] declaredOids, EngineSession? engine = null)
    {
        var source = statement.Source;
        // Planning (constant checks included) and DuckDB's prepare count against statement_timeout; DuckDB's planner
        // does not stop when interrupted, so the statement fails with 57014 as soon as it returns.
        using var timer = StatementTimer.Start(context.Session, context.Options);
        var sql = statement.GatewayText ?? ParameterCasts.Apply(source.Text, declaredOids, EngineTypeNames.For);
        var plan = Plan(context, source.Text, sql);
        var query = Prepare(context, plan, sql, engine);
        var prepared = new EngineQuery(sql, plan, query, declaredOids) { Engine = engine };
        // A cast written after a parameter ($1::int8) types it as PostgreSQL would when the engine cannot.
        var written = ExplicitParameterTypes.Read(source.Text, query.ParameterOids.Length, Engine.PgCatalogEmulation.TypeOid);
        if (statement.GatewayText is null && ParameterInference.Inferred(declaredOids, query.ParameterOids, written) is { } inferred)
            prepared = ParameterInference.TypeUntyped(context, source.Text, prepared, inferred);
        if (context.Session.IsCancelRequested)
        {
            prepared.Query.Dispose();
            throw EngineRuns.Canceled(context.Session);
        }
        var oids = new int[prepared.Query.ParameterOids.Length];
        for (var i = 0; i < oids.Length; i++)
        {
            var declared = prepared.ParameterOids;
            var engineOid = prepared.Query.ParameterOids[i];
            oids[i] = i < declared.Length && declared[i] != 0 ? declared[i] : engineOid is not 0 ? engineOid
                : i < written.Length && written[i] is not 0 ? written[i] : Protocol.Types.PgTypes.Text;
        }
        var origins = ResultColumnOrigins.Resolve(prepared.Plan.ColumnSources, context.Engines.Spec(context.Session.Access).ShadowTables,
            prepared.Query.Columns.Count);
        return prepared with { ParameterOids = oids, ColumnOrigins = origins };
    }

    /// <summary>The governed rewrite of a consumer query; a refusal is noted for the audit (the user's text only).</summary>
    public static RewriteResult Plan(StatementContext context, string userText, string sql)
    {
        var session = context.Session;
        try
        {
            var plan = context.Governance.Plan(session.Access, sql, session.RewriteOptions, session.Engine);
            context.Lineage.CheckReadable(session, plan); // cached plans too: a workspace table's grants may have gone since
            return plan;
        }
        catch (PgErrorException e) when (e.SqlState == SqlState.QueryCanceled && session.IsCancelRequested)
        {
            throw EngineRuns.Canceled(session); // a constant check interrupted by a cancel or the statement timeout
        }
        catch (PgErrorException e)
        {
            AuditNote.Refused(e, userText);
            throw;
        }
    }

    /// <param name="engine">The connection to prepare on when it is not the session's (a SQL cursor's own).</param>
    public static PreparedQuery Prepare(StatementContext context, RewriteResult plan, string userSql, EngineSession? engine = null)
    {
        PreparedQuery query;
        // DuckDB opens the files of an asset on an object store while it binds: they must be in the cache.
        using var held = ObjectHolds.Hold(context, plan, validate: false);
        try
        {
            query = (engine ?? context.Session.Engine).Prepare(plan.Sql);
        }
        catch (PgErrorException e) when (e.SqlState == SqlState.QueryCanceled && context.Session.IsCancelRequested)
        {
            throw EngineRuns.Canceled(context.Session); // DuckDB's "Interrupted!" while binding or planning: say why, as PostgreSQL does
        }
        catch (PgErrorException e)
        {
            throw EngineRuns.Translate(context, e, plan);
        }
        // Only queries reach the engine. Everything that could change it (ATTACH, COPY TO a file, INSTALL, LOAD,
        // PRAGMA, SET, CREATE, …) is refused here, before it runs; the engine's own lockdown is a second wall.
        if (!query.IsSelect)
        {
            query.Dispose();
            throw new PgErrorException(SqlState.InsufficientPrivilege,
                $"{query.StatementTypeName} statements are not allowed through the gateway; only queries are");
        }
        NameColumnsAfterUserText(context, query, plan, userSql);
        // PostgreSQL's names for unaliased columns (?column?, int4, exists, …), from the user's own syntax tree.
        if (plan.ColumnNames is { } names && names.Count == query.Columns.Count) query.RenameColumns(names);
        return query;
    }

    /// <summary>
    /// Before Bind, Describe and Execute: a statement prepared under an older policy version is planned again, so a
    /// revoked or expired grant stops working for the next statement even in a session that prepared it earlier.
    /// </summary>
    public static void Revalidate(StatementContext context, EngineStatement statement)
    {
        var plan = statement.Plan;
        if (!statement.IsDetached && context.Governance.Grants(context.Session.Access).Fingerprint == plan.PolicyVersion) return;
        FollowGrants(context);
        var fresh = Plan(context, statement.Source.Text, statement.EngineText);
        if (fresh.Sql == plan.Sql && !statement.IsDetached)
        {
            statement.SetPlan(fresh);
            return;
        }
        var query = Prepare(context, fresh, statement.EngineText, statement.PreparedOn);
        if (query.ParameterOids.Length != statement.ParameterOids.Length)
        {
            query.Dispose();
            throw new PgErrorException(SqlState.FeatureNotSupported, "the prepared statement's grants changed; prepare it again");
        }
        statement.Replace(query, fresh);
    }

    /// <summary>Moves the session to its project's current instance when the grants changed.</summary>
    public static void FollowGrants(StatementContext context) => context.Engines.Follow(context.Session);

    /// <summary>
    /// DuckDB names an unaliased expression column after its text, and the engine ran the rewritten text: a column
    /// such as <c>(SELECT count(*) FROM t)</c> would be named after the policy subquery (paths, filters). Such names
    /// are taken from the user's own text instead, prepared (never run) against the project's shadow tables, or,
    /// when that cannot be done, replaced by PostgreSQL's <c>?column?</c>.
    /// </summary>
    private static void NameColumnsAfterUserText(StatementContext context, PreparedQuery query, RewriteResult plan, string userSql)
    {
        if (plan.Grants.Count == 0 || !query.Columns.Any(c => GovernedErrors.NameLeaks(c.Name))) return;
        var own = context.Session.Engine.DescribeNames(userSql);
        var names = query.Columns.Select((c, i) => !GovernedErrors.NameLeaks(c.Name) ? c.Name
            : own is not null && own.Count == query.Columns.Count && !GovernedErrors.NameLeaks(own[i]) ? own[i] : "?column?").ToList();
        query.RenameColumns(names);
    }
}
