using DataMesh.Gateway.Sql.Lexing;

namespace DataMesh.Gateway.Sql.Statements;

/// <summary>
/// PREPARE, EXECUTE and DEALLOCATE as PostgreSQL's grammar reads them; syntax errors carry PostgreSQL's position.
/// EXECUTE takes constants only (an expression would have to be evaluated outside governance): 0A000 otherwise.
/// </summary>
internal static class PrepareGrammar
{
    public static SqlPrepareStatement Prepare(SqlStatement statement)
    {
        var t = Tokens(statement);
        var name = Name(statement, t, 1);
        var i = 2;
        var types = new List<TypeNameAt>();
        if (i < t.Count && t[i].Text == "(")
        {
            i++;
            while (true)
            {
                var start = i;
                var depth = 0;
                while (i < t.Count && !(depth == 0 && t[i].Text is "," or ")"))
                {
                    if (t[i].Text == "(") depth++;
                    else if (t[i].Text == ")") depth--;
                    else if (depth == 0 && t[i].IsWord("AS")) throw StatementException.SyntaxAt(statement, t, i); // PREPARE p (int AS …
                    i++;
                }
                if (i >= t.Count || i == start) throw StatementException.SyntaxAt(statement, t, i);
                types.Add(new TypeNameAt(TypeName(t, start, i), t[start].Offset + 1));
                if (t[i++].Text == ")") break;
            }
        }
        if (i >= t.Count || !t[i].IsWord("AS")) throw StatementException.SyntaxAt(statement, t, i);
        if (i + 1 >= t.Count) throw StatementException.SyntaxAt(statement, t, i + 1);
        var text = statement.Text[(t[i + 1].Offset - t[0].Offset)..];
        var body = StatementSplitter.Split(text);
        if (body.Count != 1) throw StatementException.SyntaxAt(statement, t, i);
        return new SqlPrepareStatement(statement, name, types, body[0]);
    }

    public static SqlExecuteStatement Execute(SqlStatement statement)
    {
        var t = Tokens(statement);
        var name = Name(statement, t, 1);
        var arguments = new List<string?>();
        var i = 2;
        if (i < t.Count && t[i].Text == "(")
        {
            i++;
            while (true)
            {
                var sign = "";
                if (i + 1 < t.Count && t[i].Text is "-" or "+" && t[i + 1].Kind == SqlTokenKind.Number) sign = t[i++].Text == "-" ? "-" : "";
                if (i >= t.Count) throw StatementException.SyntaxAt(statement, t, i);
                arguments.Add(t[i] switch
                {
                    { Kind: SqlTokenKind.String } s => s.Value,
                    { Kind: SqlTokenKind.Number } n => sign + n.Text,
                    var w when w.IsWord("NULL") => null,
                    var w when w.IsWord("TRUE") => "true",
                    var w when w.IsWord("FALSE") => "false",
                    { Kind: SqlTokenKind.Symbol } => throw StatementException.SyntaxAt(statement, t, i),
                    var other => throw NotConstant(other),
                });
                i++;
                // A cast after the constant (EXECUTE q('16401'::oid)) changes nothing: the parameter's type decides.
                while (i + 2 < t.Count && t[i].Text == ":" && t[i + 1].Text == ":") i += 3;
                if (i >= t.Count) throw StatementException.SyntaxAt(statement, t, i);
                if (t[i].Text == ")") break;
                if (t[i].Text != ",") throw t[i].Kind == SqlTokenKind.Symbol ? NotConstant(t[i]) : StatementException.SyntaxAt(statement, t, i);
                i++;
            }
            i++;
        }
        if (i != t.Count) throw StatementException.SyntaxAt(statement, t, i);
        return new SqlExecuteStatement(statement, name, arguments);
    }

    /// <summary><c>DEALLOCATE [PREPARE] {name | ALL}</c>; <c>DEALLOCATE PREPARE</c> alone names a statement "prepare".</summary>
    public static DeallocateStatement Deallocate(SqlStatement statement)
    {
        var t = Tokens(statement);
        var i = t.Count > 2 && t[1].IsWord("PREPARE") ? 2 : 1;
        if (i < t.Count && t[i].IsWord("ALL"))
        {
            if (i + 1 != t.Count) throw StatementException.SyntaxAt(statement, t, i + 1);
            return new DeallocateStatement(statement, null);
        }
        var name = Name(statement, t, i);
        if (i + 1 != t.Count) throw StatementException.SyntaxAt(statement, t, i + 1);
        return new DeallocateStatement(statement, name);
    }

    private static List<SqlToken> Tokens(SqlStatement statement) => statement.Tokens.Where(x => x.Kind != SqlTokenKind.Semicolon).ToList();

    private static string Name(SqlStatement statement, List<SqlToken> t, int index) =>
        index < t.Count && t[index].Kind is SqlTokenKind.Word or SqlTokenKind.QuotedIdentifier
            ? CursorGrammar.Identifier(t[index])
            : throw StatementException.SyntaxAt(statement, t, index);

    /// <summary>The type name as written, words spaced and punctuation kept tight: <c>character varying(10)</c>, <c>pg_catalog.oid</c>.</summary>
    private static string TypeName(List<SqlToken> t, int start, int end)
    {
        var text = new System.Text.StringBuilder();
        for (var k = start; k < end; k++)
        {
            if (k > start && t[k].Kind == SqlTokenKind.Word && t[k - 1].Text != ".") text.Append(' ');
            text.Append(t[k].Text);
        }
        return text.ToString();
    }

    private static StatementException NotConstant(SqlToken token) =>
        StatementException.NotSupported($"EXECUTE takes constants as its arguments through the gateway, not \"{token.Text}\"", token.Offset + 1);
}
