namespace DataMesh.Gateway.Admin.Storage;

/// <summary>
/// A project's storage prefix: a path relative to its account's location ("marketing", "teams/emea"), the same text
/// for a directory account (<c>&lt;location&gt;/marketing/</c>) and an object-store one
/// (<c>s3://bucket/prefix/marketing/</c>). Two projects of one account never hold overlapping prefixes.
/// </summary>
public static class StoragePrefix
{
    private static readonly char[] PatternCharacters = ['*', '?', '[', ']', '{', '}'];

    /// <summary>Checks a prefix (a producer_storage path, or a project name used as the default) and returns it as "a/b".</summary>
    public static string Parse(string text, string what)
    {
        var parts = PathText.Segments(text, what, "the account's location");
        if (text.IndexOfAny(PatternCharacters) >= 0) throw AdminErrors.Invalid($"{what} must not contain wildcards, brackets or braces");
        return string.Join('/', parts);
    }

    /// <summary>
    /// True when one prefix is the other or lies below it. Compared case-insensitively (fullwidth letters as ASCII), so
    /// "EMEA" and "emea" (one directory on a case-insensitive file system) count as the same place.
    /// </summary>
    public static bool Overlap(string a, string b)
    {
        var x = Fold(a).Split('/');
        var y = Fold(b).Split('/');
        var common = Math.Min(x.Length, y.Length);
        for (var i = 0; i < common; i++)
            if (!string.Equals(x[i], y[i], StringComparison.Ordinal)) return false;
        return true;
    }

    internal static string Fold(string path) => PathText.Fold(path);
}
