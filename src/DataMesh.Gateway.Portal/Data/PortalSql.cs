using DataMesh.Gateway.Portal.Security;
using DataMesh.Gateway.Protocol.Errors;
using DataMesh.Gateway.Server.Embedded;

namespace DataMesh.Gateway.Portal.Data;

/// <summary>What one statement text answered: each statement's result, the notices, and the error that stopped it.</summary>
public sealed record SqlAnswer(IReadOnlyList<CollectedResult> Results, IReadOnlyList<string> Notices, PgErrorException? Error)
{
    public bool Ok => Error is null;

    /// <summary>The last result (an admin command's one result).</summary>
    public CollectedResult Result => Results.Count > 0 ? Results[^1] : new CollectedResult();

    /// <summary>The rows of the last result as name → value maps (admin results: a few dozen rows).</summary>
    public IEnumerable<IReadOnlyDictionary<string, string?>> Rows
    {
        get
        {
            var fields = Result.Fields;
            foreach (var row in Result.Rows)
            {
                var map = new Dictionary<string, string?>(fields.Count, StringComparer.Ordinal);
                for (var i = 0; i < fields.Count; i++) map[fields[i].Name] = row[i];
                yield return map;
            }
        }
    }

    public PgErrorException ErrorOrThrow => Error ?? throw new InvalidOperationException("the statement succeeded");
}

/// <summary>
/// Runs SQL for a signed-in user through the gateway's own statement path (<see cref="EmbeddedStatements"/>): admin
/// commands in the home database, where every user may connect and each command checks its own permissions, and the
/// query editor's statements in the chosen project. Parsing, permissions, governance and audit are the wire's.
/// </summary>
public sealed class PortalSql(PortalServices services)
{
    public const string HomeDatabase = Server.Governance.GovernanceService.HomeDatabase;
    public const string ApplicationName = "datamesh portal";

    public async Task<SqlAnswer> RunAsync(PortalUser user, string database, string sql, int maxRows, CancellationToken ct)
    {
        var collector = new ResultCollector(maxRows);
        var error = await services.Server.Embedded.RunAsync(user.Identity, database, sql, collector, ApplicationName, ct).ConfigureAwait(false);
        return new SqlAnswer(collector.Results, collector.Notices, error);
    }

    /// <summary>An admin command (the portal composes it with <see cref="SqlText"/>).</summary>
    public Task<SqlAnswer> AdminAsync(PortalUser user, string sql, CancellationToken ct) => RunAsync(user, HomeDatabase, sql, 10_000, ct);

    /// <summary>An admin command whose failure is the page's failure.</summary>
    public async Task<SqlAnswer> AdminOrThrowAsync(PortalUser user, string sql, CancellationToken ct)
    {
        var answer = await AdminAsync(user, sql, ct).ConfigureAwait(false);
        return answer.Error is { } e ? throw e : answer;
    }
}
