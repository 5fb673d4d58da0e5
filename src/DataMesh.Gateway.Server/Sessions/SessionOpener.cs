using DataMesh.Gateway.Policy.Identity;
using DataMesh.Gateway.Server.Cancellation;

namespace DataMesh.Gateway.Server.Sessions;

/// <summary>
/// Starts a session for a caller who already authenticated: the database must name a project they belong to (or the
/// home database), the session is attached to the project's current engine instance (<see cref="Engines.SessionEngines"/>:
/// identity, settings, limits), and is registered for cancels (and for shutdown). One place for the wire's startup and
/// the portal's socket-less sessions, so both are the same session.
/// </summary>
internal static class SessionOpener
{
    public static Session Open(GatewayServices services, CancelRegistry cancels, CallerIdentity identity, string database,
        SessionParameters parameters, TimeSpan tokenGrace)
    {
        // As PostgreSQL does: authenticate first, then check the database (FATAL 3D000 unknown, 42501 not a member).
        var access = services.Governance.Open(identity, database);
        var spec = services.Engines.Spec(access);
        var engine = services.Engines.Open(spec);
        var session = new Session(identity.UserName, database, parameters, engine, cancels.NewProcessId(), CancelRegistry.NewSecretKey())
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
            services.Engines.Attach(session, engine, spec);
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
