namespace DataMesh.Gateway.Authentication.Tokens;

/// <summary>
/// Who a validated token says the caller is: the mapped user name, the issuer and subject (recorded in the audit log),
/// the domain groups its groups claim maps to, its scalar claims (for identity row filters) and when it expires.
/// </summary>
public sealed record TokenIdentity(
    string UserName,
    string Issuer,
    string Subject,
    IReadOnlyList<string> Groups,
    IReadOnlyDictionary<string, string> Claims,
    DateTimeOffset ExpiresAt);

/// <summary>
/// The token was refused. <see cref="SqlState"/> is 28P01 (the token is not good: signature, expiry, audience …) or
/// 28000 (it cannot be used here: no TLS, user-name mismatch). The message says what was wrong and never holds the token.
/// </summary>
public sealed class TokenRejectedException(string sqlState, string message) : Exception(message)
{
    public const string InvalidPassword = "28P01";
    public const string InvalidAuthorization = "28000";

    public string SqlState { get; } = sqlState;

    public static TokenRejectedException Invalid(string message) => new(InvalidPassword, message);
    public static TokenRejectedException NotAuthorized(string message) => new(InvalidAuthorization, message);
}
