using DataMesh.Gateway.Sql.Lexing;

namespace DataMesh.Gateway.Sql.Statements;

/// <summary>
/// <c>COPY (query) TO STDOUT [options]</c> and <c>COPY name [(columns)] TO STDOUT [options]</c>, with the options of
/// <see cref="CopyOptions"/> in either spelling. Only output to the client is allowed: the gateway never writes files
/// and consumers never load data.
/// </summary>
/// <remarks>FORMAT parquet streams one Parquet file (the governed rows, written by the engine) as the COPY data, the way
/// psql's <c>\copy (…) to 'f.parquet' (format parquet)</c> asks for it; it takes no other option.</remarks>
internal static class CopyGrammar
{
    public static CopyOutStatement Parse(SqlStatement statement)
    {
        var t = statement.Tokens;
        var text = statement.Text;
        int i;
        string query;
        if (t.Count > 1 && t[1].Text == "(")
        {
            var depth = 0;
            for (i = 1; i < t.Count; i++)
            {
                if (t[i].Text == "(") depth++;
                else if (t[i].Text == ")" && --depth == 0) break;
            }
            if (i >= t.Count) throw Syntax();
            var start = t[1].Offset + 1 - t[0].Offset;
            var end = t[i].Offset - t[0].Offset;
            query = text[start..end].Trim();
            i++;
        }
        else if (t.Count > 1 && t[1].Kind is SqlTokenKind.Word or SqlTokenKind.QuotedIdentifier)
        {
            // COPY name [(columns)] TO STDOUT: the same as SELECT columns FROM name.
            i = 1;
            var name = t[i++].Text;
            while (i + 1 < t.Count && t[i].Text == ".") { name += "." + t[i + 1].Text; i += 2; }
            var columns = "*";
            if (i < t.Count && t[i].Text == "(")
            {
                var close = Enumerable.Range(i, t.Count - i).FirstOrDefault(k => t[k].Text == ")", -1);
                if (close < 0) throw Syntax();
                columns = string.Join(", ", t.Skip(i + 1).Take(close - i - 1).Where(x => x.Text != ",").Select(x => x.Text));
                i = close + 1;
            }
            query = $"SELECT {columns} FROM {name}";
        }
        else
        {
            throw Syntax();
        }

        if (i < t.Count && t[i].IsWord("FROM"))
            throw StatementException.Refused("COPY FROM is not allowed: the gateway is read-only for consumers");
        // PostgreSQL reads STDIN and STDOUT alike after TO (PDO's pgsqlCopyToArray writes COPY … TO STDIN).
        if (!(i + 1 < t.Count && t[i].IsWord("TO") && (t[i + 1].IsWord("STDOUT") || t[i + 1].IsWord("STDIN"))))
            throw StatementException.Refused("COPY can only write to STDOUT through the gateway");
        i += 2;
        return new CopyOutStatement(statement, query, CopyOptions.Parse(t, i));
    }

    private static StatementException Syntax() => new(StatementException.SyntaxError, "syntax error in COPY statement");
}
