using DataMesh.Gateway.Sql.Lexing;

namespace DataMesh.Gateway.Sql.Statements;

/// <summary>COPY's output formats.</summary>
public enum CopyFormat
{
    Text,
    Csv,
    Binary,

    /// <summary>One Parquet file written by the engine (the gateway's own format; PostgreSQL has none).</summary>
    Parquet,
}

/// <summary>
/// The options of <c>COPY … TO STDOUT</c> in both of PostgreSQL's spellings: the parenthesised list
/// (<c>WITH (FORMAT csv, HEADER, DELIMITER ',', NULL '', QUOTE '"', ESCAPE '"', FORCE_QUOTE (a, b) | *, ENCODING 'UTF8')</c>)
/// and the older keywords clients still send (<c>WITH DELIMITER AS ',' NULL AS '\N' CSV HEADER QUOTE AS '"'
/// FORCE QUOTE *</c>, <c>BINARY</c>), checked as PostgreSQL's ProcessCopyOptions checks them, with its messages.
/// </summary>
public sealed record CopyOptions(CopyFormat Format, bool Header, char Delimiter, string NullText, char Quote, char Escape,
    IReadOnlyList<string>? ForceQuote, bool ForceQuoteAll)
{
    public static CopyOptions Parse(IReadOnlyList<SqlToken> t, int i)
    {
        var b = new Builder();
        if (i < t.Count && t[i].IsWord("WITH")) i++;
        if (i < t.Count && t[i].Text == "(")
        {
            for (i++; i < t.Count && t[i].Text != ")";)
            {
                var name = t[i++].Value.ToLowerInvariant();
                var args = new List<SqlToken>();
                var depth = 0;
                while (i < t.Count && !(depth == 0 && (t[i].Text is "," or ")")))
                {
                    if (t[i].Text == "(") depth++;
                    else if (t[i].Text == ")") depth--;
                    args.Add(t[i++]);
                }
                b.Option(name, args);
                if (i < t.Count && t[i].Text == ",") i++;
            }
            if (i >= t.Count) throw Syntax("(");
            i++;
        }
        else
        {
            while (i < t.Count) i = b.Legacy(t, i);
        }
        if (i != t.Count) throw Syntax(t[i].Text);
        return b.Build();
    }

    /// <summary>Accumulates options, refusing one given twice ("conflicting or redundant options").</summary>
    private sealed class Builder
    {
        private readonly HashSet<string> _seen = [];
        private CopyFormat? _format;
        private bool _header;
        private string? _delimiter, _null, _quote, _escape;
        private List<string>? _forceQuote;
        private bool _forceQuoteAll;

        public void Option(string name, List<SqlToken> args)
        {
            if (!_seen.Add(name)) throw Redundant();
            string Value() => args is [var one] ? one.Value : throw Syntax(args.Count > 0 ? args[^1].Text : name);
            switch (name)
            {
                case "format":
                    _format = Value().ToLowerInvariant() switch
                    {
                        "text" => CopyFormat.Text,
                        "csv" => CopyFormat.Csv,
                        "binary" => CopyFormat.Binary,
                        "parquet" => CopyFormat.Parquet,
                        var other => throw new StatementException(StatementException.InvalidParameterValue, $"COPY format \"{other}\" not recognized"),
                    };
                    break;
                case "header":
                    _header = args.Count == 0 || Value().ToLowerInvariant() switch
                    {
                        "true" or "on" or "1" => true,
                        "false" or "off" or "0" => false,
                        "match" => throw new StatementException(StatementException.FeatureNotSupported, "cannot use \"match\" with HEADER in COPY TO"),
                        _ => throw new StatementException(StatementException.InvalidParameterValue, "header requires a Boolean value or \"match\""),
                    };
                    break;
                case "delimiter": _delimiter = Value(); break;
                case "null": _null = Value(); break;
                case "quote": _quote = Value(); break;
                case "escape": _escape = Value(); break;
                case "encoding":
                    var clean = new string(Value().Where(char.IsAsciiLetterOrDigit).ToArray()).ToLowerInvariant();
                    if (clean is not ("utf8" or "unicode"))
                        throw new StatementException(StatementException.FeatureNotSupported, $"COPY ENCODING \"{Value()}\" is not supported: the gateway writes UTF8 only");
                    break;
                case "force_quote":
                    if (args is [{ Text: "*" }]) _forceQuoteAll = true;
                    else _forceQuote = Columns(args);
                    break;
                case "freeze" or "force_not_null" or "force_null":
                    throw new StatementException(StatementException.FeatureNotSupported, $"COPY {name} available only using COPY FROM");
                default:
                    throw new StatementException(StatementException.SyntaxError, $"option \"{name}\" not recognized");
            }
        }

        /// <summary>One old-style option at <paramref name="i"/> (<c>DELIMITER [AS] 'c'</c>, <c>CSV</c>, <c>FORCE QUOTE *</c> …).</summary>
        public int Legacy(IReadOnlyList<SqlToken> t, int i)
        {
            SqlToken Argument(ref int k)
            {
                if (k < t.Count && t[k].IsWord("AS")) k++;
                return k < t.Count ? t[k++] : throw Syntax(t[^1].Text);
            }
            var word = t[i++].Value.ToUpperInvariant();
            switch (word)
            {
                case "BINARY": Option("format", [new SqlToken(SqlTokenKind.Word, "binary", "binary", 0)]); break;
                case "CSV": Option("format", [new SqlToken(SqlTokenKind.Word, "csv", "csv", 0)]); break;
                case "HEADER": Option("header", []); break;
                case "DELIMITER" or "NULL" or "QUOTE" or "ESCAPE" or "ENCODING": Option(word.ToLowerInvariant(), [Argument(ref i)]); break;
                case "FORCE" when i < t.Count && t[i].IsWord("QUOTE"):
                    i++;
                    var columns = new List<SqlToken>();
                    if (i < t.Count && t[i].Text == "*") columns.Add(t[i++]);
                    else
                        while (i < t.Count && t[i].Kind is SqlTokenKind.Word or SqlTokenKind.QuotedIdentifier && !IsLegacyKeyword(t[i]))
                        {
                            columns.Add(t[i++]);
                            if (i < t.Count && t[i].Text == ",") columns.Add(t[i++]);
                        }
                    Option("force_quote", columns);
                    break;
                case "FORCE" or "OIDS":
                    throw new StatementException(StatementException.FeatureNotSupported, word == "OIDS" ? "COPY OIDS is not supported" : "COPY FORCE NOT NULL available only using COPY FROM");
                default:
                    throw Syntax(t[i - 1].Text);
            }
            return i;
        }

        private static bool IsLegacyKeyword(SqlToken token) =>
            token.Kind == SqlTokenKind.Word && token.Value.ToUpperInvariant() is "BINARY" or "CSV" or "HEADER" or "DELIMITER" or "NULL" or "QUOTE" or "ESCAPE" or "ENCODING" or "FORCE";

        private static List<string> Columns(List<SqlToken> args)
        {
            var columns = new List<string>();
            foreach (var a in args)
            {
                if (a.Text is "(" or ")" or ",") continue;
                columns.Add(a.Kind == SqlTokenKind.Word ? a.Value.ToLowerInvariant() : a.Value);
            }
            return columns;
        }

        public CopyOptions Build()
        {
            var format = _format ?? CopyFormat.Text;
            if (format == CopyFormat.Parquet && _seen.Count > 1)
                throw new StatementException(StatementException.FeatureNotSupported, "COPY with FORMAT parquet takes no other option");
            var csv = format == CopyFormat.Csv;
            if (format == CopyFormat.Binary)
            {
                if (_delimiter is not null) throw Syntax42601("cannot specify DELIMITER in BINARY mode");
                if (_null is not null) throw Syntax42601("cannot specify NULL in BINARY mode");
                if (_header) throw new StatementException(StatementException.FeatureNotSupported, "cannot specify HEADER in BINARY mode");
            }
            var delimiter = _delimiter ?? (csv ? "," : "\t");
            if (delimiter.Length != 1 || delimiter[0] > 127)
                throw new StatementException(StatementException.FeatureNotSupported, "COPY delimiter must be a single one-byte character");
            if (delimiter is "\n" or "\r") throw new StatementException(StatementException.InvalidParameterValue, "COPY delimiter cannot be newline or carriage return");
            var nullText = _null ?? (csv ? "" : "\\N");
            if (nullText.Contains('\n') || nullText.Contains('\r'))
                throw new StatementException(StatementException.InvalidParameterValue, "COPY null representation cannot use newline or carriage return");
            if (!csv && "\\.abcdefghijklmnopqrstuvwxyz0123456789".Contains(delimiter[0]))
                throw new StatementException(StatementException.InvalidParameterValue, $"COPY delimiter cannot be \"{delimiter}\"");
            if (!csv && _quote is not null) throw new StatementException(StatementException.FeatureNotSupported, "COPY quote available only in CSV mode");
            if (!csv && _escape is not null) throw new StatementException(StatementException.FeatureNotSupported, "COPY escape available only in CSV mode");
            if (!csv && (_forceQuote is not null || _forceQuoteAll))
                throw new StatementException(StatementException.FeatureNotSupported, "COPY force quote available only in CSV mode");
            var quote = _quote ?? "\"";
            var escape = _escape ?? quote;
            if (quote.Length != 1 || quote[0] > 127) throw new StatementException(StatementException.FeatureNotSupported, "COPY quote must be a single one-byte character");
            if (escape.Length != 1 || escape[0] > 127) throw new StatementException(StatementException.FeatureNotSupported, "COPY escape must be a single one-byte character");
            if (csv && delimiter[0] == quote[0]) throw new StatementException(StatementException.InvalidParameterValue, "COPY delimiter and quote must be different");
            if (format != CopyFormat.Binary && nullText.Contains(delimiter[0]))
                throw new StatementException(StatementException.FeatureNotSupported, "COPY delimiter must not appear in the NULL specification");
            if (csv && nullText.Contains(quote[0]))
                throw new StatementException(StatementException.FeatureNotSupported, "CSV quote character must not appear in the NULL specification");
            return new CopyOptions(format, _header, delimiter[0], nullText, quote[0], escape[0], _forceQuote, _forceQuoteAll);
        }
    }

    private static StatementException Redundant() => new(StatementException.SyntaxError, "conflicting or redundant options");

    private static StatementException Syntax42601(string message) => new(StatementException.SyntaxError, message);

    private static StatementException Syntax(string near) => new(StatementException.SyntaxError, $"syntax error at or near \"{near}\"");
}
