namespace DataMesh.Gateway.Tests.Infrastructure;

/// <summary>Reads CSV text the way the exports under test write it (RFC 4180 quoting).</summary>
public static class CsvText
{
    /// <summary>The records of a CSV text, each as its raw text: a quoted field may hold line breaks.</summary>
    public static List<string> Records(string text)
    {
        var records = new List<string>();
        var start = 0;
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '"') quoted = !quoted;
            else if (text[i] == '\n' && !quoted)
            {
                records.Add(text[start..i]);
                start = i + 1;
            }
        }
        return records;
    }
}
