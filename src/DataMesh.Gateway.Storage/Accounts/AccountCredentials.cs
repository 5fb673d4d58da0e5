using Amazon.Runtime;
using DataMesh.Gateway.Protocol.Errors;

namespace DataMesh.Gateway.Storage.Accounts;

/// <summary>
/// Turns an account's credential setting into AWS credentials for one client: the sealed static key opened with the
/// storage key, the process environment, or a configured credentials file (AWS's shared-credentials format: the
/// <c>[default]</c> section, or the only one, with <c>aws_access_key_id</c> and <c>aws_secret_access_key</c>).
/// Errors name the account and the source, never a key.
/// </summary>
public sealed class AccountCredentials(SecretBox secrets, IReadOnlyDictionary<string, string> credentialFiles, Func<string, string?>? environment = null)
{
    private readonly Func<string, string?> _environment = environment ?? Environment.GetEnvironmentVariable;

    public AWSCredentials For(S3Account account)
    {
        var c = account.Connection;
        if (c.Credentials == S3Connection.StaticCredentials)
        {
            if (c.AccessKeyId is null || c.SealedSecret is null) throw Missing(account, "its static key is incomplete");
            return new BasicAWSCredentials(c.AccessKeyId, secrets.Open(c.SealedSecret, account.Name));
        }
        if (c.Credentials == S3Connection.EnvironmentCredentials)
        {
            var id = _environment("AWS_ACCESS_KEY_ID");
            var secret = _environment("AWS_SECRET_ACCESS_KEY");
            if (string.IsNullOrEmpty(id) || string.IsNullOrEmpty(secret))
                throw Missing(account, "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set in the gateway's environment");
            var token = _environment("AWS_SESSION_TOKEN");
            return string.IsNullOrEmpty(token) ? new BasicAWSCredentials(id, secret) : new SessionAWSCredentials(id, secret, token);
        }
        if (c.Credentials.StartsWith(S3Connection.FilePrefix, StringComparison.Ordinal))
        {
            var name = c.Credentials[S3Connection.FilePrefix.Length..];
            if (!credentialFiles.TryGetValue(name, out var path)) throw Missing(account, $"no credentials file named \"{name}\" is configured");
            return FromFile(account, name, path);
        }
        throw Missing(account, $"unknown credential source \"{c.Credentials}\"");
    }

    /// <summary>The file's modification time, so a client built from it is rebuilt when the file is rotated.</summary>
    public DateTime FileVersion(S3Account account) =>
        account.Connection.Credentials.StartsWith(S3Connection.FilePrefix, StringComparison.Ordinal)
        && credentialFiles.TryGetValue(account.Connection.Credentials[S3Connection.FilePrefix.Length..], out var path) && File.Exists(path)
            ? File.GetLastWriteTimeUtc(path) : default;

    /// <summary>True when a credentials file of this name is configured (ASSOCIATE refuses names that are not).</summary>
    public bool HasFile(string name) => credentialFiles.ContainsKey(name);

    private static BasicAWSCredentials FromFile(S3Account account, string name, string path)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Missing(account, $"credentials file \"{name}\" cannot be read");
        }
        var sections = new List<(string Name, Dictionary<string, string> Values)>();
        foreach (var raw in lines)
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] is '#' or ';') continue;
            if (line[0] == '[' && line[^1] == ']') sections.Add((line[1..^1].Trim(), new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)));
            else if (line.IndexOf('=') is var eq and > 0)
            {
                if (sections.Count == 0) sections.Add(("default", new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)));
                sections[^1].Values[line[..eq].Trim()] = line[(eq + 1)..].Trim();
            }
        }
        var section = sections.FirstOrDefault(s => s.Name == "default").Values ?? (sections.Count == 1 ? sections[0].Values : null);
        if (section is null || !section.TryGetValue("aws_access_key_id", out var id) || !section.TryGetValue("aws_secret_access_key", out var secret))
            throw Missing(account, $"credentials file \"{name}\" has no [default] aws_access_key_id and aws_secret_access_key");
        return new BasicAWSCredentials(id, secret);
    }

    private static PgErrorException Missing(S3Account account, string why) =>
        new(SqlState.ConfigFileError, $"the credentials of account \"{account.Name}\" cannot be used: {why}",
            hint: $"an account admin can set them with ALTER ACCOUNT {account.Name} SET CREDENTIALS (…)");
}
