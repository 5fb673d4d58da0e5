using Microsoft.Data.Sqlite;

namespace DataMesh.Gateway.Catalog.Store.Search;

/// <summary>
/// FTS5's own tokenizer (unicode61, diacritics removed), run on a private in-memory FTS5 table: a changed asset's
/// document and a non-ASCII search word become exactly the terms the catalog's index holds, with no second tokenizer
/// to drift from it (case folding and diacritics are SQLite's tables, not .NET's). Not thread-safe.
/// </summary>
internal sealed class SearchTokenizer : IDisposable
{
    /// <summary>bm25's column weights as SEARCH CATALOG passes them: name, description, columns, terms, metadata.</summary>
    public static readonly IReadOnlyDictionary<string, int> Weights = new Dictionary<string, int>(StringComparer.Ordinal)
    {
        ["name"] = 10, ["description"] = 4, ["columns"] = 2, ["terms"] = 5, ["metadata"] = 1,
    };

    /// <summary>The SQL that turns fts5vocab's column name into its weight.</summary>
    public const string WeightOfColumn = "CASE col WHEN 'name' THEN 10 WHEN 'description' THEN 4 WHEN 'columns' THEN 2 WHEN 'terms' THEN 5 ELSE 1 END";

    private readonly SqliteConnection _connection = new("Data Source=:memory:;Pooling=False");

    public SearchTokenizer()
    {
        _connection.Open();
        using var create = _connection.CreateCommand();
        create.CommandText =
            "CREATE VIRTUAL TABLE doc USING fts5(name, description, columns, terms, metadata, tokenize = 'unicode61 remove_diacritics 2');" +
            "CREATE VIRTUAL TABLE doc_instances USING fts5vocab(doc, 'instance');";
        create.ExecuteNonQuery();
    }

    /// <summary>The document's terms with their column-weighted frequencies, and its length in tokens.</summary>
    public (List<(string Term, int Weight)> Terms, int Length) Tokenize(IReadOnlyList<string> columns)
    {
        using (var insert = _connection.CreateCommand())
        {
            insert.CommandText = "DELETE FROM doc; INSERT INTO doc (rowid, name, description, columns, terms, metadata) VALUES (1, $0, $1, $2, $3, $4)";
            for (var i = 0; i < 5; i++) insert.Parameters.AddWithValue("$" + i, columns[i]);
            insert.ExecuteNonQuery();
        }
        var terms = new List<(string Term, int Weight)>();
        var length = 0;
        using var read = _connection.CreateCommand();
        read.CommandText = $"SELECT term, {WeightOfColumn} FROM doc_instances";
        using var reader = read.ExecuteReader();
        while (reader.Read())
        {
            var term = reader.GetString(0);
            var weight = reader.GetInt32(1);
            length++;
            if (terms.Count > 0 && terms[^1].Term == term) terms[^1] = (term, terms[^1].Weight + weight);
            else terms.Add((term, weight));
        }
        return (terms, length);
    }

    /// <summary>
    /// A search word as the index would hold it, or null when FTS5 would not make it one token (the caller then asks
    /// FTS5 itself). ASCII letters and digits fold to lower case, as unicode61 folds them.
    /// </summary>
    public string? Fold(string word)
    {
        if (word.Length > 0 && word.All(char.IsAsciiLetterOrDigit)) return word.ToLowerInvariant();
        var (terms, length) = Tokenize([word, "", "", "", ""]);
        return length == 1 ? terms[0].Term : null;
    }

    public void Dispose() => _connection.Dispose();
}
