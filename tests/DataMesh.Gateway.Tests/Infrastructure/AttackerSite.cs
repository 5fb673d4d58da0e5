using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace DataMesh.Gateway.Tests.Infrastructure;

/// <summary>
/// A hostile web page on another port: every request gets the same HTML (a form that posts itself to the portal).
/// With <paramref name="certificate"/> it is served over HTTPS on the portal's own host name, so the browser treats
/// it as the same site and sends the portal's SameSite cookies along: only the anti-forgery token stands in the way.
/// </summary>
public sealed class AttackerSite : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly string _html;
    private readonly X509Certificate2? _certificate;

    public AttackerSite(string html, X509Certificate2? certificate)
    {
        _html = html;
        _certificate = certificate;
        _listener.Start();
        _ = Task.Run(AcceptAsync);
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>The page on <paramref name="host"/> (127.0.0.1: the portal's site; localhost: another site).</summary>
    public Uri Url(string host) => new($"{(_certificate is null ? "http" : "https")}://{host}:{Port}/");

    /// <summary>A page that posts a form to <paramref name="target"/> as soon as it loads.</summary>
    public static string AutoPost(Uri target, params (string Name, string Value)[] fields) =>
        "<!DOCTYPE html><html><body><form id=\"f\" method=\"post\" action=\"" + WebUtility.HtmlEncode(target.ToString()) + "\">"
        + string.Concat(fields.Select(f => $"<input type=\"hidden\" name=\"{WebUtility.HtmlEncode(f.Name)}\" value=\"{WebUtility.HtmlEncode(f.Value)}\">"))
        + "</form><script>document.getElementById('f').submit();</script></body></html>";

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception)
            {
                return;
            }
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                Stream stream = client.GetStream();
                if (_certificate is not null)
                {
                    var tls = new SslStream(stream);
                    await tls.AuthenticateAsServerAsync(_certificate);
                    stream = tls;
                }
                var buffer = new byte[16384];
                var read = 0;
                while (read < buffer.Length && !Encoding.ASCII.GetString(buffer, 0, read).Contains("\r\n\r\n"))
                {
                    var n = await stream.ReadAsync(buffer.AsMemory(read));
                    if (n == 0) return;
                    read += n;
                }
                var body = Encoding.UTF8.GetBytes(_html);
                var head = Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n");
                await stream.WriteAsync(head);
                await stream.WriteAsync(body);
                await stream.FlushAsync();
            }
            catch (Exception)
            {
                // the browser may drop the connection (favicon, preconnect): nothing to serve then
            }
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
    }
}
