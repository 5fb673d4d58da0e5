using DataMesh.Gateway.Engine.Execution;
using DataMesh.Gateway.Protocol.Errors;
using DataMesh.Gateway.Protocol.Types;
using DataMesh.Gateway.Sql;

namespace DataMesh.Gateway.Server.Statements;

/// <summary>
/// Types for parameters the client left untyped (OID 0: pgbench, node-postgres, psycopg 3's str), as PostgreSQL infers
/// unknown parameter types at Parse and reports them in ParameterDescription.
/// </summary>
internal static class ParameterInference
{
    /// <summary>Parameter types the typed-parameter rules can use: a cast to these is one a client may declare itself.</summary>
    private static readonly HashSet<int> InferableParameterTypes =
    [
        PgTypes.Bool, PgTypes.Int2, PgTypes.Int4, PgTypes.Int8, PgTypes.Float8, PgTypes.Text, PgTypes.Varchar, PgTypes.Date,
        PgTypes.Timestamp,
    ];

    /// <summary>
    /// The declared types completed with the engine's inference (or the text's own cast) for parameters the client left
    /// untyped, or null when no untyped parameter got a usable type.
    /// </summary>
    public static int[]? Inferred(int[] declared, IReadOnlyList<int> engine, int[] written)
    {
        int[]? completed = null;
        for (var i = 0; i < engine.Count; i++)
        {
            // 0 (unspecified) and 705 (unknown, Npgsql's NpgsqlDbType.Unknown) both leave the type to the server.
            if (i < declared.Length && declared[i] is not (0 or PgTypes.Unknown)) continue;
            // The engine could not infer a type (a parameter alone in the select list): PostgreSQL resolves an unknown
            // parameter as text, and so must the description, or Describe would see one unresolved column where
            // execution returns several (libpq's PQdescribePrepared, asyncpg, RPostgres). A cast written after the
            // parameter ($1::int8) types it as PostgreSQL would.
            var type = engine[i] != 0 ? engine[i] : i < written.Length && written[i] != 0 ? written[i] : PgTypes.Text;
            if (!InferableParameterTypes.Contains(type)) continue;
            completed ??= Enumerable.Range(0, engine.Count).Select(j => j < declared.Length ? declared[j] : 0).ToArray();
            completed[i] = type;
        }
        return completed;
    }

    /// <summary>
    /// Plans the statement again as if the client had declared the types the engine inferred for its untyped
    /// parameters. The text then carries <c>CAST($n AS T)</c>, the parameter's value is decoded as T at Bind (one value
    /// per execution), and the typed-parameter rule lets <c>col = $1</c> stay unfenced (row-group pruning) exactly as
    /// for a client that typed it. The second plan is governed like any other text; if it cannot be planned or
    /// prepared (a parameter used with two types), the untyped first plan stays.
    /// </summary>
    public static EngineQuery TypeUntyped(StatementContext context, string userText, EngineQuery first, int[] inferred)
    {
        var sql = ParameterCasts.Apply(userText, inferred, EngineTypeNames.For);
        PreparedQuery? query = null;
        try
        {
            var plan = context.Governance.Plan(context.Session.Access, sql, context.Session.RewriteOptions, context.Session.Engine);
            query = EnginePlanning.Prepare(context, plan, sql, first.Engine);
            if (query.ParameterOids.Length != first.Query.ParameterOids.Length)
            {
                query.Dispose();
                return first;
            }
            first.Query.Dispose();
            return new EngineQuery(sql, plan, query, inferred) { Engine = first.Engine };
        }
        catch (PgErrorException)
        {
            query?.Dispose();
            return first;
        }
    }
}
