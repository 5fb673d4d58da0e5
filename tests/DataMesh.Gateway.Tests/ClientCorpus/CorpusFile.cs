using System.Text.RegularExpressions;

namespace DataMesh.Gateway.Tests.ClientCorpus;

/// <summary>One query of the corpus: the file it is in, its position there, and the SQL as the client sent it.</summary>
public sealed record CorpusEntry(string File, int Index, string Sql)
{
    public override string ToString() => $"{File} #{Index}";
}

/// <summary>
/// Reads a corpus file (ClientCorpus/*.sql): entries start with a line <c>-- @@ source</c>; <c>-- parameters:</c>
/// lines are notes. <c>{{oid:schema.table}}</c> stands for the OID of that table and <c>{{oid:schema}}</c> for the OID
/// of that schema, which only the gateway knows.
/// </summary>
public static partial class CorpusFile
{
    public static string Directory => Path.Combine(AppContext.BaseDirectory, "ClientCorpus");

    public static IEnumerable<string> Names() =>
        System.IO.Directory.GetFiles(Directory, "*.sql").Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal);

    public static List<CorpusEntry> Read(string name)
    {
        var text = File.ReadAllText(Path.Combine(Directory, name));
        var parts = EntryStart().Split(text).Skip(1);
        return parts
            .Select(p => string.Join('\n', p.Split('\n').Where(l => !l.StartsWith("-- parameters:", StringComparison.Ordinal))).Trim())
            .Where(sql => sql.Length > 0)
            .Select((sql, i) => new CorpusEntry(name, i + 1, sql))
            .ToList();
    }

    /// <summary>The OID placeholders of an entry, as (schema, table); table is empty for a schema's OID.</summary>
    public static IEnumerable<(string Schema, string Table)> OidPlaceholders(string sql) =>
        OidPlaceholder().Matches(sql).Select(m => (m.Groups[1].Value, m.Groups[2].Value)).Distinct();

    public static string FillOids(string sql, Func<string, string, long> oidOf) =>
        OidPlaceholder().Replace(sql, m => oidOf(m.Groups[1].Value, m.Groups[2].Value).ToString(System.Globalization.CultureInfo.InvariantCulture));

    [GeneratedRegex(@"^-- @@.*$", RegexOptions.Multiline)]
    private static partial Regex EntryStart();

    [GeneratedRegex(@"\{\{oid:([^.}]+)(?:\.([^}]+))?\}\}")]
    private static partial Regex OidPlaceholder();
}
