using System.Globalization;
using System.Text;

namespace DataMesh.Gateway.Admin.Storage;

/// <summary>
/// The checks every storage path a user writes must pass before anything touches storage: an asset's source, a
/// producer_storage path, a project name used as its prefix. Storage-agnostic (a directory or an object store reads the
/// same text), so every refusal here holds for every kind of account. Attempts to leave a prefix are 42501; text that
/// is merely malformed is 22023.
/// </summary>
internal static class PathText
{
    // Characters that read as a path separator somewhere: the Windows one, and Unicode look-alikes that a
    // compatibility normalisation (NFKC) or a person would take for '/' or '\'.
    private static readonly char[] SeparatorLookAlikes = ['\\', '\u2215', '\u2044', '\u29F5', '\u29F8', '\u29F9', '\uFE68', '\uFF0F', '\uFF3C'];

    // Look-alikes of '.': NFKC turns U+2025 into "..", U+2024, U+FE52 and U+FF0E into ".". The gateway runs with
    // invariant globalisation (no ICU, so string.Normalize does nothing): they are listed, not normalised.
    private static readonly char[] DotLookAlikes = ['\u2024', '\u2025', '\u2026', '\uFE52', '\uFF0E'];

    /// <summary>Splits <paramref name="text"/> into segments ("a/b/" → [a, b]) after refusing everything that could escape.</summary>
    /// <param name="what">How errors name the text, e.g. <c>asset source "x"</c>.</param>
    public static List<string> Segments(string text, string what, string insideWhat)
    {
        if (string.IsNullOrWhiteSpace(text)) throw AdminErrors.Invalid($"{what} is empty");
        foreach (var ch in text)
        {
            switch (char.GetUnicodeCategory(ch))
            {
                case UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator:
                    throw AdminErrors.Invalid($"{what} contains a control or invisible character (U+{(int)ch:X4})");
                // "e" + U+0301 and "\u00e9" are one name on a normalising file system (APFS) and two elsewhere.
                case UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark:
                    throw AdminErrors.Invalid($"{what} contains a combining character (U+{(int)ch:X4})", "write it with precomposed characters (NFC)");
            }
        }
        if (text[0] is '/' or '~') throw Escape(what, $"it must be a path relative to {insideWhat}, not an absolute or home path");
        // A scheme or a drive ("file:", "s3://", "C:") is in the first segment; later ones are inside a path that
        // starts with the prefix, where ':' is an ordinary character ("2024-01-01T00:00.parquet").
        if (text.Split('/')[0].Contains(':', StringComparison.Ordinal)) throw Escape(what, $"it must be a path inside {insideWhat}, not a URI or drive");
        if (text.IndexOfAny(SeparatorLookAlikes) >= 0) throw Escape(what, "it contains a backslash or a character that looks like a path separator");
        if (text.IndexOfAny(DotLookAlikes) >= 0) throw Escape(what, "it contains a character that reads as \".\" after Unicode normalisation");

        var parts = text.Split('/').ToList();
        if (parts.Count > 1 && parts[^1].Length == 0) parts.RemoveAt(parts.Count - 1); // one trailing slash: a directory
        if (parts.Any(p => p == "..")) throw Escape(what, $"\"..\" segments are not allowed; it is resolved inside {insideWhat} only");
        if (parts.Any(p => p.Length == 0 || p == ".")) throw AdminErrors.Invalid($"{what} has an empty or \".\" segment");
        if (parts.Any(p => Encoding.UTF8.GetByteCount(p) > 255)) throw AdminErrors.Invalid($"{what} has a segment longer than 255 bytes");
        return parts;
    }

    /// <summary>
    /// The form two paths are compared in for overlap: fullwidth ASCII (U+FF01–U+FF5E) mapped to ASCII, then upper
    /// case, so "EMEA", "emea" and "ｅｍｅａ" are one name (one directory on a case-insensitive file system).
    /// </summary>
    public static string Fold(string path) =>
        string.Create(path.Length, path, (span, p) =>
        {
            for (var i = 0; i < p.Length; i++)
                span[i] = char.ToUpperInvariant(p[i] is >= '\uFF01' and <= '\uFF5E' ? (char)(p[i] - 0xFEE0) : p[i]);
        });

    public static Protocol.Errors.PgErrorException Escape(string what, string why) =>
        AdminErrors.Denied($"{what} is refused: {why}");
}
