namespace DataMesh.Gateway.Sql.Admin;

/// <summary>
/// SHOW AUDIT [USER name] [ASSET project.asset] [PROJECT name] [SINCE 'time'] [UNTIL 'time'] [LIMIT n], the
/// clauses in any order, each at most once; n in 1..10000 so one statement cannot pull the whole log.
/// </summary>
internal static class AuditGrammar
{
    /// <summary>The listing's size when no LIMIT is given, and the most one statement may ask for.</summary>
    public const int DefaultLimit = 100, MaxLimit = 10000;

    public static AdminStatement ShowAudit(TokenCursor c)
    {
        var limit = DefaultLimit;
        string? user = null, project = null, since = null, until = null;
        AssetName? asset = null;
        var clauses = new ClauseSet(c);
        while (c.Peek() is { } keyword)
        {
            if (c.AcceptWord("USER"))
            {
                clauses.Claim("USER", "USER", keyword);
                user = c.ExpectName("user name");
            }
            else if (c.AcceptWord("ASSET"))
            {
                clauses.Claim("ASSET", "ASSET", keyword);
                asset = c.ExpectAssetName();
            }
            else if (c.AcceptWord("PROJECT"))
            {
                clauses.Claim("PROJECT", "PROJECT", keyword);
                project = c.ExpectName("project name");
            }
            else if (c.AcceptWord("SINCE"))
            {
                clauses.Claim("SINCE", "SINCE", keyword);
                since = c.ExpectString("time (string literal)");
            }
            else if (c.AcceptWord("UNTIL"))
            {
                clauses.Claim("UNTIL", "UNTIL", keyword);
                until = c.ExpectString("time (string literal)");
            }
            else if (c.AcceptWord("LIMIT"))
            {
                clauses.Claim("LIMIT", "LIMIT", keyword);
                limit = c.ExpectInteger("row count", 1, MaxLimit);
            }
            else break; // anything else is trailing input, reported by the caller
        }
        return new ShowAudit(limit, user, asset, project, since, until);
    }
}
