using System.Text.RegularExpressions;
using DataMesh.Gateway.Storage.Objects;

namespace DataMesh.Gateway.Storage.Accounts;

/// <summary>
/// An <c>s3://bucket/prefix/</c> location: a bucket and a key prefix that is empty or ends with '/'. Keys below it are
/// plain strings to S3 (no directories, no '..'), so the prefix rule is a string rule: a key belongs to the location
/// when it starts with <see cref="Prefix"/>.
/// </summary>
public sealed partial record S3Location(string Bucket, string Prefix)
{
    public const string Scheme = "s3://";

    public static bool IsS3(string location) => location.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase);

    /// <summary>Parses and normalises (a trailing '/' is added to a non-empty prefix); null with a reason when invalid.</summary>
    public static S3Location? TryParse(string text, out string? error)
    {
        error = null;
        if (!IsS3(text))
        {
            error = "an object-store location starts with s3://";
            return null;
        }
        var rest = text[Scheme.Length..];
        var slash = rest.IndexOf('/');
        var bucket = slash < 0 ? rest : rest[..slash];
        var prefix = slash < 0 ? "" : rest[(slash + 1)..];
        if (!BucketName().IsMatch(bucket) || bucket.Contains("..", StringComparison.Ordinal))
        {
            error = $"\"{bucket}\" is not a valid bucket name (3 to 63 lower-case letters, digits, '.' and '-')";
            return null;
        }
        if (prefix.Length > 0 && !prefix.EndsWith('/')) prefix += "/";
        if (prefix.Length > 0 && !ObjectKeys.IsSafeRelative(prefix.TrimEnd('/')))
        {
            error = $"the key prefix \"{prefix}\" must be plain path segments (no '.', '..', empty segments, backslashes or control characters)";
            return null;
        }
        return new S3Location(bucket, prefix);
    }

    /// <summary>The location of a child prefix (one or more plain segments) below this one.</summary>
    public S3Location Child(string segments) => new(Bucket, Prefix + segments.Trim('/') + "/");

    /// <summary>True when this location and <paramref name="other"/> share keys: same bucket, one prefix inside the other.</summary>
    public bool Overlaps(S3Location other) =>
        Bucket == other.Bucket && (Prefix.StartsWith(other.Prefix, StringComparison.Ordinal) || other.Prefix.StartsWith(Prefix, StringComparison.Ordinal));

    public bool Contains(string key) => key.StartsWith(Prefix, StringComparison.Ordinal);

    public override string ToString() => Scheme + Bucket + "/" + Prefix;

    [GeneratedRegex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")]
    private static partial Regex BucketName();
}
