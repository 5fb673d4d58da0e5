using System.Buffers;
using DataMesh.Gateway.Engine.Execution;
using DataMesh.Gateway.Policy.Rewrite;
using DataMesh.Gateway.Protocol.Errors;
using DataMesh.Gateway.Server.Sessions;
using DataMesh.Gateway.Sql;
using DataMesh.Gateway.Sql.Lexing;

namespace DataMesh.Gateway.Server.Queries;

/// <summary>Types for parameters the client left untyped, from the engine and from casts written after them.</summary>
public sealed partial class StatementRunner
{
    /// <summary>
    /// The declared types completed with the engine's inference (or the text's own cast) for parameters the client left untyped (OID 0:
    /// pgbench, node-postgres, psycopg 3's str), or null when no untyped parameter got a usable type.
    /// </summary>
    private static int[]? InferredParameterTypes(int[] declared, IReadOnlyList<int> engine, int[] written)
    {
        int[]? completed = null;
        for (var i = 0; i < engine.Count; i++)
        {
            // 0 (unspecified) and 705 (unknown, Npgsql's NpgsqlDbType.Unknown) both leave the type to the server.
            if (i < declared.Length && declared[i] is not (0 or Protocol.Types.PgTypes.Unknown)) continue;
            // The engine could not infer a type (a parameter alone in the select list): PostgreSQL resolves an unknown
            // parameter as text, and so must the description, or Describe would see one unresolved column where
            // execution returns several (libpq's PQdescribePrepared, asyncpg, RPostgres).
            // A cast written after the parameter ($1::int8) types it as PostgreSQL would.
            var type = engine[i] != 0 ? engine[i] : written[i] != 0 ? written[i] : Protocol.Types.PgTypes.Text;
            if (!InferableParameterTypes.Contains(type)) continue;
            completed ??= Enumerable.Range(0, engine.Count).Select(j => j < declared.Length ? declared[j] : 0).ToArray();
            completed[i] = type;
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
}
