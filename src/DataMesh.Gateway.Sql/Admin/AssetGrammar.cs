namespace DataMesh.Gateway.Sql.Admin;

/// <summary>Data assets.</summary>
internal static class AssetGrammar
{
    /// <summary>
    /// CREATE ASSET proj.asset FROM 'path' [DESCRIPTION '...'] [TERMS (...)] [METADATA (...)], the optional
    /// clauses in any order, each at most once.
    /// </summary>
    /// <remarks>
    /// A data product written by the project itself: <c>CREATE ASSET p.a FROM WORKSPACE TABLE t [clauses]</c>, or
    /// <c>CREATE ASSET p.a [clauses] AS query</c> (the query runs to the end of the statement, so the clauses come first).
    /// </remarks>
    public static AdminStatement CreateAsset(TokenCursor c)
    {
        var name = c.ExpectAssetName();
        if (!c.IsWord("FROM"))
        {
            var (d, t, m) = Clauses(c);
            var @as = c.ExpectWord("AS");
            if (c.AtEnd) throw c.Unexpected("a query after AS");
            var query = c.Text[c.OffsetOf(c.Peek()!.Value)..].Trim();
            c.SkipToEnd();
            return new CreateDataProduct(name, "query", query, null, d, t, m) { QueryOffset = c.EndOf(@as) };
        }
        c.ExpectWord("FROM");
        if (c.AcceptWord("WORKSPACE"))
        {
            c.ExpectWord("TABLE");
            var table = c.ExpectName("workspace table name");
            var (d, t, m) = Clauses(c);
            return new CreateDataProduct(name, $"workspace table {table}", $"SELECT * FROM workspace.\"{table.Replace("\"", "\"\"", StringComparison.Ordinal)}\"", table, d, t, m);
        }
        var source = c.ExpectString("source path (string literal)");
        var (description, terms, metadata) = Clauses(c);
        return new CreateAsset(name, source, description, terms, metadata);
    }

    /// <summary>[DESCRIPTION '...'] [TERMS (...)] [METADATA (...)] in any order, each at most once.</summary>
    private static (string? Description, IReadOnlyList<string> Terms, IReadOnlyDictionary<string, string> Metadata) Clauses(TokenCursor c)
    {
        string? description = null;
        IReadOnlyList<string> terms = [];
        IReadOnlyDictionary<string, string> metadata = new Dictionary<string, string>();
        var clauses = new ClauseSet(c);
        while (c.Peek() is { } keyword)
        {
            if (c.AcceptWord("DESCRIPTION"))
            {
                clauses.Claim("DESCRIPTION", "DESCRIPTION", keyword);
                description = c.ExpectString("description (string literal)");
            }
            else if (c.AcceptWord("TERMS"))
            {
                clauses.Claim("TERMS", "TERMS", keyword);
                terms = Terms(c);
            }
            else if (c.AcceptWord("METADATA"))
            {
                clauses.Claim("METADATA", "METADATA", keyword);
                metadata = Metadata(c);
            }
            else break; // anything else is trailing input, reported by the caller
        }
        return (description, terms, metadata);
    }

    /// <summary>
    /// ALTER ASSET proj.asset SET COLUMN col DESCRIPTION '...' | SET COLUMN col TERMS (...) | SET DESCRIPTION '...' |
    /// SET TERMS (...) | SET METADATA (...) | SET PRIMARY KEY (col, ...) | SET CLUSTER BY (col, ...) | RENAME TO name
    /// </summary>
    /// <remarks>An empty key or clustering list, <c>()</c>, clears the declaration.</remarks>
    public static AdminStatement AlterAsset(TokenCursor c)
    {
        var name = c.ExpectAssetName();
        if (c.IsWord("RENAME")) return new RenameObject(RenameKind.Asset, name.ToString(), LifecycleGrammar.RenameTo(c, "asset name"));
        c.ExpectWord("SET");
        if (c.AcceptWord("COLUMN"))
        {
            var column = c.ExpectName("column name");
            if (c.AcceptWord("TERMS")) return new AlterAssetColumnTerms(name, column, Terms(c));
            c.ExpectWord("DESCRIPTION");
            return new AlterAssetColumnDescription(name, column, c.ExpectString("description (string literal)"));
        }
        if (c.AcceptWord("DESCRIPTION")) return new AlterAssetDescription(name, c.ExpectString("description (string literal)"));
        if (c.AcceptWord("TERMS")) return new AlterAssetTerms(name, Terms(c));
        if (c.AcceptWord("METADATA")) return new AlterAssetMetadata(name, Metadata(c));
        if (c.AcceptWord("PRIMARY"))
        {
            c.ExpectWord("KEY");
            return new AlterAssetPrimaryKey(name, c.ExpectNameList("key column", allowEmpty: true));
        }
        if (c.AcceptWord("CLUSTER"))
        {
            c.ExpectWord("BY");
            return new AlterAssetClusterBy(name, c.ExpectNameList("clustering column", allowEmpty: true));
        }
        throw c.Unexpected("COLUMN, DESCRIPTION, TERMS, METADATA, PRIMARY KEY or CLUSTER BY");
    }

    /// <summary>DESCRIBE ASSET p.a [REVISION n [DIFF [FROM m]]]</summary>
    public static AdminStatement DescribeAsset(TokenCursor c)
    {
        var name = c.ExpectAssetName();
        if (!c.AcceptWord("REVISION")) return new DescribeAsset(name);
        var revision = c.ExpectInteger("revision number", 1, int.MaxValue);
        if (!c.AcceptWord("DIFF")) return new DescribeAsset(name, revision);
        int? from = c.AcceptWord("FROM") ? c.ExpectInteger("revision number", 1, int.MaxValue) : null;
        return new DescribeAsset(name, revision, Diff: true, DiffFrom: from);
    }

    // Empty lists are allowed: "SET TERMS ()" / "SET METADATA ()" is how a steward clears them.
    private static List<string> Terms(TokenCursor c) =>
        c.ExpectList("glossary term", allowEmpty: true, item => item.ExpectNameOrString("glossary term"));

    private static Dictionary<string, string> Metadata(TokenCursor c) =>
        c.ExpectOptions("metadata key", allowNumbers: false, allowEmpty: true);
}
