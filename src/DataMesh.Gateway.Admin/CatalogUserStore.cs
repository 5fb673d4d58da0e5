using DataMesh.Gateway.Authentication;
using DataMesh.Gateway.Authentication.Tokens;
using DataMesh.Gateway.Catalog;
using DataMesh.Gateway.Catalog.Model;

namespace DataMesh.Gateway.Admin;

/// <summary>
/// Authentication reads users from the catalog snapshot, never from SQLite: a name that is not there is unknown, at the
/// cost of a dictionary lookup, so nobody can make the gateway read the store (or reload) by signing in with made-up
/// names. Users added by another process (datamesh user add) appear when the catalog follows the change log
/// (<see cref="CatalogService.StartFollowing"/>). Users from an identity provider are created just in time on their
/// first sign-in.
/// </summary>
public sealed class CatalogUserStore(CatalogService catalog) : IUserStore
{
    public ScramVerifier? FindVerifier(string userName)
    {
        var user = Find(userName);
        return user?.Verifier is { } v ? ScramVerifier.Parse(v) : null;
    }

    /// <summary>Keyed by a key derived from the domain's secret, so an unknown name keeps its salt across restarts too.</summary>
    public ScramVerifier MockVerifier(string userName)
    {
        var secret = catalog.Snapshot.MaskSecret;
        var keyed = Volatile.Read(ref _mockKey);
        if (keyed is null || keyed.Secret != secret)
        {
            keyed = new MockKey(secret, System.Security.Cryptography.HMACSHA256.HashData(System.Text.Encoding.UTF8.GetBytes(secret), "scram mock verifiers"u8));
            Volatile.Write(ref _mockKey, keyed);
        }
        return ScramVerifier.Mock(userName, keyed.Key);
    }

    private sealed record MockKey(string Secret, byte[] Key);

    private MockKey? _mockKey;

    public bool IsTokenUser(string userName) => Find(userName) is { Verifier: null, Source: UserRecord.IdentityProviderSource };

    /// <summary>
    /// The first sign-in of a token's user creates it (no password, source oidc, bound to the token's issuer and
    /// subject), in one transaction with its audit record. Later sign-ins must come from the same issuer and subject:
    /// a token can never sign in as a local user, nor as a name another identity already holds. Group memberships are
    /// not stored: they come from each token.
    /// </summary>
    public string SignIn(TokenIdentity identity)
    {
        var user = Find(identity.UserName) ?? catalog.Change(w => w.GetUser(identity.UserName) ?? CreateJustInTime(w, identity));
        if (user.Source != UserRecord.IdentityProviderSource || user.Verifier is not null)
            throw TokenRejectedException.NotAuthorized(
                $"user \"{user.Name}\" is a local user of the gateway; an identity token cannot sign in as it");
        if (user.Issuer != identity.Issuer || user.Subject != identity.Subject)
            throw TokenRejectedException.NotAuthorized(
                $"user \"{user.Name}\" belongs to another identity (a different issuer or subject signed in under that name first)");
        return user.Name;
    }

    private static UserRecord CreateJustInTime(Catalog.Store.ICatalogWriter w, TokenIdentity identity)
    {
        if (w.UserByIdentity(identity.Issuer, identity.Subject) is { } other)
            throw TokenRejectedException.NotAuthorized(
                $"this identity already signed in as user \"{other.Name}\"; the token now names \"{identity.UserName}\" (a domain admin can DROP USER {other.Name} to rename it)");
        var now = DateTimeOffset.UtcNow;
        var user = new UserRecord(identity.UserName, null, false, UserRecord.IdentityProviderSource, now, identity.Issuer, identity.Subject);
        w.InsertUser(user);
        w.AppendAudit(new AuditRecord(0, now, identity.UserName, identity.Issuer, identity.Subject, null, "admin", "CREATE USER",
            "just-in-time sign-in with an identity token", "ok", null, null, [], [], null, null, null));
        return user;
    }

    private UserRecord? Find(string userName) => catalog.Snapshot.User(userName);
}
