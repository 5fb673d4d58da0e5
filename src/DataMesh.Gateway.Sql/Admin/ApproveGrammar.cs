namespace DataMesh.Gateway.Sql.Admin;

/// <summary>
/// APPROVE SUBSCRIPTION n [WITH ROW FILTER (expr)] [INCLUDE COLUMNS (...) | EXCLUDE COLUMNS (...)]
/// [MASK COLUMNS (col USING kind, ...)] [EXPIRES 'ts' | EXPIRES IN INTERVAL 'text'] [COMMENT '...'],
/// clauses in any order, each at most once; or APPROVE SUBSCRIPTION n ADD COLUMNS (...) [COMMENT '...'].
/// </summary>
internal static class ApproveGrammar
{
    public static AdminStatement ApproveSubscription(TokenCursor c)
    {
        var id = c.ExpectSubscriptionId();
        if (c.AcceptWord("ADD")) return AddColumns(c, id);
        SqlFragment? rowFilter = null;
        List<string>? include = null, exclude = null;
        IReadOnlyList<ColumnMask> masks = [];
        string? expiresAt = null, expiresIn = null, comment = null;
        var clauses = new ClauseSet(c);
        while (c.Peek() is { } keyword)
        {
            if (c.AcceptWord("WITH"))
            {
                clauses.Claim("ROW FILTER", "WITH ROW FILTER", keyword);
                c.ExpectWord("ROW");
                c.ExpectWord("FILTER");
                rowFilter = RowFilterReader.Read(c);
            }
            else if (c.AcceptWord("INCLUDE"))
            {
                clauses.Claim("COLUMNS", "INCLUDE COLUMNS", keyword);
                c.ExpectWord("COLUMNS");
                include = c.ExpectNameList("column");
            }
            else if (c.AcceptWord("EXCLUDE"))
            {
                clauses.Claim("COLUMNS", "EXCLUDE COLUMNS", keyword);
                c.ExpectWord("COLUMNS");
                exclude = c.ExpectNameList("column");
            }
            else if (c.AcceptWord("MASK"))
            {
                clauses.Claim("MASK", "MASK COLUMNS", keyword);
                c.ExpectWord("COLUMNS");
                masks = MaskGrammar.Masks(c);
            }
            else if (c.AcceptWord("EXPIRES"))
            {
                clauses.Claim("EXPIRES", "EXPIRES", keyword);
                // Both forms stay text: the server evaluates them (it knows "now" and the session time zone).
                if (c.AcceptWord("IN"))
                {
                    c.ExpectWord("INTERVAL");
                    expiresIn = c.ExpectString("interval (string literal)");
                }
                else expiresAt = c.ExpectString("expiry timestamp (string literal) or IN INTERVAL");
            }
            else if (c.AcceptWord("COMMENT"))
            {
                clauses.Claim("COMMENT", "COMMENT", keyword);
                comment = c.ExpectString("comment (string literal)");
            }
            else break; // anything else is trailing input, reported by the caller
        }
        return new ApproveSubscription(id, rowFilter, include, exclude, masks, expiresAt, expiresIn, comment);
    }

    /// <summary>ADD COLUMNS (c [USING mask], ...) [COMMENT '...'] after the id: columns added by a later revision, approved now.</summary>
    private static ApproveSubscriptionColumns AddColumns(TokenCursor c, long id)
    {
        c.ExpectWord("COLUMNS");
        var (columns, masks) = MaskGrammar.ColumnsWithMasks(c);
        var comment = c.AcceptWord("COMMENT") ? c.ExpectString("comment (string literal)") : null;
        return new ApproveSubscriptionColumns(id, columns, comment, masks);
    }
}
