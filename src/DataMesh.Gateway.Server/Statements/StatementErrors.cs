using DataMesh.Gateway.Protocol.Errors;
using DataMesh.Gateway.Sql.Statements;

namespace DataMesh.Gateway.Server.Statements;

/// <summary>The grammar's refusals (the Sql layer knows no wire protocol) as the errors a client receives.</summary>
internal static class StatementErrors
{
    public static PgErrorException ToPg(StatementException e) => new(e.SqlState, e.Message, position: e.Position);
}
