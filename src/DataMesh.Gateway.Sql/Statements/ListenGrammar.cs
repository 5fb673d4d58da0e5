using DataMesh.Gateway.Sql.Lexing;

namespace DataMesh.Gateway.Sql.Statements;

/// <summary>
/// <c>LISTEN channel</c>, <c>UNLISTEN {channel | *}</c> and <c>NOTIFY channel [, 'payload']</c> as PostgreSQL's grammar
/// reads them (a channel is an identifier, folded to lower case unless quoted); a syntax error points where
/// PostgreSQL's does.
/// </summary>
internal static class ListenGrammar
{
    public static SessionStatement Parse(SqlStatement statement)
    {
        var t = statement.Tokens.Where(x => x.Kind != SqlTokenKind.Semicolon).ToList();
        var verb = t[0].Value.ToUpperInvariant();
        if (verb == "UNLISTEN" && t.Count > 1 && t[1].Text == "*")
        {
            if (t.Count > 2) throw StatementException.SyntaxAt(statement, t, 2);
            return new UnlistenStatement(statement, null);
        }
        if (t.Count < 2 || t[1].Kind is not (SqlTokenKind.Word or SqlTokenKind.QuotedIdentifier)) throw StatementException.SyntaxAt(statement, t, 1);
        var channel = CursorGrammar.Identifier(t[1]);
        if (verb == "NOTIFY" && t.Count > 2 && t[2].Text == ",")
        {
            if (t.Count < 4 || t[3].Kind != SqlTokenKind.String) throw StatementException.SyntaxAt(statement, t, 3);
            if (t.Count > 4) throw StatementException.SyntaxAt(statement, t, 4);
            return new NotifyStatement(statement, channel, t[3].Value);
        }
        if (t.Count > 2) throw StatementException.SyntaxAt(statement, t, 2);
        return verb switch
        {
            "LISTEN" => new ListenStatement(statement, channel),
            "UNLISTEN" => new UnlistenStatement(statement, channel),
            _ => new NotifyStatement(statement, channel, null),
        };
    }
}
