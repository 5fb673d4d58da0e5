using System.Runtime.InteropServices;
using DataMesh.Gateway.Admin.Commands;

namespace DataMesh.Gateway.Admin;

/// <summary>
/// Resolves an asset's source (a file, directory or glob relative to its account root) to an absolute path and
/// proves it stays inside the root: <c>..</c> segments are refused, and the real path of the directory and of every
/// matched file (symlinks resolved) must lie inside the root's real path.
/// </summary>
public static partial class SourcePaths
{
    private static readonly char[] GlobChars = ['*', '?', '[', '{'];

    public static string Resolve(string accountRoot, string source)
    {
        if (source.Length == 0 || Path.IsPathRooted(source) || source.Contains("://", StringComparison.Ordinal))
            throw AdminErrors.Invalid($"asset source \"{source}\" must be a path relative to the account root");
        if (source.Split('/', '\\').Any(part => part == ".."))
            throw AdminErrors.Denied($"asset source \"{source}\" escapes the account root");

        var root = RealPath(accountRoot) ?? throw AdminErrors.Invalid("the account root does not exist");
        var full = Path.GetFullPath(Path.Combine(accountRoot, source));
        var globAt = full.IndexOfAny(GlobChars);
        var literalPart = globAt < 0 ? full : full[..full.LastIndexOf('/', globAt)];
        var realLiteral = RealPath(literalPart) ?? throw AdminErrors.Invalid($"asset source \"{source}\" does not exist in the account");
        if (!AccountCommands.Inside(realLiteral, root))
            throw AdminErrors.Denied($"asset source \"{source}\" escapes the account root");

        string resolved;
        if (globAt < 0 && Directory.Exists(realLiteral)) resolved = Path.Combine(realLiteral, "*.parquet");
        else if (globAt < 0) resolved = realLiteral;
        else resolved = realLiteral + full[literalPart.Length..];

        foreach (var file in Matches(resolved))
        {
            var real = RealPath(file);
            if (real is null || !AccountCommands.Inside(real, root))
                throw AdminErrors.Denied($"asset source \"{source}\" matches a file outside the account root");
        }
        return resolved;
    }

    /// <summary>The files a single-level or ** glob matches, for the escape check.</summary>
    private static IEnumerable<string> Matches(string pattern)
    {
        var globAt = pattern.IndexOfAny(GlobChars);
        if (globAt < 0) return File.Exists(pattern) ? [pattern] : [];
        var dir = pattern[..pattern.LastIndexOf('/', globAt)];
        var rest = pattern[(dir.Length + 1)..];
        var recursive = rest.Contains("**", StringComparison.Ordinal) || rest.Contains('/');
        var filePattern = rest[(rest.LastIndexOf('/') + 1)..].Replace("**", "*");
        if (!Directory.Exists(dir)) return [];
        return Directory.EnumerateFiles(dir, filePattern.IndexOfAny(['[', '{']) >= 0 ? "*" : filePattern,
            recursive ? SearchOption.AllDirectories : SearchOption.TopDirectoryOnly);
    }

    /// <summary>realpath(3): every symlink resolved, or null when the path does not exist.</summary>
    public static string? RealPath(string path)
    {
        var p = NativeRealPath(path, IntPtr.Zero);
        if (p == IntPtr.Zero) return null;
        try
        {
            return Marshal.PtrToStringUTF8(p);
        }
        finally
        {
            NativeFree(p);
        }
    }

    [LibraryImport("libc", EntryPoint = "realpath", StringMarshalling = StringMarshalling.Utf8)]
    private static partial IntPtr NativeRealPath(string path, IntPtr resolved);

    [LibraryImport("libc", EntryPoint = "free")]
    private static partial void NativeFree(IntPtr p);
}
