using System.Text;

namespace DataMesh.Gateway.Tests.Infrastructure;

/// <summary>Builders for extended-protocol frontend messages, for tests that need exact control of the sequence.</summary>
public static class ExtendedMessages
{
    public static byte[] Parse(string name, string sql, params int[] oids)
    {
        var body = new List<byte>();
        body.AddRange(CString(name));
        body.AddRange(CString(sql));
        body.AddRange(Int16(oids.Length));
        foreach (var o in oids) body.AddRange(RawClient.BigEndian(o));
        return RawClient.Message('P', [.. body]);
    }

    /// <summary>Bind with text parameters and one result format code for all columns.</summary>
    public static byte[] Bind(string portal, string statement, string?[] textParameters, short resultFormat = 0)
    {
        var body = new List<byte>();
        body.AddRange(CString(portal));
        body.AddRange(CString(statement));
        body.AddRange(Int16(0)); // all parameters text
        body.AddRange(Int16(textParameters.Length));
        foreach (var p in textParameters)
        {
            if (p is null)
            {
                body.AddRange(RawClient.BigEndian(-1));
                continue;
            }
            var bytes = Encoding.UTF8.GetBytes(p);
            body.AddRange(RawClient.BigEndian(bytes.Length));
            body.AddRange(bytes);
        }
        body.AddRange(Int16(1));
        body.AddRange(Int16(resultFormat));
        return RawClient.Message('B', [.. body]);
    }

    public static byte[] Describe(char target, string name) => RawClient.Message('D', [(byte)target, .. CString(name)]);

    public static byte[] Execute(string portal, int maxRows = 0) => RawClient.Message('E', [.. CString(portal), .. RawClient.BigEndian(maxRows)]);

    public static byte[] Close(char target, string name) => RawClient.Message('C', [(byte)target, .. CString(name)]);

    public static byte[] Sync() => RawClient.Message('S', []);

    public static byte[] Flush() => RawClient.Message('H', []);

    public static string Text(byte[] payload) => Encoding.UTF8.GetString(payload).TrimEnd('\0');

    /// <summary>First column of a DataRow payload, as text.</summary>
    public static string? FirstField(byte[] dataRow)
    {
        var length = System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(dataRow.AsSpan(2));
        return length < 0 ? null : Encoding.UTF8.GetString(dataRow, 6, length);
    }

    private static byte[] CString(string s) => [.. Encoding.UTF8.GetBytes(s), 0];

    private static byte[] Int16(int v) => [(byte)(v >> 8), (byte)v];
}
