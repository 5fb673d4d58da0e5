using System.Runtime.InteropServices;

namespace DataMesh.Gateway.Admin.Storage;

/// <summary>realpath(3): a path with every symlink, "." and ".." resolved, or null when it does not exist.</summary>
internal static partial class RealPath
{
    public static string? Of(string path)
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

    /// <summary>True when <paramref name="path"/> is <paramref name="root"/> or below it (both absolute, no trailing slash needed).</summary>
    public static bool Inside(string path, string root)
    {
        var r = Path.TrimEndingDirectorySeparator(root);
        return path == r || path.StartsWith(r + "/", StringComparison.Ordinal);
    }

    [LibraryImport("libc", EntryPoint = "realpath", StringMarshalling = StringMarshalling.Utf8)]
    private static partial IntPtr NativeRealPath(string path, IntPtr resolved);

    [LibraryImport("libc", EntryPoint = "free")]
    private static partial void NativeFree(IntPtr p);
}
