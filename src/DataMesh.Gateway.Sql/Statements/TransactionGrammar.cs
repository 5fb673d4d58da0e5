using DataMesh.Gateway.Sql.Lexing;

namespace DataMesh.Gateway.Sql.Statements;

/// <summary>BEGIN / START TRANSACTION, COMMIT / END, ROLLBACK / ABORT, SAVEPOINT, RELEASE and ROLLBACK TO.</summary>
internal static class TransactionGrammar
{
    public static TransactionStatement Parse(SqlStatement statement)
    {
        var t = statement.Tokens.Where(x => x.Kind != SqlTokenKind.Semicolon).ToList();
        var word = t[0].Value.ToUpperInvariant();
        if (word == "SAVEPOINT") return new SavepointStatement(statement, NameAt(t, 1, "SAVEPOINT"));
        if (word == "RELEASE") return new ReleaseStatement(statement, NameAt(t, t.Count > 1 && t[1].IsWord("SAVEPOINT") ? 2 : 1, "RELEASE"));
        if (word == "ROLLBACK" && t.Any(x => x.IsWord("TO")))
        {
            var at = t.FindIndex(x => x.IsWord("TO")) + 1;
            if (at < t.Count && t[at].IsWord("SAVEPOINT")) at++;
            return new RollbackToStatement(statement, NameAt(t, at, "TO"));
        }
        return word switch
        {
            "BEGIN" => new BeginStatement(statement, "BEGIN"),
            "START" => new BeginStatement(statement, "START TRANSACTION"),
            "COMMIT" or "END" => new CommitStatement(statement),
            _ => new RollbackStatement(statement), // ROLLBACK, ABORT
        };
    }

    /// <summary>Only these may run in a failed transaction block (ROLLBACK TO a savepoint included).</summary>
    public static bool EndsTransaction(SqlStatement statement) =>
        statement.Tokens.Count > 0 && statement.Tokens[0].Value.ToUpperInvariant() is "ROLLBACK" or "ABORT" or "COMMIT" or "END";

    private static string NameAt(List<SqlToken> t, int index, string after)
    {
        if (index != t.Count - 1 || t[index].Kind is not (SqlTokenKind.Word or SqlTokenKind.QuotedIdentifier))
            throw StatementException.Syntax(index < t.Count ? t[index].Text : after);
        return CursorGrammar.Identifier(t[index]);
    }
}
