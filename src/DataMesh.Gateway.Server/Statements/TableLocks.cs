using DataMesh.Gateway.Engine.Instances;
using DataMesh.Gateway.Protocol.Errors;
using DataMesh.Gateway.Protocol.Messages.Backend;
using DataMesh.Gateway.Server.Responses;
using DataMesh.Gateway.Server.Sessions;
using DataMesh.Gateway.Sql.Statements;

namespace DataMesh.Gateway.Server.Statements;

/// <summary>
/// LOCK TABLE (read by <see cref="StatementParser"/>). pg_dump takes ACCESS SHARE locks on every table it dumps, inside
/// its REPEATABLE READ transaction. A consumer reads only, and an asset's files are the producer's, so there is
/// nothing to hold: ACCESS SHARE on a table the session can see is accepted as PostgreSQL accepts it for a user with
/// SELECT; any stronger mode needs write privileges nobody has here (42501, as PostgreSQL answers a reader); an
/// unknown or invisible table is 42P01; outside a transaction block it is 25P01, as in PostgreSQL.
/// </summary>
internal static class TableLocks
{
    public static CommandResult Execute(Session session, LockTableStatement statement, IReadOnlyList<ShadowTable> tables)
    {
        if (session.TransactionStatus == TransactionStatus.Idle)
            throw new PgErrorException(SqlState.NoActiveSqlTransaction, "LOCK TABLE can only be used in transaction blocks");
        foreach (var (schema, name, written) in statement.Tables)
        {
            var visible = tables.Any(x => Same(x.Name, name) && (schema.Length == 0 || Same(x.Schema, schema)))
                || ((schema.Length == 0 || Same(schema, "pg_catalog")) && Policy.Rewrite.CatalogRelations.Contains("", name));
            if (!visible) throw new PgErrorException(SqlState.UndefinedTable, $"relation \"{written}\" does not exist");
            if (statement.Mode != "ACCESS SHARE") throw new PgErrorException(SqlState.InsufficientPrivilege, $"permission denied for table {name}");
        }
        return new CommandResult("LOCK TABLE");
    }

    private static bool Same(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);
}
