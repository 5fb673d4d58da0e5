using Microsoft.IdentityModel.Tokens;

namespace DataMesh.Gateway.Authentication.Tokens;

/// <summary>
/// An issuer's signing keys. <see cref="GetKeysAsync"/> answers from a cache; <paramref name="refresh"/> asks the
/// source again (a token named a key id we do not know: the issuer may have rotated its keys).
/// </summary>
public abstract class JwksSource
{
    public abstract Task<IReadOnlyList<JsonWebKey>> GetKeysAsync(bool refresh, CancellationToken ct);

    public static JwksSource For(TrustedIssuer issuer) => issuer switch
    {
        { JwksFile: { Length: > 0 } file } => new FileJwksSource(file),
        { JwksUrl: { Length: > 0 } url } => new UrlJwksSource(UrlJwksSource.CheckUrl(url), issuer.JwksCacheDuration, issuer.JwksMinimumRefresh),
        _ => new StaticJwksSource([]),
    };

    /// <summary>The signing keys of a JWKS document (keys marked for encryption are left out).</summary>
    public static IReadOnlyList<JsonWebKey> Parse(string json)
    {
        var set = new JsonWebKeySet(json);
        return set.Keys.Where(k => k.Use is null or "" or JsonWebKeyUseNames.Sig).ToList();
    }
}

/// <summary>Keys given in code (tests, HMAC-only issuers).</summary>
public sealed class StaticJwksSource(IReadOnlyList<JsonWebKey> keys) : JwksSource
{
    public override Task<IReadOnlyList<JsonWebKey>> GetKeysAsync(bool refresh, CancellationToken ct) => Task.FromResult(keys);
}

/// <summary>
/// A JWKS file, re-read whenever its modification time or size changes, so keys rotate without a restart. A file that
/// cannot be read or parsed keeps the last good keys (an editor writing it in two steps must not lock everyone out).
/// </summary>
public sealed class FileJwksSource(string path) : JwksSource
{
    private readonly Lock _lock = new();
    private (DateTime Modified, long Length) _stamp;
    private IReadOnlyList<JsonWebKey> _keys = [];

    public override Task<IReadOnlyList<JsonWebKey>> GetKeysAsync(bool refresh, CancellationToken ct)
    {
        lock (_lock)
        {
            var info = new FileInfo(path);
            if (!info.Exists) return Task.FromResult(_keys);
            var stamp = (info.LastWriteTimeUtc, info.Length);
            if (stamp == _stamp && _keys.Count > 0 && !refresh) return Task.FromResult(_keys);
            try
            {
                _keys = Parse(File.ReadAllText(path));
                _stamp = stamp;
            }
            catch (Exception e) when (e is IOException or ArgumentException or System.Text.Json.JsonException or UnauthorizedAccessException)
            {
                // keep the last good keys
            }
            return Task.FromResult(_keys);
        }
    }
}

/// <summary>
/// A JWKS URL (https, or http on a loopback address only), cached for a while. An unknown key id refreshes it, but at
/// most once per <paramref name="minimumRefresh"/> (30 seconds by default), so a stream of tokens with made-up key ids
/// cannot turn the gateway into a flood.
/// </summary>
public sealed class UrlJwksSource(Uri url, TimeSpan cacheDuration, TimeSpan minimumRefresh, HttpClient? http = null) : JwksSource
{
    private static readonly HttpClient SharedHttp = new() { Timeout = TimeSpan.FromSeconds(10) };
    private readonly SemaphoreSlim _gate = new(1, 1);
    private IReadOnlyList<JsonWebKey> _keys = [];
    private DateTimeOffset _fetchedAt = DateTimeOffset.MinValue;

    public static Uri CheckUrl(string text)
    {
        if (!Uri.TryCreate(text, UriKind.Absolute, out var url)) throw new ArgumentException($"JWKS URL \"{text}\" is not an absolute URL");
        if (url.Scheme == Uri.UriSchemeHttps) return url;
        if (url.Scheme == Uri.UriSchemeHttp && url.IsLoopback) return url;
        throw new ArgumentException($"JWKS URL \"{text}\" must use https (http only on a loopback address)");
    }

    public override async Task<IReadOnlyList<JsonWebKey>> GetKeysAsync(bool refresh, CancellationToken ct)
    {
        var now = DateTimeOffset.UtcNow;
        var age = now - _fetchedAt;
        if (age < cacheDuration && !(refresh && age >= minimumRefresh)) return _keys;
        await _gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            age = DateTimeOffset.UtcNow - _fetchedAt;
            if (age < cacheDuration && !(refresh && age >= minimumRefresh)) return _keys;
            try
            {
                var json = await (http ?? SharedHttp).GetStringAsync(url, ct).ConfigureAwait(false);
                _keys = Parse(json);
                _fetchedAt = DateTimeOffset.UtcNow;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or ArgumentException or System.Text.Json.JsonException)
            {
                // Keep serving the last good keys, and try again after the refresh interval rather than the cache time.
                _fetchedAt = DateTimeOffset.UtcNow - cacheDuration + minimumRefresh;
            }
            return _keys;
        }
        finally
        {
            _gate.Release();
        }
    }
}
