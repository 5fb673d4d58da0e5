using DataMesh.Gateway.Protocol.Errors;
using DataMesh.Gateway.Server.Sessions;

namespace DataMesh.Gateway.Server.Startup;

/// <summary>
/// The settings a StartupMessage carries (client_encoding, DateStyle, TimeZone, …), applied as PostgreSQL applies them:
/// after authentication and the database check, and a value that cannot be honoured ends the connection with a FATAL
/// ErrorResponse that says why, never a bare close (there is no session yet for a plain ERROR to leave usable).
/// </summary>
internal static class StartupParameters
{
    public static SessionParameters Apply(string user, IReadOnlyDictionary<string, string> startup)
    {
        foreach (var (name, value) in startup)
        {
            // PostgreSQL's own startup wording for an encoding it knows but cannot convert to (FATAL 0A000); SET says
            // "invalid value for parameter" with that reason as its detail.
            if (name.Equals("client_encoding", StringComparison.OrdinalIgnoreCase)
                && ParameterValues.EncodingOf(value) is { } encoding and not ("UTF8" or "SQL_ASCII"))
                throw PgErrorException.Fatal(SqlState.FeatureNotSupported, $"conversion between {encoding} and UTF8 is not supported");
        }
        try
        {
            return new SessionParameters(user, startup);
        }
        catch (PgErrorException e) when (!e.IsFatal)
        {
            throw e.AsFatal();
        }
    }
}
