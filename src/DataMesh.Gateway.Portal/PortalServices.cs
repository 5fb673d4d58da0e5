using DataMesh.Gateway.Admin;
using DataMesh.Gateway.Authentication;
using DataMesh.Gateway.Authentication.Tokens;
using DataMesh.Gateway.Catalog;
using DataMesh.Gateway.Server;
using DataMesh.Gateway.Server.Auth;

namespace DataMesh.Gateway.Portal;

/// <summary>
/// What the portal uses of the gateway: the same user store, token validator and login throttle as the wire, the
/// admin executor and catalog, the wire's statement path without a socket, and the approval preview.
/// </summary>
public sealed class PortalServices
{
    public required GatewayServer Server { get; init; }
    public required AdminExecutor Admin { get; init; }
    public required IUserStore Users { get; init; }

    /// <summary>The wire's identity-token validator (the same trusted issuers); null when no issuer is trusted.</summary>
    public TokenValidator? Tokens { get; init; }

    public TimeProvider Clock { get; init; } = TimeProvider.System;

    public CatalogService Catalog => Admin.Services.Catalog;

    /// <summary>The wire's failed-login backoff: one budget per address for both doors.</summary>
    public LoginThrottle Throttle => Server.LoginThrottle;
}
