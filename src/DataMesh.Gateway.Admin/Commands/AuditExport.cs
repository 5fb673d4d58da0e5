using System.Text;
using DataMesh.Gateway.Catalog.Model;
using DataMesh.Gateway.Engine.Export;
using DataMesh.Gateway.Protocol.Types;
using DataMesh.Gateway.Sql.Admin;

namespace DataMesh.Gateway.Admin.Commands;

/// <summary>
/// EXPORT AUDIT: the records SHOW AUDIT would list (the same visibility rule and filters), as CSV with a header or as one
/// Parquet file, sent through COPY OUT so that <c>psql -c "EXPORT AUDIT …" &gt; audit.csv</c>, psql's \copy, psycopg2's
/// copy_expert and Npgsql's raw COPY save it. The log is read page by page while it is sent, newest first.
/// </summary>
internal static class AuditExport
{
    private const int PageSize = 5000;

    public static AdminResult Export(AdminContext ctx, ExportAudit s)
    {
        var query = AuditCommands.QueryFor(ctx, s.Filter);
        var store = ctx.Services.Catalog.Store;
        long rows = 0;
        IEnumerable<IReadOnlyList<AuditRecord>> Pages()
        {
            var left = s.Filter.Limit;
            long? before = null;
            while (left > 0)
            {
                var page = store.Read(r => r.Audit(query with { Limit = Math.Min(PageSize, left), BeforeId = before }));
                if (page.Count == 0) yield break;
                rows += page.Count;
                left -= page.Count;
                before = page[^1].Id;
                yield return page;
            }
        }
        var chunks = s.Parquet ? Parquet(ctx, Pages()) : Csv(Pages());
        return new AdminResult([], [], "COPY") { Copy = new AdminCopy(s.Parquet, AuditCommands.Columns.Count, chunks, () => rows) };
    }

    private static IEnumerable<ReadOnlyMemory<byte>> Csv(IEnumerable<IReadOnlyList<AuditRecord>> pages)
    {
        yield return Encoding.UTF8.GetBytes(string.Join(',', AuditCommands.Columns.Select(c => Field(c.Name))) + "\n");
        foreach (var page in pages)
        {
            var text = new StringBuilder();
            foreach (var record in page) text.Append(string.Join(',', AuditCommands.Row(record).Select(v => Field(Text(v))))).Append('\n');
            yield return Encoding.UTF8.GetBytes(text.ToString());
        }
    }

    private static IEnumerable<ReadOnlyMemory<byte>> Parquet(AdminContext ctx, IEnumerable<IReadOnlyList<AuditRecord>> pages)
    {
        var columns = AuditCommands.Columns.Select(c => (c.Name, c.Name switch
        {
            "at" => PgTypes.TimestampTz,
            "duration_ms" => PgTypes.Float8,
            _ => c.Type == AdminColumnType.BigInt ? PgTypes.Int8 : PgTypes.Text,
        }, -1)).ToList();
        string path;
        using (var export = new ParquetExport(Path.Combine(ctx.Services.DataDirectory, "tmp", "audit-exports"), columns))
        {
            foreach (var page in pages)
                foreach (var record in page)
                {
                    var values = AuditCommands.Row(record);
                    export.Append(i => Text(values[i]));
                }
            path = export.Finish();
        }
        try
        {
            using var file = File.OpenRead(path);
            var buffer = new byte[64 * 1024];
            int read;
            while ((read = file.Read(buffer, 0, buffer.Length)) > 0) yield return buffer.AsMemory(0, read).ToArray();
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static string? Text(object? value) => value switch
    {
        null => null,
        long l => l.ToString(System.Globalization.CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };

    /// <summary>A CSV field: quoted when it is empty or holds a comma, quote or line break (quotes doubled); NULL is nothing at all, as PostgreSQL writes CSV.</summary>
    private static string Field(string? value) =>
        value is null ? "" : value.Length == 0 || value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
}
