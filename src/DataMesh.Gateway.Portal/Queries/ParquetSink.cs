using DataMesh.Gateway.Engine.Export;
using DataMesh.Gateway.Protocol.Errors;
using DataMesh.Gateway.Server.Embedded;

namespace DataMesh.Gateway.Portal.Queries;

/// <summary>Collects a result into a <see cref="ParquetExport"/>; the file is written once the statement completed.</summary>
public sealed class ParquetSink(string directory, long maxRows) : IStatementSink, IDisposable
{
    private ParquetExport? _export;

    public bool Exceeded { get; private set; }

    public bool WantsMore => !Exceeded;

    public void Columns(IReadOnlyList<ResultField> fields)
    {
        if (_export is not null) throw new PgErrorException(SqlState.FeatureNotSupported, "a download holds the result of one statement");
        _export = new ParquetExport(directory, fields.Select(f => (f.Name, f.TypeOid, f.TypeModifier)).ToList());
    }

    public void Row(DataRow row)
    {
        if (_export!.Rows >= maxRows)
        {
            Exceeded = true;
            return;
        }
        _export.Append(row.GetString);
    }

    public void Completed(string commandTag)
    {
    }

    /// <summary>The Parquet file's path, or null when the statement returned no result set.</summary>
    public string? Finish() => _export?.Finish();

    public void Dispose() => _export?.Dispose();
}
