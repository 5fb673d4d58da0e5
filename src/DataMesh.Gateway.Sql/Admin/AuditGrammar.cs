using DataMesh.Gateway.Sql.Lexing;

namespace DataMesh.Gateway.Sql.Admin;

/// <summary>
/// SHOW AUDIT's filters in either spelling, one grammar: clauses (<c>USER bob ASSET p.a SINCE '…'</c>) or a WHERE of
/// conditions joined by AND (<c>WHERE user = bob AND asset = p.a AND since '…'</c>), each filter at most once, then
/// LIMIT n (1..10000). EXPORT AUDIT takes the same filters and a FORMAT; SHOW USAGE and SHOW EVENTS read the audit side too.
/// </summary>
internal static class AuditGrammar
{
    /// <summary>The listing's size when no LIMIT is given, and the most one statement may ask for.</summary>
    public const int DefaultLimit = 100, MaxLimit = 10000;

    /// <summary>EXPORT AUDIT reads at most this many records (its default: all it may see, up to this).</summary>
    public const int MaxExport = 1_000_000;

    public static AdminStatement ShowAudit(TokenCursor c) => Filters(c, DefaultLimit, MaxLimit);

    /// <summary>EXPORT AUDIT [filters] [LIMIT n] [FORMAT CSV | PARQUET]</summary>
    public static AdminStatement ExportAudit(TokenCursor c)
    {
        var filter = Filters(c, MaxExport, MaxExport);
        var parquet = false;
        if (c.AcceptWord("FORMAT"))
        {
            if (c.AcceptWord("PARQUET")) parquet = true;
            else if (!c.AcceptWord("CSV")) throw c.Unexpected("CSV or PARQUET");
        }
        return new ExportAudit(filter, parquet);
    }

    /// <summary>SHOW USAGE OF ASSET p.a [SINCE 'time']</summary>
    public static AdminStatement ShowUsage(TokenCursor c)
    {
        var asset = c.ExpectAssetName();
        return new ShowUsage(asset, c.AcceptWord("SINCE") ? c.ExpectString("time (string literal)") : null);
    }

    /// <summary>SHOW EVENTS [LIMIT n]</summary>
    public static AdminStatement ShowEvents(TokenCursor c) =>
        new ShowEvents(c.AcceptWord("LIMIT") ? c.ExpectInteger("row count", 1, MaxLimit) : DefaultLimit);

    private static ShowAudit Filters(TokenCursor c, int defaultLimit, int maxLimit)
    {
        var audit = new ShowAudit(defaultLimit);
        var clauses = new ClauseSet(c);
        if (c.AcceptWord("WHERE"))
        {
            do audit = Condition(c, clauses, audit);
            while (c.AcceptWord("AND"));
        }
        else
        {
            // The keyword spelling takes its clauses, LIMIT among them, in any order.
            while (c.Peek() is { } keyword && (Clause(c, clauses, keyword, ref audit) || Limit(c, clauses, maxLimit, ref audit)))
            {
            }
            return audit;
        }
        Limit(c, clauses, maxLimit, ref audit);
        return audit;
    }

    private static bool Limit(TokenCursor c, ClauseSet clauses, int maxLimit, ref ShowAudit audit)
    {
        if (c.Peek() is not { } limit || !c.AcceptWord("LIMIT")) return false;
        clauses.Claim("LIMIT", "LIMIT", limit);
        audit = audit with { Limit = c.ExpectInteger("row count", 1, maxLimit) };
        return true;
    }

    /// <summary>One clause of the keyword spelling; false (nothing consumed) when the next word is none of them.</summary>
    private static bool Clause(TokenCursor c, ClauseSet clauses, SqlToken keyword, ref ShowAudit audit)
    {
        if (c.AcceptWord("USER")) audit = audit with { User = Claimed(clauses, "USER", keyword, () => c.ExpectName("user name")) };
        else if (c.AcceptWord("ASSET")) audit = audit with { Asset = Claimed(clauses, "ASSET", keyword, c.ExpectAssetName) };
        else if (c.AcceptWord("PROJECT")) audit = audit with { Project = Claimed(clauses, "PROJECT", keyword, () => c.ExpectName("project name")) };
        else if (c.AcceptWord("SINCE")) audit = audit with { Since = Claimed(clauses, "SINCE", keyword, () => c.ExpectString("time (string literal)")) };
        else if (c.AcceptWord("UNTIL")) audit = audit with { Until = Claimed(clauses, "UNTIL", keyword, () => c.ExpectString("time (string literal)")) };
        else return false;
        return true;
    }

    /// <summary>user = name | asset = p.a | project = name | since ['='|'>='] 'time' | until ['='|'<'] 'time' | at >= 'time' | at &lt; 'time'</summary>
    private static ShowAudit Condition(TokenCursor c, ClauseSet clauses, ShowAudit audit)
    {
        var field = c.Peek() ?? throw c.Unexpected("a condition (user, asset, project, since, until)");
        if (c.AcceptWord("USER")) return audit with { User = Claimed(clauses, "USER", field, () => Equals(c, "user name")) };
        if (c.AcceptWord("PROJECT")) return audit with { Project = Claimed(clauses, "PROJECT", field, () => Equals(c, "project name")) };
        if (c.AcceptWord("ASSET"))
            return audit with
            {
                Asset = Claimed(clauses, "ASSET", field, () =>
                {
                    c.ExpectSymbol("=");
                    if (c.Peek() is not { Kind: SqlTokenKind.String } text) return c.ExpectAssetName();
                    var dot = text.Value.IndexOf('.', StringComparison.Ordinal);
                    if (dot <= 0 || dot == text.Value.Length - 1) throw c.ErrorAt(text, $"asset \"{text.Value}\" is not project.asset");
                    c.Skip(1);
                    return new AssetName(text.Value[..dot], text.Value[(dot + 1)..]);
                }),
            };
        if (c.AcceptWord("SINCE"))
        {
            if (!c.AcceptSymbol("=") && c.AcceptSymbol(">")) c.ExpectSymbol("=");
            return audit with { Since = Claimed(clauses, "SINCE", field, () => c.ExpectString("time (string literal)")) };
        }
        if (c.AcceptWord("UNTIL"))
        {
            if (!c.AcceptSymbol("=")) c.AcceptSymbol("<");
            return audit with { Until = Claimed(clauses, "UNTIL", field, () => c.ExpectString("time (string literal)")) };
        }
        if (c.AcceptWord("AT"))
        {
            if (c.AcceptSymbol(">"))
            {
                c.ExpectSymbol("=");
                return audit with { Since = Claimed(clauses, "SINCE", field, () => c.ExpectString("time (string literal)")) };
            }
            c.ExpectSymbol("<");
            return audit with { Until = Claimed(clauses, "UNTIL", field, () => c.ExpectString("time (string literal)")) };
        }
        throw c.Unexpected("a condition (user, asset, project, since, until)");
    }

    /// <summary>"= name" where the name may also be a string literal (taken as written, not folded).</summary>
    private static string Equals(TokenCursor c, string what)
    {
        c.ExpectSymbol("=");
        return c.Peek() is { Kind: SqlTokenKind.String } ? c.ExpectString(what) : c.ExpectName(what);
    }

    private static T Claimed<T>(ClauseSet clauses, string slot, SqlToken keyword, Func<T> read)
    {
        clauses.Claim(slot, slot, keyword);
        return read();
    }
}
