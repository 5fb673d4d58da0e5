using DataMesh.Gateway.Sql.Lexing;

namespace DataMesh.Gateway.Sql.Statements;

/// <summary>
/// <c>COPY (query) TO STDOUT [WITH] [(] FORMAT csv|text|parquet, HEADER, DELIMITER 'c', NULL 's' [)]</c>, and the
/// older <c>COPY name TO STDOUT CSV HEADER</c> form psql's \copy sends. Only output to the client is allowed:
/// the gateway never writes files and consumers never load data.
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
        if (!(i + 1 < t.Count && t[i].IsWord("TO") && t[i + 1].IsWord("STDOUT")))
            throw StatementException.Refused("COPY can only write to STDOUT through the gateway");
        i += 2;

        var csv = false;
        var parquet = false;
        var header = false;
        char? delimiter = null;
        string? nullText = null;
        for (; i < t.Count; i++)
        {
            var word = t[i].Value.ToUpperInvariant();
            switch (word)
            {
                case "WITH" or "(" or ")" or ",": continue;
                case "CSV": csv = true; break;
                case "BINARY": throw StatementException.NotSupported("COPY in binary format is not supported");
                case "FORMAT":
                    var format = Next(t, ref i).ToUpperInvariant();
                    if (format == "BINARY") throw StatementException.NotSupported("COPY in binary format is not supported");
                    if (format is not ("CSV" or "TEXT" or "PARQUET"))
                        throw new StatementException(StatementException.InvalidParameterValue, $"COPY format \"{format}\" not recognized");
                    csv = format == "CSV";
                    parquet = format == "PARQUET";
                    break;
                case "HEADER":
                    header = true;
                    if (i + 1 < t.Count && t[i + 1].Value.ToUpperInvariant() is "TRUE" or "ON" or "1") i++;
                    else if (i + 1 < t.Count && t[i + 1].Value.ToUpperInvariant() is "FALSE" or "OFF" or "0") { header = false; i++; }
                    break;
                case "DELIMITER":
                    var d = Next(t, ref i);
                    if (d.Length != 1) throw StatementException.NotSupported("COPY delimiter must be a single one-byte character");
                    delimiter = d[0];
                    break;
                case "NULL": nullText = Next(t, ref i); break;
                case "QUOTE" or "ESCAPE" or "ENCODING" or "FORCE_QUOTE" or "FORCE": throw StatementException.NotSupported($"COPY option {word} is not supported");
                default: throw Syntax();
            }
        }
        if (parquet && (header || delimiter is not null || nullText is not null))
            throw StatementException.NotSupported("COPY with FORMAT parquet takes no other option");
        return new CopyOutStatement(statement, query, csv, header, delimiter ?? (csv ? ',' : '\t'), nullText ?? (csv ? "" : "\\N"), parquet);
    }

    private static string Next(IReadOnlyList<SqlToken> t, ref int i)
    {
        if (++i >= t.Count) throw Syntax();
        return t[i].Value;
    }

    private static StatementException Syntax() => new(StatementException.SyntaxError, "syntax error in COPY statement");
}
