using System.Text.RegularExpressions;
using DataMesh.Gateway.Tests.Storage;

namespace DataMesh.Gateway.Tests.Docs;

/// <summary>
/// The S3 API a document's object-store examples talk to: the project's local s3rver (<see cref="S3Server"/>), started
/// by the first <c>&lt;!-- doctest: s3 bucket=B keys=ID:SECRET[,ID:SECRET] [orders=KEY[,KEY]] --&gt;</c> directive
/// with the document's bucket and keys on a free port, which replaces the documents' <c>127.0.0.1:9000</c> in what
/// runs (and is shown as 9000 again in what is compared). Each <c>orders=</c> key is put into the bucket as a Parquet
/// file of 30 orders (<c>id, region, amount, customer_email</c>: <see cref="ParquetFiles.Orders"/>), the fixture
/// files the examples expect. Later directives of the same document reuse the server and add their objects.
/// </summary>
public sealed partial class DocObjectStore(string scratch) : IAsyncDisposable
{
    public const string DocumentAddress = "127.0.0.1:9000";

    private S3Server? _server;

    public string? Address => _server is null ? null : $"127.0.0.1:{_server.Port}";

    [GeneratedRegex(@"^s3 bucket=([a-z0-9.-]+) keys=(\S+?)(?: orders=(\S+))?$")]
    private static partial Regex Directive();

    /// <summary>Starts the server (once) and puts the directive's objects; returns an error for a malformed directive.</summary>
    public async Task<string?> PrepareAsync(string directive)
    {
        if (Directive().Match(directive) is not { Success: true } m)
            return "an s3 directive reads: s3 bucket=B keys=ID:SECRET[,ID:SECRET] [orders=KEY[,KEY]]";
        var bucket = m.Groups[1].Value;
        if (_server is null)
        {
            var keys = new Dictionary<string, string>();
            foreach (var pair in m.Groups[2].Value.Split(','))
            {
                var colon = pair.IndexOf(':', StringComparison.Ordinal);
                if (colon <= 0) return $"s3 keys are ID:SECRET pairs, not \"{pair}\"";
                keys[pair[..colon]] = pair[(colon + 1)..];
            }
            _server = await S3Server.StartAsync(keys, bucket);
        }
        if (m.Groups[3].Success)
        {
            var i = 0;
            foreach (var key in m.Groups[3].Value.Split(','))
            {
                var file = ParquetFiles.Orders(Path.Combine(scratch, "s3-fixtures"), $"orders-{i}.parquet", 30, 1 + 30 * i++);
                await _server.PutAsync(bucket, key, file);
            }
        }
        return null;
    }

    /// <summary>What runs: the documents' address of the S3 API becomes the running server's.</summary>
    public string ToRunning(string text) => Address is { } a ? text.Replace(DocumentAddress, a, StringComparison.Ordinal) : text;

    /// <summary>What is compared: the running server's address is shown as the document's.</summary>
    public string ToDocument(string text) => Address is { } a ? text.Replace(a, DocumentAddress, StringComparison.Ordinal) : text;

    public async ValueTask DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync();
    }
}
