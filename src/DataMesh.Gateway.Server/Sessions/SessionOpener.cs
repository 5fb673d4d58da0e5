using DataMesh.Gateway.Policy.Identity;
using DataMesh.Gateway.Server.Cancellation;
using DataMesh.Gateway.Server.Governance;

namespace DataMesh.Gateway.Server.Sessions;

/// <summary>
/// Starts a session for a caller who already authenticated: the database must name a project they belong to (or the
/// home database), the session gets the project's current engine instance, the caller's identity and the project's
/// limits, and is registered for cancels (and for shutdown). One place for the wire's startup and the portal's
/// socket-less sessions, so both are the same session.
/// </summary>
internal static class SessionOpener
{
    public static Session Open(GovernanceService governance, CancelRegistry cancels, CallerIdentity identity, string database,
        SessionParameters parameters, TimeSpan tokenGrace)
    {
        // As PostgreSQL does: authenticate first, then check the database (FATAL 3D000 unknown, 42501 not a member).
        var access = governance.Open(identity, database);
        var spec = governance.EngineSpec(access);
        var session = new Session(identity.UserName, database, parameters, governance.OpenEngine(spec), cancels.NewProcessId(), CancelRegistry.NewSecretKey())
        {
            Access = access,
        };
        try
        {
            if (identity.ExpiresAt is { } expires)
            {
                session.IdentityTokenExpiresAt = expires;
                session.IdentityExpiresAt = expires + tokenGrace;
            }
            session.SwapEngine(session.Engine, spec.Fingerprint);
            session.RewriteOptions = GovernanceService.OptionsFor(session.Engine);
            session.ProjectStatementTimeout = governance.ProjectStatementTimeout(access);
            session.Introduce(session.Engine, governance.DatabasesOf(access));
            cancels.Register(session);
            return session;
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }
}
