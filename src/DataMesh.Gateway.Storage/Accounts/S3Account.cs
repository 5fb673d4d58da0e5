namespace DataMesh.Gateway.Storage.Accounts;

public enum UrlStyle { VirtualHost, Path }

/// <summary>
/// How the gateway reaches an account's bucket. <see cref="Endpoint"/> null means AWS itself (the region's endpoint).
/// <see cref="Credentials"/> is <c>static</c> (the access key id and the sealed secret below), <c>env</c> (the gateway
/// process's AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY) or <c>file:NAME</c> (a credentials file the operator named
/// NAME in the configuration). The secret is only ever held sealed (<see cref="SecretBox"/>) outside a request.
/// </summary>
public sealed record S3Connection(string? Endpoint, string Region, UrlStyle UrlStyle, string Credentials, string? AccessKeyId, string? SealedSecret)
{
    public const string StaticCredentials = "static";
    public const string EnvironmentCredentials = "env";
    public const string FilePrefix = "file:";

    /// <summary>What SHOW ACCOUNTS may print: everything but the secret.</summary>
    public string Describe()
    {
        var where = Endpoint is null ? $"aws {Region}" : $"{Endpoint} {Region}";
        var style = UrlStyle == UrlStyle.Path ? "path" : "vhost";
        var who = Credentials == StaticCredentials ? $"key {AccessKeyId}" : $"credentials {Credentials}";
        return $"{where}, url_style {style}, {who}";
    }
}

/// <summary>An associated account on an object store: its name (for errors and logs), location and connection.</summary>
public sealed record S3Account(string Name, S3Location Location, S3Connection Connection);
