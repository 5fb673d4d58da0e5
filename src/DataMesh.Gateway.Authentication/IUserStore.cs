namespace DataMesh.Gateway.Authentication;

/// <summary>Where the gateway looks up a user's verifier. The catalog issue replaces the file store with the catalog.</summary>
public interface IUserStore
{
    ScramVerifier? FindVerifier(string userName);
}
