using System.Globalization;
using System.Text.Json;

namespace DataMesh.Gateway.Sql.Ast;

/// <summary>Reads DuckDB's json_serialize_sql output for one SELECT statement.</summary>
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
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 4096 });
        }
        catch (JsonException e)
        {
            throw new SqlAstException("the DuckDB AST is not valid JSON: " + e.Message);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw new SqlAstException("the DuckDB AST is not a JSON object");
            if (root.TryGetProperty("error", out var error) && error.ValueKind != JsonValueKind.False)
                throw DuckDbError(root, originalSql);
            if (!root.TryGetProperty("statements", out var statements) || statements.ValueKind != JsonValueKind.Array)
                throw new SqlAstException("the DuckDB AST has no statement list");
            var count = statements.GetArrayLength();
            if (count != 1)
                throw new SqlAstException($"expected exactly one statement, found {count}");

            var collector = new AstCollector(originalSql);
            collector.WalkStatement(statements[0]);
            return new ParsedQuery(originalSql, json, collector);
        }
    }

    private static SqlAstException DuckDbError(JsonElement root, string originalSql)
    {
        string? Text(string name) =>
            root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

        int? position = null;
        if (root.TryGetProperty("position", out var p))
        {
            ulong codePoints = 0;
            var ok = p.ValueKind switch
            {
                JsonValueKind.String => ulong.TryParse(p.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out codePoints),
                JsonValueKind.Number => p.TryGetUInt64(out codePoints),
                _ => false,
            };
            if (ok && codePoints != Utf8Offsets.NoLocation && new Utf8Offsets(originalSql).TryCodePointToCharOffset(codePoints, out var chars))
                position = chars;
        }
        return new SqlAstException(Text("error_message") ?? "DuckDB could not serialise the statement", position,
            Text("error_type") ?? "", Text("error_subtype"));
    }
}
