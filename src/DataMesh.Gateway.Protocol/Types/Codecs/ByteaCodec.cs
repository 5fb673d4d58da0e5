using DataMesh.Gateway.Protocol.Errors;

namespace DataMesh.Gateway.Protocol.Types.Codecs;

/// <summary>bytea (17): text is hex (<c>\x0a1b</c>), binary is the raw bytes.</summary>
public static class ByteaCodec
{
    public static bool TryWriteText(ReadOnlySpan<byte> value, Span<byte> dest, out int written)
    {
        written = 2 + value.Length * 2;
        if (dest.Length < written) return false;
        dest[0] = (byte)'\\';
        dest[1] = (byte)'x';
        for (var i = 0; i < value.Length; i++)
        {
            dest[2 + 2 * i] = Hex(value[i] >> 4);
            dest[3 + 2 * i] = Hex(value[i] & 0xF);
        }
        return true;
    }

    /// <summary>bytea_output = escape: printable ASCII as itself, a backslash doubled, every other byte as \ooo octal.</summary>
    public static bool TryWriteEscapeText(ReadOnlySpan<byte> value, Span<byte> dest, out int written)
    {
        written = 0;
        foreach (var b in value)
        {
            var width = b == '\\' ? 2 : b is < 0x20 or > 0x7e ? 4 : 1;
            if (dest.Length < written + width) return false;
            if (width == 1) dest[written] = b;
            else if (width == 2) dest[written] = dest[written + 1] = (byte)'\\';
            else
            {
                dest[written] = (byte)'\\';
                dest[written + 1] = (byte)('0' + (b >> 6));
                dest[written + 2] = (byte)('0' + ((b >> 3) & 7));
                dest[written + 3] = (byte)('0' + (b & 7));
            }
            written += width;
        }
        return true;
    }

    public static byte[] ParseText(string text)
    {
        if (text.StartsWith("\\x", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                return Convert.FromHexString(text.AsSpan(2));
            }
            catch (FormatException)
            {
                throw new PgErrorException(SqlState.InvalidTextRepresentation, "invalid hexadecimal data in bytea value");
            }
        }
        // Escape format: backslash-escaped octets, everything else literal.
        var result = new List<byte>(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] != '\\')
            {
                result.AddRange(System.Text.Encoding.UTF8.GetBytes(text[i].ToString()));
                continue;
            }
            if (i + 1 < text.Length && text[i + 1] == '\\')
            {
                result.Add((byte)'\\');
                i++;
            }
            else if (i + 3 < text.Length && IsOctal(text[i + 1]) && IsOctal(text[i + 2]) && IsOctal(text[i + 3]))
            {
                result.Add((byte)((text[i + 1] - '0') * 64 + (text[i + 2] - '0') * 8 + (text[i + 3] - '0')));
                i += 3;
            }
            else
            {
                throw new PgErrorException(SqlState.InvalidTextRepresentation, "invalid input syntax for type bytea");
            }
        }
        return result.ToArray();
    }

    private static bool IsOctal(char c) => c is >= '0' and <= '7';

    private static byte Hex(int nibble) => (byte)(nibble < 10 ? '0' + nibble : 'a' + nibble - 10);
}
