namespace DataMesh.Gateway.Sql.Ast;

/// <summary>
/// Converts DuckDB's <c>query_location</c> (a UTF-8 byte offset into the original text) to a .NET char offset.
/// A character of 1–3 UTF-8 bytes is one UTF-16 char; a 4-byte character is a surrogate pair (two chars) and its
/// byte offset maps to the high surrogate. A lone surrogate counts 3 bytes (UTF-8 encoders write U+FFFD for it).
/// </summary>
public sealed class Utf8Offsets
{
    /// <summary>DuckDB's "no location" value (an invalid optional_idx): 18446744073709551615.</summary>
    public const ulong NoLocation = ulong.MaxValue;

    // Parallel arrays over the characters (code points) of the text, plus one end entry.
    private readonly List<long> _byteStarts = [];
    private readonly List<int> _charStarts = [];

    public Utf8Offsets(string text)
    {
        long bytes = 0;
        for (var i = 0; i < text.Length; i++)
        {
            _byteStarts.Add(bytes);
            _charStarts.Add(i);
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                bytes += 4;
                i++;
            }
            else bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : 3;
        }
        _byteStarts.Add(bytes);
        _charStarts.Add(text.Length);
        ByteLength = bytes;
    }

    /// <summary>Length of the text in UTF-8 bytes.</summary>
    public long ByteLength { get; }

    /// <summary>The char offset for a UTF-8 byte offset; null for <see cref="NoLocation"/>.</summary>
    /// <exception cref="SqlAstException">The offset is past the end or falls inside a character.</exception>
    public int? ToCharOffset(ulong byteOffset)
    {
        if (byteOffset == NoLocation) return null;
        if (TryToCharOffset(byteOffset, out var offset)) return offset;
        throw new SqlAstException(
            $"DuckDB reported location {byteOffset}, which is not a character boundary of the query text");
    }

    /// <summary>False when the offset is past the end of the text or inside a multi-byte character.</summary>
    public bool TryToCharOffset(ulong byteOffset, out int charOffset)
    {
        charOffset = -1;
        if (byteOffset > (ulong)ByteLength) return false;
        var index = _byteStarts.BinarySearch((long)byteOffset);
        if (index < 0) return false;
        charOffset = _charStarts[index];
        return true;
    }

    /// <summary>
    /// The char offset of a code-point offset. DuckDB's parse errors report "position" in code points (PostgreSQL's
    /// scanner converts its byte offset with pg_mbstrlen), unlike query_location, which stays in bytes.
    /// </summary>
    public bool TryCodePointToCharOffset(ulong codePoints, out int charOffset)
    {
        charOffset = -1;
        if (codePoints >= (ulong)_charStarts.Count) return false;
        charOffset = _charStarts[(int)codePoints];
        return true;
    }

    /// <summary>One-off conversion; build an instance to convert many offsets of the same text.</summary>
    public static int? ToCharOffset(string text, ulong byteOffset) => new Utf8Offsets(text).ToCharOffset(byteOffset);
}
