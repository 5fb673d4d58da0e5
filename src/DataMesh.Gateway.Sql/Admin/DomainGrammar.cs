namespace DataMesh.Gateway.Sql.Admin;

/// <summary>The domain itself. SHOW DOMAIN takes nothing after its keywords, so only renaming needs a reader.</summary>
internal static class DomainGrammar
{
    /// <summary>ALTER DOMAIN RENAME TO name — a name like any other (folded, at most 63 characters, never empty).</summary>
    public static AdminStatement RenameDomain(TokenCursor c)
    {
        c.ExpectWord("RENAME");
        c.ExpectWord("TO");
        return new RenameDomain(c.ExpectName("domain name"));
    }
}
