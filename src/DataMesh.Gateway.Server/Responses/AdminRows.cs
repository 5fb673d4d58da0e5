using System.Text;
using DataMesh.Gateway.Admin;
using DataMesh.Gateway.Protocol.Messages.Backend;
using DataMesh.Gateway.Protocol.Messages.Frontend;
using DataMesh.Gateway.Protocol.Types;
using DataMesh.Gateway.Protocol.Types.Codecs;

namespace DataMesh.Gateway.Server.Responses;

/// <summary>Admin results as ordinary result sets (text, int8 and bool columns, text or binary format): their
/// description, their DataRows (written by <see cref="ResponseWriter"/> only) and their command tag.</summary>
internal static class AdminRows
{
    public static List<FieldDescription> Describe(AdminResult result, FormatCode[] formats) =>
        result.Columns.Select((c, i) => c.Type switch
        {
            AdminColumnType.BigInt => new FieldDescription(c.Name, PgTypes.Int8, 8, -1, BindMessage.FormatFor(formats, i)),
            AdminColumnType.Bool => new FieldDescription(c.Name, PgTypes.Bool, 1, -1, BindMessage.FormatFor(formats, i)),
            _ => new FieldDescription(c.Name, PgTypes.Text, -1, -1, BindMessage.FormatFor(formats, i)),
        }).ToList();

    public static void WriteRows(BackendWriter writer, AdminResult result, FormatCode[] formats)
    {
        foreach (var row in result.Rows)
        {
            var size = 16 + row.Sum(v => v is string s ? Encoding.UTF8.GetMaxByteCount(s.Length) + 4 : 32);
            var span = writer.Output.GetSpan(size);
            var builder = new DataRowBuilder(span, (short)result.Columns.Count);
            for (var i = 0; i < result.Columns.Count; i++)
            {
                var value = row[i];
                if (value is null)
                {
                    builder.WriteNull();
                    continue;
                }
                var binary = BindMessage.FormatFor(formats, i) == FormatCode.Binary;
                int written;
                var ok = value switch
                {
                    long l => binary ? IntegerCodecs.TryWriteInt8(l, builder.Free, out written) : IntegerCodecs.TryWriteText(l, builder.Free, out written),
                    bool b => binary ? BoolCodec.TryWriteBinary(b, builder.Free, out written) : BoolCodec.TryWriteText(b, builder.Free, out written),
                    _ => TextCodec.TryWriteString(Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "", builder.Free, out written),
                };
                if (ok) builder.Commit(written);
                else builder.MarkOverflow();
            }
            var length = builder.Finish();
            if (length < 0) throw new InvalidOperationException("admin row larger than its size estimate");
            writer.Output.Advance(length);
            writer.AddPending(length);
        }
    }

    /// <summary>Row-returning reads are tagged like SELECT; changes keep their verb (CREATE PROJECT, …).</summary>
    public static string CommandTag(AdminResult result)
    {
        var last = result.Tag.LastIndexOf(' ');
        return last > 0 && long.TryParse(result.Tag[(last + 1)..], out var n) ? $"SELECT {n}" : result.Tag;
    }
}
