using System.IO.Pipelines;
using DataMesh.Gateway.Policy.Identity;
using DataMesh.Gateway.Protocol.Errors;
using DataMesh.Gateway.Server.Cancellation;
using DataMesh.Gateway.Server.Connections;
using DataMesh.Gateway.Server.Queries;
using DataMesh.Gateway.Server.Responses;
using DataMesh.Gateway.Server.Statements;
using DataMesh.Gateway.Server.Sessions;
using Microsoft.Extensions.Logging;

namespace DataMesh.Gateway.Server.Embedded;

/// <summary>
/// The one entry point for running SQL without a socket, for the data portal: a caller who already authenticated
/// (the portal checked the password against the verifier, or the identity token with the wire's validator) runs one
/// statement text in a database (a project, or the home database) exactly as a wire client would. The session is
/// opened like the wire's (<see cref="SessionOpener"/>: membership, engine instance, identity, limits, cancel and
/// shutdown registration), the text runs through the simple query protocol's own handler and statement runner
/// (governance, admin commands, workspace writes, statement timeout, audit), and the backend messages it writes
/// into an in-memory pipe are read back for the sink. A session lives for one call.
/// <para>Kept narrow on purpose: when the statement path returns result values of its own, this class becomes a
/// thin adapter over it and its callers do not change.</para>
/// </summary>
public sealed class EmbeddedStatements
{
    private readonly GatewayServerOptions _options;
    private readonly GatewayServices _services;
    private readonly Governance.QueryAuditor _auditor;
    private readonly CancelRegistry _cancels;
    private readonly ILogger _logger;
    private readonly ServerLifetime _lifetime;
    private readonly Observability.GatewayMetrics _metrics;

    internal EmbeddedStatements(GatewayServerOptions options, GatewayServices services, Governance.QueryAuditor auditor,
        Observability.GatewayMetrics metrics, CancelRegistry cancels, ServerLifetime lifetime, ILogger logger)
    {
        _metrics = metrics;
        _lifetime = lifetime;
        _options = options;
        _services = services;
        _auditor = auditor;
        _cancels = cancels;
        _logger = logger;
    }

    /// <summary>
    /// Runs <paramref name="sql"/> as <paramref name="identity"/> in <paramref name="database"/>. Returns null when every
    /// statement succeeded, else the error that stopped it (later statements of the text did not run). A refused
    /// session start (unknown database 3D000, not a member 42501) is returned the same way.
    /// </summary>
    public async Task<PgErrorException?> RunAsync(CallerIdentity identity, string database, string sql, IStatementSink sink,
        string applicationName, CancellationToken ct)
    {
        if (_lifetime.IsStopping) return PgErrorException.Fatal("57P03", "the database system is shutting down");
        if (identity.ExpiresAt is { } expires && DateTimeOffset.UtcNow >= expires)
            return new PgErrorException(SqlState.InvalidAuthorizationSpecification, "the identity token of this sign-in has expired; sign in again");
        Session session;
        try
        {
            var parameters = new SessionParameters(identity.UserName, new Dictionary<string, string> { ["application_name"] = applicationName });
            session = SessionOpener.Open(_services, _cancels, identity, database, parameters, _options.Tokens?.Options.SessionGrace ?? TimeSpan.Zero);
        }
        catch (PgErrorException e)
        {
            return e;
        }
        try
        {
            return await RunInSessionAsync(session, sql, sink, ct).ConfigureAwait(false);
        }
        finally
        {
            _cancels.Unregister(session);
            session.Dispose();
        }
    }

    private async Task<PgErrorException?> RunInSessionAsync(Session session, string sql, IStatementSink sink, CancellationToken ct)
    {
        // Nothing arrives from a client: the input side is complete from the start.
        var input = new Pipe();
        await input.Writer.CompleteAsync().ConfigureAwait(false);
        var output = new Pipe(new PipeOptions(pauseWriterThreshold: 4 * _options.WriteBatchBytes, resumeWriterThreshold: 2 * _options.WriteBatchBytes,
            useSynchronizationContext: false));
        var transport = WireTransport.Over(input.Reader, output.Writer);
        var responses = new ResponseWriter(transport, _options, _auditor, _metrics);
        var context = new StatementContext(session, _options, _services.Governance, _services.Engines, _services.Admin, _services.Catalog, _services.Metadata);
        var simple = new SimpleQueryHandler(context, responses);
        using var abandon = ct.Register(() => session.RequestCancel("canceling statement because the portal's request was abandoned"));

        var producer = Task.Run(async () =>
        {
            try
            {
                await simple.HandleAsync(sql).ConfigureAwait(false);
                await transport.FlushAsync(CancellationToken.None).ConfigureAwait(false);
            }
            catch (ClientDisconnectedException)
            {
                // The reader stopped early (it failed or was cancelled): nothing more to deliver.
            }
            catch (PgErrorException e) when (e.IsFatal)
            {
                await responses.FatalAsync(session, e).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                _logger.LogError(e, "Unexpected failure in portal session {Pid}", session.ProcessId);
                await responses.FatalAsync(session, new PgErrorException(SqlState.InternalError, "internal error in the gateway")).ConfigureAwait(false);
            }
            finally
            {
                await output.Writer.CompleteAsync().ConfigureAwait(false);
            }
        }, CancellationToken.None);

        PgErrorException? error;
        try
        {
            // A sink that has what it shows stops the statement; its cancellation error is the sink's own doing, not returned.
            error = await BackendMessageReader.ReadAsync(output.Reader, sink, () => session.RequestCancel(sink.StopReason), ct).ConfigureAwait(false);
        }
        catch
        {
            session.RequestCancel("canceling statement because the portal stopped reading its result");
            await output.Reader.CompleteAsync().ConfigureAwait(false);
            await producer.ConfigureAwait(false);
            throw;
        }
        await producer.ConfigureAwait(false);
        return error;
    }
}
