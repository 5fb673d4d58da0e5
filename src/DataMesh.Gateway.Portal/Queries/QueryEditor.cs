using DataMesh.Gateway.Portal.Data;
using DataMesh.Gateway.Portal.Security;
using DataMesh.Gateway.Protocol.Errors;
using DataMesh.Gateway.Sql.Lexing;
using Microsoft.AspNetCore.Http;

namespace DataMesh.Gateway.Portal.Queries;

/// <summary>
/// The query editor: the user's SQL runs as the user in the chosen project through the gateway's statement path (the
/// same governance, admin commands, workspace writes, statement timeout and audit as a wire session of theirs). The
/// grid keeps the first rows and counts the rest; downloads stream the whole result of one statement as CSV or write
/// it as Parquet.
/// </summary>
public sealed class QueryEditor(PortalServices services, PortalSql sql, PortalOptions options)
{
    public Task<SqlAnswer> RunAsync(PortalUser user, string project, string text, CancellationToken ct) =>
        sql.RunAsync(user, project, text, options.GridRows, ct);

    /// <summary>Streams the CSV into the response. Returns an error to show as a page when nothing was sent yet.</summary>
    public async Task<PgErrorException?> CsvAsync(PortalUser user, string project, string text, HttpContext http, string fileName, CancellationToken ct)
    {
        if (OneStatement(text) is { } notOne) return notOne;
        http.Response.ContentType = "text/csv; charset=utf-8";
        http.Response.Headers.ContentDisposition = $"attachment; filename=\"{fileName}.csv\"";
        var sink = new CsvSink(http.Response.BodyWriter, options.MaxDownloadRows);
        var error = await services.Server.Embedded.RunAsync(user.Identity, project, text, sink, PortalSql.ApplicationName, ct).ConfigureAwait(false);
        if (sink.Exceeded) error = TooManyRows();
        if (error is null)
        {
            await http.Response.BodyWriter.FlushAsync(ct).ConfigureAwait(false);
            return null;
        }
        // Rows already reached the browser: cutting the connection makes the download fail visibly, not end short.
        if (sink.Started || http.Response.HasStarted) http.Abort();
        return error;
    }

    /// <summary>Writes the Parquet file and returns its path (the caller streams and deletes it), or the error.</summary>
    public async Task<(string? Path, PgErrorException? Error)> ParquetAsync(PortalUser user, string project, string text, CancellationToken ct)
    {
        if (OneStatement(text) is { } notOne) return (null, notOne);
        using var sink = new ParquetSink(options.ExportDirectory, options.MaxDownloadRows);
        PgErrorException? error;
        try
        {
            error = await services.Server.Embedded.RunAsync(user.Identity, project, text, sink, PortalSql.ApplicationName, ct).ConfigureAwait(false);
        }
        catch (PgErrorException e)
        {
            error = e;
        }
        if (sink.Exceeded) error = TooManyRows();
        if (error is not null) return (null, error);
        try
        {
            return sink.Finish() is { } path
                ? (path, null)
                : (null, new PgErrorException(SqlState.FeatureNotSupported, "the statement returned no rows to download"));
        }
        catch (PgErrorException e)
        {
            return (null, e);
        }
    }

    private PgErrorException TooManyRows() => new(SqlState.ProgramLimitExceeded,
        $"the result has more than {options.MaxDownloadRows:N0} rows, the most a download carries; narrow the query (WHERE, LIMIT)");

    private static PgErrorException? OneStatement(string text) => StatementSplitter.Split(text).Count == 1 ? null
        : new PgErrorException(SqlState.FeatureNotSupported, "a download holds the result of exactly one statement");
}
