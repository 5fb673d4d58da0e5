using DataMesh.Gateway.Engine.Instances;
using DataMesh.Gateway.Protocol.Errors;
using DataMesh.Gateway.Protocol.Messages.Backend;
using DataMesh.Gateway.Server.Responses;
using DataMesh.Gateway.Server.Sessions;
using DataMesh.Gateway.Sql.Lexing;

namespace DataMesh.Gateway.Server.Statements;

/// <summary>
/// <c>LOCK [TABLE] [ONLY] name [*] [, …] [IN mode MODE] [NOWAIT]</c>. pg_dump takes ACCESS SHARE locks on every table
/// it dumps, inside its REPEATABLE READ transaction. A consumer reads only, and an asset's files are the producer's,
/// so there is nothing to hold: ACCESS SHARE on a table the session can see is accepted as PostgreSQL accepts it for a
/// user with SELECT; any stronger mode needs write privileges nobody has here (42501, as PostgreSQL answers a reader);
/// an unknown or invisible table is 42P01; outside a transaction block it is 25P01, as in PostgreSQL.
/// </summary>
internal static class TableLocks
{
    public static CommandResult Execute(Session session, SqlStatement statement, IReadOnlyList<ShadowTable> tables)
    {
        var t = statement.Tokens.Where(x => x.Kind != SqlTokenKind.Semicolon).ToList();
        var i = 1;
        if (i < t.Count && t[i].IsWord("TABLE")) i++;
        var names = new List<(string Schema, string Name, string Written)>();
        while (i < t.Count && !t[i].IsWord("IN") && !t[i].IsWord("NOWAIT"))
        {
            if (t[i].IsWord("ONLY")) i++;
            if (i >= t.Count || t[i].Kind is not (SqlTokenKind.Word or SqlTokenKind.QuotedIdentifier)) throw Syntax(i < t.Count ? t[i].Text : "LOCK");
            string schema = "", name = Identifier(t[i]), written = t[i].Text;
            i++;
            if (i + 1 < t.Count && t[i].Text == "." && t[i + 1].Kind is SqlTokenKind.Word or SqlTokenKind.QuotedIdentifier)
            {
                (schema, name, written) = (name, Identifier(t[i + 1]), written + "." + t[i + 1].Text);
                i += 2;
            }
            if (i < t.Count && t[i].Text == "*") i++;
            names.Add((schema, name, written));
            if (i < t.Count && t[i].Text == ",") i++;
        }
        if (names.Count == 0) throw Syntax("LOCK");
        var mode = "ACCESS EXCLUSIVE";
        if (i < t.Count && t[i].IsWord("IN"))
        {
            var words = new List<string>();
            for (i++; i < t.Count && !t[i].IsWord("MODE"); i++) words.Add(t[i].Value.ToUpperInvariant());
            if (i >= t.Count) throw Syntax("MODE");
            mode = string.Join(' ', words);
            i++;
        }
        if (i < t.Count && t[i].IsWord("NOWAIT")) i++;
        if (i != t.Count) throw Syntax(t[i].Text);

        if (session.TransactionStatus == TransactionStatus.Idle)
            throw new PgErrorException(SqlState.NoActiveSqlTransaction, "LOCK TABLE can only be used in transaction blocks");
        foreach (var (schema, name, written) in names)
        {
            var visible = tables.Any(x => Same(x.Name, name) && (schema.Length == 0 || Same(x.Schema, schema)))
                || ((schema.Length == 0 || Same(schema, "pg_catalog")) && Policy.Rewrite.CatalogRelations.Contains("", name));
            if (!visible) throw new PgErrorException(SqlState.UndefinedTable, $"relation \"{written}\" does not exist");
            if (mode != "ACCESS SHARE") throw new PgErrorException(SqlState.InsufficientPrivilege, $"permission denied for table {name}");
        }
        return new CommandResult("LOCK TABLE");
    }

    private static string Identifier(SqlToken token) => token.Kind == SqlTokenKind.Word ? token.Value.ToLowerInvariant() : token.Value;

    private static bool Same(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);

    private static PgErrorException Syntax(string near) => new(SqlState.SyntaxError, $"syntax error at or near \"{near}\"");
}
