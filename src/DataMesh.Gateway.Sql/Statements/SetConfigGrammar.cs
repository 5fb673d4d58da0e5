using DataMesh.Gateway.Sql.Lexing;

namespace DataMesh.Gateway.Sql.Statements;

/// <summary>
/// <c>SELECT [pg_catalog.]set_config('name', 'value', is_local) [AS alias]</c> on its own. Any other use of set_config
/// (inside a larger query, with parameters or computed arguments) is a query, which the function policy refuses:
/// settings never reach DuckDB.
/// </summary>
/// <remarks>The pg_settings form (<c>SELECT set_config(name, 'v', false) FROM pg_settings WHERE name =
/// 'x'</c>, which pg_dump and pgAdmin send so that an unknown name gives no row instead of an error): set only when
/// pg_settings lists the parameter, one row then and none otherwise (<see cref="SetConfigStatement.OnlyIfListed"/>).</remarks>
internal static class SetConfigGrammar
{
    public static SetConfigStatement? TryParse(SqlStatement statement)
    {
        var t = statement.Tokens.Where(x => x.Kind != SqlTokenKind.Semicolon).ToList();
        if (t.Count < 9 || !t[0].IsWord("SELECT")) return null;
        var i = 1;
        if (t[i].IsWord("pg_catalog") && t[i + 1].Text == ".") i += 2;
        if (!t[i].IsWord("set_config") || t[i + 1].Text != "(") return null;
        i += 2;
        var fromSettings = t[i].IsWord("name");
        if (i + 6 > t.Count || !(t[i].Kind == SqlTokenKind.String || fromSettings) || t[i + 1].Text != "," || t[i + 2].Kind != SqlTokenKind.String
            || t[i + 3].Text != "," || t[i + 5].Text != ")") return null;
        if (Boolean(t[i + 4]) is not { } local) return null;
        var name = t[i].Value;
        var value = t[i + 2].Value;
        i += 6;
        var column = "set_config";
        if (i < t.Count && !t[i].IsWord("FROM"))
        {
            if (t[i].IsWord("AS")) i++;
            if (i >= t.Count || t[i].Kind is not (SqlTokenKind.Word or SqlTokenKind.QuotedIdentifier)) return null;
            column = t[i].Kind == SqlTokenKind.Word ? t[i].Value.ToLowerInvariant() : t[i].Value;
            i++;
        }
        if (fromSettings)
        {
            // FROM [pg_catalog.]pg_settings WHERE name = 'x'
            if (i < t.Count && t[i].IsWord("FROM")) i++;
            else return null;
            if (i + 1 < t.Count && t[i].IsWord("pg_catalog") && t[i + 1].Text == ".") i += 2;
            if (!(i + 4 < t.Count + 0 && t[i].IsWord("pg_settings") && t[i + 1].IsWord("WHERE") && t[i + 2].IsWord("name")
                  && t[i + 3].Text == "=" && t[i + 4].Kind == SqlTokenKind.String && i + 5 == t.Count)) return null;
            return new SetConfigStatement(statement, t[i + 4].Value, value, local, column, OnlyIfListed: true);
        }
        return i == t.Count ? new SetConfigStatement(statement, name, value, local, column) : null;
    }

    /// <summary>is_local as PostgreSQL reads a boolean constant: true/false, or a string such as 't', 'off', 'yes'.</summary>
    private static bool? Boolean(SqlToken token)
    {
        var text = token.Kind switch
        {
            SqlTokenKind.Word or SqlTokenKind.String => token.Value.Trim().ToLowerInvariant(),
            _ => null,
        };
        return text switch
        {
            "true" or "t" or "on" or "yes" or "y" or "1" => true,
            "false" or "f" or "off" or "no" or "n" or "0" => false,
            _ => null,
        };
    }
}
