using System.Text;
using System.Text.RegularExpressions;
using DataMesh.Gateway.Storage.Accounts;

namespace DataMesh.Gateway.Storage.Objects;

/// <summary>
/// The objects an asset reads: a bucket and a key, or a key pattern with <c>*</c> (any characters but '/'),
/// <c>?</c> (one character but '/') and <c>**</c> (any characters, '/' too). Listing asks S3 for the keys under
/// <see cref="ListPrefix"/> (the literal part up to the last '/' before the first wildcard) and keeps those the
/// pattern matches in full. Written as <c>s3://bucket/key-pattern</c> in the catalog.
/// </summary>
public sealed class ObjectPattern
{
    private static readonly char[] Wildcards = ['*', '?'];
    private readonly Regex? _regex;

    private ObjectPattern(string bucket, string keyPattern)
    {
        Bucket = bucket;
        KeyPattern = keyPattern;
        var wildcard = keyPattern.IndexOfAny(Wildcards);
        ListPrefix = wildcard < 0 ? keyPattern : keyPattern[..(keyPattern.LastIndexOf('/', wildcard) + 1)];
        _regex = wildcard < 0 ? null : new Regex(ToRegex(keyPattern), RegexOptions.CultureInvariant | RegexOptions.NonBacktracking);
    }

    public string Bucket { get; }
    public string KeyPattern { get; }
    public string ListPrefix { get; }
    public bool IsExactKey => _regex is null;

    public bool Matches(string key) => _regex?.IsMatch(key) ?? key == KeyPattern;

    public override string ToString() => S3Location.Scheme + Bucket + "/" + KeyPattern;

    public static bool HasWildcard(string text) => text.IndexOfAny(Wildcards) >= 0;

    /// <summary>
    /// A source relative to a project's prefix: plain segments with wildcards, nothing that could leave the prefix
    /// ('..', a leading '/', a scheme) and no character classes or alternatives. Null with a reason when refused.
    /// </summary>
    public static ObjectPattern? Below(S3Location root, string source, out string? error)
    {
        error = null;
        if (source.Contains("://", StringComparison.Ordinal) || source.StartsWith('/'))
            error = $"asset source \"{source}\" must be a key path relative to the project's prefix";
        else if (source.IndexOfAny(['[', '{', ']', '}']) >= 0)
            error = $"asset source \"{source}\" uses '[' or '{{': object sources take only *, ? and **";
        else if (!ObjectKeys.IsSafeRelative(source.TrimEnd('/')))
            error = $"asset source \"{source}\" must be plain key segments (no '.', '..', empty segments or backslashes)";
        if (error is not null) return null;
        var key = root.Prefix + (source.EndsWith('/') ? source + "*.parquet" : source);
        return new ObjectPattern(root.Bucket, key);
    }

    /// <summary>The pattern stored in the catalog (<see cref="ToString"/>) read back.</summary>
    public static ObjectPattern Parse(string uri)
    {
        var rest = S3Location.IsS3(uri) ? uri[S3Location.Scheme.Length..] : throw new FormatException("not an s3:// pattern");
        var slash = rest.IndexOf('/');
        if (slash <= 0 || slash == rest.Length - 1) throw new FormatException("an object pattern needs a bucket and a key");
        return new ObjectPattern(rest[..slash], rest[(slash + 1)..]);
    }

    /// <summary>A directory reading of an exact key that names no object: its Parquet objects one level down.</summary>
    public ObjectPattern AsDirectory() => new(Bucket, KeyPattern.TrimEnd('/') + "/*.parquet");

    private static string ToRegex(string pattern)
    {
        var sb = new StringBuilder("^");
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '*' && i + 1 < pattern.Length && pattern[i + 1] == '*')
            {
                i++;
                // "**/" also matches no directory at all, as in DuckDB's and the shell's globstar.
                if (i + 1 < pattern.Length && pattern[i + 1] == '/')
                {
                    i++;
                    sb.Append("(?:.*/)?");
                }
                else
                {
                    sb.Append(".*");
                }
            }
            else if (c == '*') sb.Append("[^/]*");
            else if (c == '?') sb.Append("[^/]");
            else sb.Append(Regex.Escape(c.ToString()));
        }
        return sb.Append('$').ToString();
    }
}
