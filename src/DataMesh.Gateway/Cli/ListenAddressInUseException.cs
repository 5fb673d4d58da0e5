using System.Net;
using System.Net.Sockets;

namespace DataMesh.Gateway.Cli;

/// <summary>
/// A listen address of the gateway (the wire port, the metrics endpoint or the portal) is taken by another process.
/// <c>datamesh serve</c> prints its message as one line and exits 2: a stack trace would bury the one fact the user needs.
/// </summary>
public sealed class ListenAddressInUseException(string what, string address, Exception inner)
    : Exception($"cannot listen on {address} for {what}: the address is already in use (another gateway or a PostgreSQL server?); stop it or choose another address", inner)
{
    public string Address { get; } = address;

    /// <summary>Runs <paramref name="start"/>, turning "address in use" from sockets, HttpListener or Kestrel into this exception.</summary>
    public static T Guard<T>(string what, string address, Func<T> start)
    {
        try
        {
            return start();
        }
        catch (Exception e) when (IsAddressInUse(e))
        {
            throw new ListenAddressInUseException(what, address, e);
        }
    }

    private static bool IsAddressInUse(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
        {
            if (e is SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse }) return true;
            if (e is HttpListenerException h && h.Message.Contains("in use", StringComparison.OrdinalIgnoreCase)) return true;
            // Kestrel's AddressInUseException (Microsoft.AspNetCore.Connections), matched by name: this project does not
            // reference the ASP.NET Core framework, the portal's project does.
            if (e.GetType().Name == "AddressInUseException") return true;
        }
        return false;
    }
}
