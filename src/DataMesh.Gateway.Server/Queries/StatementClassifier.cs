using DataMesh.Gateway.Server.Sessions;
using DataMesh.Gateway.Sql.Lexing;

namespace DataMesh.Gateway.Server.Queries;

/// <summary>Decides from a statement's leading keywords whether the gateway answers it or the engine runs it.</summary>
public static class StatementClassifier
{
    public static StatementKind Classify(SqlStatement statement)
    {
        if (statement.Tokens.Count == 0) return StatementKind.EngineQuery;
        var first = statement.Tokens[0];
        if (first.Kind != SqlTokenKind.Word) return StatementKind.EngineQuery;
        switch (first.Value.ToUpperInvariant())
        {
            case "BEGIN" or "START" or "COMMIT" or "END" or "ROLLBACK" or "ABORT" or "SAVEPOINT" or "RELEASE":
                return StatementKind.Transaction;
            case "SET" or "SHOW" or "RESET" or "DISCARD" or "DEALLOCATE" or "CLOSE" or "UNLISTEN" or "LISTEN" or "NOTIFY":
                return StatementKind.Session;
            case "COPY":
                return StatementKind.CopyOut;
            default:
                return StatementKind.EngineQuery;
        }
    }
}
