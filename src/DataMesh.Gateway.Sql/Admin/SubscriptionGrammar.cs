namespace DataMesh.Gateway.Sql.Admin;

/// <summary>Subscription requests and decisions (approval lives in <see cref="ApproveGrammar"/>).</summary>
internal static class SubscriptionGrammar
{
    /// <summary>REQUEST SUBSCRIPTION TO proj.asset FOR PROJECT consumer JUSTIFICATION '...'</summary>
    public static AdminStatement RequestSubscription(TokenCursor c)
    {
        c.ExpectWord("TO");
        var asset = c.ExpectAssetName();
        c.ExpectWord("FOR");
        c.ExpectWord("PROJECT");
        var consumer = c.ExpectName("project name");
        c.ExpectWord("JUSTIFICATION");
        return new RequestSubscription(asset, consumer, c.ExpectString("justification (string literal)"));
    }

    /// <summary>REJECT SUBSCRIPTION n [COMMENT '...']</summary>
    public static AdminStatement RejectSubscription(TokenCursor c)
    {
        var id = c.ExpectSubscriptionId();
        return new RejectSubscription(id, OptionalComment(c));
    }

    /// <summary>REVOKE SUBSCRIPTION n [COMMENT '...']</summary>
    public static AdminStatement RevokeSubscription(TokenCursor c)
    {
        var id = c.ExpectSubscriptionId();
        return new RevokeSubscription(id, OptionalComment(c));
    }

    /// <summary>SHOW EFFECTIVE POLICY FOR PROJECT consumer ON proj.asset</summary>
    public static AdminStatement ShowEffectivePolicy(TokenCursor c)
    {
        c.ExpectWord("FOR");
        c.ExpectWord("PROJECT");
        var consumer = c.ExpectName("project name");
        c.ExpectWord("ON");
        return new ShowEffectivePolicy(consumer, c.ExpectAssetName());
    }

    private static string? OptionalComment(TokenCursor c) =>
        c.AcceptWord("COMMENT") ? c.ExpectString("comment (string literal)") : null;
}
