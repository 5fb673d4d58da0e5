using DataMesh.Gateway.Protocol.Errors;
using DataMesh.Gateway.Sql.Lexing;

namespace DataMesh.Gateway.Server.Statements;

/// <summary>
/// SQL-level prepared statements, which pg_dump uses for its per-object catalog queries:
/// <c>PREPARE name [(type, …)] AS statement</c> and <c>EXECUTE name [(value, …)]</c>. They share the namespace of the
/// protocol's named statements, as in PostgreSQL; DEALLOCATE removes either. EXECUTE's arguments are constants
/// (string and numeric literals, NULL, TRUE, FALSE), read by the parameters' input functions as a Bind in text would be.
/// </summary>
internal static class SqlPrepare
{
    public sealed record Prepare(string Name, int[] ParameterOids, SqlStatement Statement);

    public sealed record Execute(string Name, string?[] Arguments);

    public static Prepare ParsePrepare(SqlStatement statement)
    {
        var t = Tokens(statement);
        if (t.Count < 4) throw Syntax(t.Count > 1 ? t[^1].Text : "PREPARE");
        var name = Name(t[1]);
        var i = 2;
        var oids = new List<int>();
        if (t[i].Text == "(")
        {
            for (i++; i < t.Count && t[i].Text != ")"; i++)
            {
                var start = i;
                var depth = 0;
                while (i < t.Count && !(depth == 0 && (t[i].Text is "," or ")")))
                {
                    if (t[i].Text == "(") depth++;
                    else if (t[i].Text == ")") depth--;
                    i++;
                }
                if (i >= t.Count) throw Syntax("PREPARE");
                var typeName = string.Concat(t.Skip(start).Take(i - start).Select(x => x.Kind == SqlTokenKind.Word ? " " + x.Text : x.Text)).Trim();
                oids.Add(Engine.PgCatalogEmulation.TypeOid(typeName.Replace(" .", ".").Replace(". ", ".")) is { } oid ? oid
                    : throw new PgErrorException(SqlState.UndefinedObject, $"type \"{typeName}\" does not exist"));
                if (t[i].Text == ")") break;
            }
            i++;
        }
        if (i >= t.Count || !t[i].IsWord("AS") || i + 1 >= t.Count) throw Syntax(i < t.Count ? t[i].Text : "PREPARE");
        var text = statement.Text[(t[i + 1].Offset - t[0].Offset)..].TrimEnd().TrimEnd(';');
        var inner = StatementSplitter.Split(text);
        if (inner.Count != 1) throw Syntax("AS");
        return new Prepare(name, oids.ToArray(), inner[0]);
    }

    public static Execute ParseExecute(SqlStatement statement)
    {
        var t = Tokens(statement);
        if (t.Count < 2) throw Syntax("EXECUTE");
        var name = Name(t[1]);
        var arguments = new List<string?>();
        var i = 2;
        if (i < t.Count && t[i].Text == "(")
        {
            for (i++; i < t.Count && t[i].Text != ")"; i++)
            {
                var sign = "";
                if (t[i].Text is "-" or "+" && i + 1 < t.Count && t[i + 1].Kind == SqlTokenKind.Number) sign = t[i++].Text == "-" ? "-" : "";
                arguments.Add(t[i] switch
                {
                    { Kind: SqlTokenKind.String } s => s.Value,
                    { Kind: SqlTokenKind.Number } n => sign + n.Text,
                    var w when w.IsWord("NULL") => null,
                    var w when w.IsWord("TRUE") => "true",
                    var w when w.IsWord("FALSE") => "false",
                    var other => throw new PgErrorException(SqlState.FeatureNotSupported,
                        $"EXECUTE takes constants as its arguments through the gateway, not \"{other.Text}\""),
                });
                // A cast after the constant (EXECUTE q('16401'::oid)) changes nothing: the parameter's type decides.
                while (i + 1 < t.Count && t[i + 1].Text == ":" && i + 3 < t.Count && t[i + 2].Text == ":") i += 3;
                if (i + 1 < t.Count && t[i + 1].Text == ",") i++;
            }
            if (i >= t.Count) throw Syntax("EXECUTE");
            i++;
        }
        if (i != t.Count) throw Syntax(t[i].Text);
        return new Execute(name, arguments.ToArray());
    }

    private static List<SqlToken> Tokens(SqlStatement statement) => statement.Tokens.Where(x => x.Kind != SqlTokenKind.Semicolon).ToList();

    private static string Name(SqlToken token) => token.Kind switch
    {
        SqlTokenKind.Word => token.Value.ToLowerInvariant(),
        SqlTokenKind.QuotedIdentifier => token.Value,
        _ => throw Syntax(token.Text),
    };

    private static PgErrorException Syntax(string near) => new(SqlState.SyntaxError, $"syntax error at or near \"{near}\"");
}
