namespace DataMesh.Gateway.Sql.Admin;

/// <summary>
/// ALTER SUBSCRIPTION n change… [COMMENT '…'] and REQUEST SUBSCRIPTION CHANGE n change… JUSTIFICATION '…': the changes
/// to an approved grant, each kind at most once.
/// </summary>
internal static class ChangeGrammar
{
    public static AdminStatement AlterSubscription(TokenCursor c)
    {
        var id = c.ExpectSubscriptionId();
        var (changes, _) = Changes(c);
        return new AlterSubscription(id, changes, OptionalComment(c));
    }

    public static AdminStatement RequestChange(TokenCursor c)
    {
        var id = c.ExpectSubscriptionId();
        var (changes, text) = Changes(c);
        c.ExpectWord("JUSTIFICATION");
        return new RequestSubscriptionChange(id, changes, text, c.ExpectString("justification (string literal)"));
    }

    public static string? OptionalComment(TokenCursor c) => c.AcceptWord("COMMENT") ? c.ExpectString("comment (string literal)") : null;

    /// <summary>One or more changes, and their text as written (a change request stores it and an approval applies it).</summary>
    public static (GrantChanges Changes, string Text) Changes(TokenCursor c)
    {
        var changes = new GrantChanges();
        var clauses = new ClauseSet(c);
        var first = c.Peek();
        Lexing.SqlToken? last = null;
        while (c.Peek() is { } keyword && (keyword.IsWord("SET") || keyword.IsWord("ADD")))
        {
            changes = c.AcceptWord("ADD") ? AddColumns(c, clauses, keyword, changes) : Set(c, clauses, keyword, changes);
            last = c.Previous;
        }
        if (first is not { } start || last is not { } end)
            throw c.Unexpected("SET ROW FILTER, SET COLUMNS, SET MASK, SET EXPIRES or ADD COLUMNS");
        return (changes, c.Text[c.OffsetOf(start)..c.EndOf(end)]);
    }

    private static GrantChanges AddColumns(TokenCursor c, ClauseSet clauses, Lexing.SqlToken keyword, GrantChanges changes)
    {
        clauses.Claim("ADD COLUMNS", "ADD COLUMNS", keyword);
        c.ExpectWord("COLUMNS");
        var (columns, masks) = MaskGrammar.ColumnsWithMasks(c);
        return changes with { AddColumns = columns, AddMasks = masks };
    }

    private static GrantChanges Set(TokenCursor c, ClauseSet clauses, Lexing.SqlToken keyword, GrantChanges changes)
    {
        c.ExpectWord("SET");
        if (c.AcceptWord("ROW"))
        {
            clauses.Claim("ROW FILTER", "SET ROW FILTER", keyword);
            c.ExpectWord("FILTER");
            return c.AcceptWord("NONE")
                ? changes with { SetsRowFilter = true, RowFilter = null }
                : changes with { SetsRowFilter = true, RowFilter = RowFilterReader.Read(c) };
        }
        if (c.AcceptWord("COLUMNS"))
        {
            clauses.Claim("COLUMNS", "SET COLUMNS", keyword);
            if (c.AcceptWord("ALL")) return changes with { Columns = new GrantColumns(null, null) };
            if (c.AcceptWord("INCLUDE")) return changes with { Columns = new GrantColumns(c.ExpectNameList("column"), null) };
            if (c.AcceptWord("EXCLUDE")) return changes with { Columns = new GrantColumns(null, c.ExpectNameList("column")) };
            throw c.Unexpected("ALL, INCLUDE (…) or EXCLUDE (…)");
        }
        if (c.AcceptWord("MASK"))
        {
            clauses.Claim("MASK", "SET MASK", keyword);
            return changes with { Masks = c.AcceptWord("NONE") ? [] : MaskGrammar.Masks(c) };
        }
        if (c.AcceptWord("EXPIRES"))
        {
            clauses.Claim("EXPIRES", "SET EXPIRES", keyword);
            if (c.AcceptWord("NEVER")) return changes with { Expiry = new GrantExpiry(null, null) };
            if (c.AcceptWord("IN"))
            {
                c.ExpectWord("INTERVAL");
                return changes with { Expiry = new GrantExpiry(null, c.ExpectString("interval (string literal)")) };
            }
            return changes with { Expiry = new GrantExpiry(c.ExpectString("expiry timestamp (string literal), IN INTERVAL or NEVER"), null) };
        }
        throw c.Unexpected("ROW FILTER, COLUMNS, MASK or EXPIRES");
    }
}
