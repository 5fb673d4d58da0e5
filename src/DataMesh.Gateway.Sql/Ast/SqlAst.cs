using System.Globalization;

namespace DataMesh.Gateway.Sql.Ast;

/// <summary>Reads DuckDB's json_serialize_sql output for one SELECT statement, once, into the typed tree.</summary>
public static class SqlAst
{
    /// <summary>
    /// Reads the AST of <paramref name="originalSql"/> (the exact text given to json_serialize_sql).
    /// </summary>
    /// <exception cref="SqlAstException">
    /// DuckDB reported an error (a parse error, or a statement other than SELECT), there is not exactly one statement,
    /// or the AST is inconsistent with the text. <see cref="SqlAstException.Position"/> is a char offset.
    /// </exception>
    public static ParsedQuery Parse(string json, string originalSql)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(originalSql);
        var offsets = new Utf8Offsets(originalSql);
        var root = AstReader.Read(json, offsets);
        if (root.Has("error") && root["error"].Kind != AstValueKind.False) throw DuckDbError(root, offsets);
        if (root["statements"] is not { Kind: AstValueKind.Array } statements)
            throw new SqlAstException("the DuckDB AST has no statement list");
        if (statements.Items.Count != 1)
            throw new SqlAstException($"expected exactly one statement, found {statements.Items.Count}");
        var statement = statements.Items[0].Node ?? throw new SqlAstException("unexpected DuckDB AST shape: a statement is not an object");
        var collector = new AstCollector(originalSql);
        collector.WalkStatement(statement);
        return new ParsedQuery(originalSql, statement, collector);
    }

    /// <summary>Calls <paramref name="onRead"/> with every JSON document this thread reads into a tree, until disposed.</summary>
    internal static IDisposable ObserveReads(Action<string> onRead) => AstReader.Observe(onRead);

    private static SqlAstException DuckDbError(AstNode root, Utf8Offsets offsets)
    {
        int? position = null;
        var p = root["position"];
        // Parse errors report "position" in code points (PostgreSQL's scanner counts characters), unlike query_location.
        if (p.Kind is AstValueKind.String or AstValueKind.Number
            && ulong.TryParse(p.Text, NumberStyles.None, CultureInfo.InvariantCulture, out var codePoints)
            && codePoints != Utf8Offsets.NoLocation && offsets.TryCodePointToCharOffset(codePoints, out var chars))
            position = chars;
        return new SqlAstException(root.String("error_message") ?? "DuckDB could not serialise the statement", position,
            root.String("error_type") ?? "", root.String("error_subtype"));
    }
}
