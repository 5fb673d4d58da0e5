using DataMesh.Gateway.Sql.Lexing;

namespace DataMesh.Gateway.Sql.Statements;

/// <summary>
/// The three writes a project may make to its workspace database: <c>CREATE [OR REPLACE] TABLE [IF NOT EXISTS]
/// workspace.t AS query</c>, <c>INSERT INTO workspace.t [(cols)] query</c> and <c>DROP TABLE [IF EXISTS] workspace.t</c>.
/// Recognised from the leading tokens; the query part is governed like any consumer query, and the gateway builds
/// the engine statement itself from the parts, so nothing else of the user's text reaches the engine unparsed.
/// </summary>
internal static class WorkspaceGrammar
{
    public static bool Matches(SqlStatement statement)
    {
        var t = statement.Tokens;
        var i = 0;
        if (Is(t, i, "CREATE"))
        {
            i++;
            if (Is(t, i, "OR") && Is(t, i + 1, "REPLACE")) i += 2;
            return Is(t, i, "TABLE") && TargetsWorkspace(t, SkipIfNotExists(t, i + 1));
        }
        if (Is(t, i, "INSERT")) return Is(t, 1, "INTO") && TargetsWorkspace(t, 2);
        if (Is(t, i, "DROP")) return Is(t, 1, "TABLE") && TargetsWorkspace(t, Is(t, 2, "IF") && Is(t, 3, "EXISTS") ? 4 : 2);
        return false;
    }

    public static WorkspaceWriteStatement Parse(SqlStatement statement)
    {
        var t = statement.Tokens;
        if (t.Any(x => x.Kind == SqlTokenKind.Parameter)) throw StatementException.NotSupported("workspace writes take no parameters");
        var text = statement.Text;
        var start = t[0].Offset;
        string Slice(int from, int to) => text[(from - start)..(to - start)];
        if (Is(t, 0, "DROP"))
        {
            var at = Is(t, 2, "IF") ? 4 : 2;
            if (t.Count != at + 3) throw Syntax("DROP TABLE takes one workspace table");
            return new WorkspaceWriteStatement(statement, "DROP", text, null, t[at + 2].Value);
        }
        if (Is(t, 0, "CREATE"))
        {
            var i = 1;
            if (Is(t, i, "OR")) i += 2;
            var name = SkipIfNotExists(t, i + 1) + 2;
            if (!Is(t, name + 1, "AS") || name + 2 >= t.Count)
                throw Syntax("CREATE TABLE workspace.t needs AS followed by a query");
            var query = t[name + 2].Offset;
            return new WorkspaceWriteStatement(statement, "CREATE", Slice(start, query), text[(query - start)..], t[name].Value,
                IfNotExists: SkipIfNotExists(t, i + 1) != i + 1);
        }
        // INSERT INTO workspace . t [ ( a, b ) ] query
        var next = 5;
        if (next < t.Count && t[next].Text == "(")
        {
            // A column list holds names and commas only: nothing else of the user's text may ride along unparsed.
            next++;
            while (next < t.Count && t[next].Text != ")")
            {
                if (t[next].Kind is not (SqlTokenKind.Word or SqlTokenKind.QuotedIdentifier) && t[next].Text != ",")
                    throw Syntax("the column list of INSERT INTO workspace.t may hold column names only");
                next++;
            }
            next++;
        }
        if (next >= t.Count) throw Syntax("INSERT INTO workspace.t needs a query");
        var body = t[next].Offset;
        return new WorkspaceWriteStatement(statement, "INSERT", Slice(start, body), text[(body - start)..], t[4].Value);
    }

    private static int SkipIfNotExists(IReadOnlyList<SqlToken> t, int i) =>
        Is(t, i, "IF") && Is(t, i + 1, "NOT") && Is(t, i + 2, "EXISTS") ? i + 3 : i;

    private static bool TargetsWorkspace(IReadOnlyList<SqlToken> t, int i) =>
        i + 2 < t.Count && t[i].Kind is SqlTokenKind.Word or SqlTokenKind.QuotedIdentifier
        && t[i].Value.Equals("workspace", StringComparison.OrdinalIgnoreCase)
        && t[i + 1].Text == "." && t[i + 2].Kind is SqlTokenKind.Word or SqlTokenKind.QuotedIdentifier
        && !(i + 3 < t.Count && t[i + 3].Text == "."); // workspace.t only: no schema or catalog parts

    private static bool Is(IReadOnlyList<SqlToken> t, int i, string word) => i < t.Count && t[i].IsWord(word);

    private static StatementException Syntax(string message) => new(StatementException.SyntaxError, message);
}
