namespace DataMesh.Gateway.Engine.Instances;

/// <summary>
/// Turns a project's allowed sources into DuckDB's two allow lists. DuckDB matches <c>allowed_paths</c> exactly and
/// <c>allowed_directories</c> as prefixes ending in '/', and it checks a glob's pattern text, not the files it expands
/// to: an allowed glob pattern in <c>allowed_paths</c> lets <c>glob()</c> list the files but refuses reading each one
/// (checked on 1.5.6). So a glob allows the directory before its first wildcard, which is wider than the glob: every
/// file below that directory becomes readable.
/// </summary>
internal sealed record SourceAllowList(IReadOnlyList<string> Paths, IReadOnlyList<string> Directories)
{
    // The characters DuckDB's FileSystem::HasGlob treats as wildcards.
    private static readonly char[] Wildcards = ['*', '?', '['];

    /// <param name="sources">Absolute paths: a file, a directory (existing, or written with a trailing '/'), or a glob.</param>
    public static SourceAllowList From(IEnumerable<string> sources)
    {
        var paths = new SortedSet<string>(StringComparer.Ordinal);
        var directories = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var source in sources)
        {
            // Relative paths or URLs would resolve against whatever the process has at hand: refuse them.
            if (!Path.IsPathFullyQualified(source))
                throw new ArgumentException($"an allowed source must be an absolute path: '{source}'", nameof(sources));

            var wildcard = source.IndexOfAny(Wildcards);
            if (wildcard >= 0)
            {
                var prefix = source[..(source.LastIndexOf('/', wildcard) + 1)];
                directories.Add(Directory(prefix, source));
            }
            else if (source.EndsWith('/') || System.IO.Directory.Exists(source))
            {
                directories.Add(Directory(source, source));
            }
            else
            {
                // GetFullPath folds "." and ".." so the entry is the path DuckDB compares against.
                paths.Add(Path.GetFullPath(source));
            }
        }
        return new SourceAllowList([.. paths], [.. directories]);
    }

    private static string Directory(string path, string source)
    {
        var full = WithSlash(Path.GetFullPath(path));
        // "/*" or "/" would open the whole file system, the opposite of an allow list.
        if (full == "/") throw new ArgumentException($"an allowed source must not allow the root directory: '{source}'", nameof(source));
        return full;
    }

    /// <summary>Without the trailing '/', "/data/a" would also allow "/data/ab".</summary>
    internal static string WithSlash(string path) => path.EndsWith('/') ? path : path + "/";
}
