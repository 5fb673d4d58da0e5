using System.Net;
using System.Net.Sockets;

namespace DataMesh.Gateway.Tests.Infrastructure;

/// <summary>
/// A loopback port free at the moment of asking, for a process the test starts (a gateway child, a PostgreSQL server,
/// HAProxy) that must be told its port up front. Another process may take it before the child binds; the children
/// fail loudly then ("address in use"), never silently.
/// </summary>
public static class FreePorts
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
