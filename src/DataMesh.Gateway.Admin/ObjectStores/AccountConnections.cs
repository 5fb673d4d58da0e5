using System.Text.RegularExpressions;
using DataMesh.Gateway.Catalog.Model;
using DataMesh.Gateway.Storage;
using DataMesh.Gateway.Storage.Accounts;

namespace DataMesh.Gateway.Admin.ObjectStores;

/// <summary>
/// The WITH options of an object-store account, checked and turned into its catalog record (the secret sealed with
/// the gateway's storage key), and the record turned back into what the storage layer connects with. Error messages
/// name options, never their values.
/// </summary>
public static partial class AccountConnections
{
    private static readonly string[] ConnectionOptions = ["endpoint", "region", "url_style"];
    private static readonly string[] CredentialOptions = ["access_key_id", "secret_access_key", "credentials"];

    /// <summary>ASSOCIATE ACCOUNT … WITH (…): the whole connection.</summary>
    public static ObjectStoreRecord FromOptions(string account, IReadOnlyDictionary<string, string> options, ObjectStorage storage)
    {
        RequireKnown(options, [.. ConnectionOptions, .. CredentialOptions]);
        var endpoint = options.GetValueOrDefault("endpoint") is { } e ? Endpoint(e) : null;
        var region = options.GetValueOrDefault("region") ?? "us-east-1";
        if (!Region().IsMatch(region)) throw AdminErrors.Invalid("option \"region\" must be an AWS region name such as 'us-east-1'");
        // S3-compatible servers at an endpoint of their own mostly want path-style URLs; AWS wants virtual hosts.
        var style = (options.GetValueOrDefault("url_style") ?? (endpoint is null ? "vhost" : "path")) switch
        {
            "path" => "path",
            "vhost" => "vhost",
            _ => throw AdminErrors.Invalid("option \"url_style\" must be 'path' or 'vhost'"),
        };
        var (credentials, keyId, sealedSecret) = Credentials(account, options, storage);
        return new ObjectStoreRecord(endpoint, region, style, credentials, keyId, sealedSecret);
    }

    /// <summary>ALTER ACCOUNT … SET CREDENTIALS (…): new credentials, the same endpoint.</summary>
    public static ObjectStoreRecord WithCredentials(string account, ObjectStoreRecord current, IReadOnlyDictionary<string, string> options, ObjectStorage storage)
    {
        RequireKnown(options, CredentialOptions);
        var (credentials, keyId, sealedSecret) = Credentials(account, options, storage);
        return current with { Credentials = credentials, AccessKeyId = keyId, SealedSecret = sealedSecret };
    }

    public static S3Account ToAccount(AccountRecord account)
    {
        var store = account.ObjectStore ?? throw new InvalidOperationException($"account {account.Name} is not on an object store");
        var location = S3Location.TryParse(account.Location, out var error) ?? throw new InvalidOperationException(error);
        return new S3Account(account.Name, location, new S3Connection(store.Endpoint, store.Region,
            store.UrlStyle == "path" ? UrlStyle.Path : UrlStyle.VirtualHost, store.Credentials, store.AccessKeyId, store.SealedSecret));
    }

    /// <summary>What SHOW ACCOUNTS prints of the connection: never the secret.</summary>
    public static string? Describe(AccountRecord account) => account.ObjectStore is null ? null : ToAccount(account).Connection.Describe();

    private static (string Credentials, string? KeyId, string? SealedSecret) Credentials(string account, IReadOnlyDictionary<string, string> options, ObjectStorage storage)
    {
        var id = options.GetValueOrDefault("access_key_id");
        var secret = options.GetValueOrDefault("secret_access_key");
        if (options.GetValueOrDefault("credentials") is { } source)
        {
            if (id is not null || secret is not null)
                throw AdminErrors.Invalid("give either credentials = 'env' | 'file:NAME' or access_key_id and secret_access_key, not both");
            if (source == S3Connection.EnvironmentCredentials) return (source, null, null);
            if (source.StartsWith(S3Connection.FilePrefix, StringComparison.Ordinal))
            {
                var name = source[S3Connection.FilePrefix.Length..];
                if (!storage.Credentials.HasFile(name))
                    throw AdminErrors.Invalid($"no credentials file named \"{name}\" is configured",
                        hint: "the operator names credentials files in the configuration (Storage:CredentialFiles)");
                return (source, null, null);
            }
            throw AdminErrors.Invalid("option \"credentials\" must be 'env' or 'file:NAME'");
        }
        if (id is null || secret is null)
            throw AdminErrors.Invalid("an object-store account needs access_key_id and secret_access_key, or credentials = 'env' | 'file:NAME'");
        if (!AccessKeyId().IsMatch(id)) throw AdminErrors.Invalid("option \"access_key_id\" must be 1 to 128 letters, digits, '_' or '-'");
        if (secret.Length is 0 or > 1024 || secret.Any(char.IsControl)) throw AdminErrors.Invalid("option \"secret_access_key\" is not a valid secret");
        return (S3Connection.StaticCredentials, id, storage.Secrets.Seal(secret, account));
    }

    private static string Endpoint(string text)
    {
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            throw AdminErrors.Invalid("option \"endpoint\" must be an http:// or https:// URL");
        // Credentials in a URL would be stored and shown in the clear; paths and queries mean another service.
        if (uri.UserInfo.Length > 0 || uri.Query.Length > 0 || uri.Fragment.Length > 0 || uri.AbsolutePath != "/")
            throw AdminErrors.Invalid("option \"endpoint\" must be scheme, host and port only (no user, path or query)");
        return uri.GetLeftPart(UriPartial.Authority);
    }

    private static void RequireKnown(IReadOnlyDictionary<string, string> options, string[] known)
    {
        foreach (var key in options.Keys)
            if (!known.Contains(key))
                throw AdminErrors.Invalid($"unknown account option \"{key}\"", hint: "options: " + string.Join(", ", known));
    }

    [GeneratedRegex("^[a-z]{2}(-[a-z0-9]+){1,3}$")]
    private static partial Regex Region();

    [GeneratedRegex("^[A-Za-z0-9_-]{1,128}$")]
    private static partial Regex AccessKeyId();
}
