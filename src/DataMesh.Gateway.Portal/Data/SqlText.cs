using System.Text.RegularExpressions;

namespace DataMesh.Gateway.Portal.Data;

/// <summary>
/// Spells form values as admin-command SQL, so the portal's commands go through the same parser as typed ones: string
/// literals with quotes doubled (standard_conforming_strings is on: backslashes are data), names as quoted
/// identifiers (kept exactly, never folded or split).
/// </summary>
public static partial class SqlText
{
    public static string Literal(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";

    public static string Name(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    public static string Asset(string project, string asset) => Name(project) + "." + Name(asset);

    /// <summary>Route values that name a project or asset: anything else is not one (404, never parsed).</summary>
    public static bool IsName(string? value) => value is { Length: > 0 and <= 63 } && !value.Contains('\0');

    /// <summary>A whole positive number (a subscription id from a form).</summary>
    public static bool IsId(string? value) => value is not null && IdPattern().IsMatch(value);

    [GeneratedRegex("^[1-9][0-9]{0,17}$")]
    private static partial Regex IdPattern();
}
