using System.Globalization;
using System.Text;

namespace DataMesh.Gateway.Benchmarks.Scale;

/// <summary>
/// The catalog-scale section of bench/RESULTS.md: one row per target of the issue with what was measured, the load
/// average at that moment (the machine is shared) and met or missed, then the side figures. Written between
/// <c>&lt;!-- catalog-scale:begin --&gt;</c> and <c>&lt;!-- catalog-scale:end --&gt;</c>.
/// </summary>
public sealed class ScaleReport(int assets, int subscriptions, string command)
{
    private readonly List<string> _rows = [];
    private readonly List<string> _notes = [];

    public void Target(string measure, string target, string measured, bool met, string? note = null)
    {
        _rows.Add($"| {measure} | {target} | {measured} | {GatewayChild.LoadAverage()} | {(met ? "met" : "**missed**")} | {note ?? ""} |");
        Console.Error.WriteLine($"catalog-scale: {measure}: {measured} ({(met ? "met" : "MISSED")}; load {GatewayChild.LoadAverage()})");
    }

    public void Note(string text)
    {
        _notes.Add(text);
        Console.Error.WriteLine("catalog-scale: " + text);
    }

    public static string Ms(double ms) => ms.ToString(ms < 10 ? "F2" : "F0", CultureInfo.InvariantCulture) + " ms";

    public string Render()
    {
        var text = new StringBuilder();
        text.AppendLine("<!-- catalog-scale:begin -->");
        text.AppendLine(CultureInfo.InvariantCulture, $"## Catalog at scale: {assets:N0} assets, {subscriptions:N0} subscriptions");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"* Date: {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC; {Environment.ProcessorCount} cores shared with other engineers' builds and tests (load average per row, 1/5/15 min).");
        text.AppendLine(CultureInfo.InvariantCulture, $"* Command: `{command}` (seeds with `seed-catalog` first when the directory is not seeded yet).");
        text.AppendLine("* The gateway is the real host (`datamesh serve --demo`) in a child process, measured from outside over the wire; catalog counters from its `/metrics`.");
        text.AppendLine();
        text.AppendLine("| measure | target | measured | load average | verdict | note |");
        text.AppendLine("|---|---|---|---|---|---|");
        foreach (var row in _rows) text.AppendLine(row);
        text.AppendLine();
        foreach (var note in _notes) text.AppendLine("- " + note);
        text.AppendLine("<!-- catalog-scale:end -->");
        return text.ToString();
    }

    /// <summary>Replaces the section in <paramref name="resultsPath"/> (or adds it before the governed section).</summary>
    public void WriteTo(string resultsPath)
    {
        var section = Render();
        var existing = File.Exists(resultsPath) ? File.ReadAllText(resultsPath) : "";
        const string Begin = "<!-- catalog-scale:begin -->", End = "<!-- catalog-scale:end -->";
        var b = existing.IndexOf(Begin, StringComparison.Ordinal);
        var e = existing.IndexOf(End, StringComparison.Ordinal);
        string updated;
        if (b >= 0 && e > b) updated = existing[..b] + section.TrimEnd('\n') + existing[(e + End.Length)..];
        else
        {
            var at = existing.IndexOf("<!-- governed:begin -->", StringComparison.Ordinal);
            updated = at >= 0 ? existing[..at] + section + "\n" + existing[at..] : existing + "\n" + section;
        }
        File.WriteAllText(resultsPath, updated);
    }
}
