namespace DataMesh.Gateway.Storage.Objects;

/// <summary>Rules for the relative key paths users write (asset sources, prefixes): plain segments only.</summary>
public static class ObjectKeys
{
    /// <summary>
    /// True for "a/b/c": no leading '/', no empty, '.' or '..' segment, no backslash, no control character. S3 would take
    /// '..' literally, but the gateway's rule for prefixes is a string rule and such names only serve to confuse it.
    /// </summary>
    public static bool IsSafeRelative(string path)
    {
        if (path.Length == 0 || path.Length > 1024 || path.Contains('\\') || path.Any(char.IsControl)) return false;
        return path.Split('/').All(segment => segment.Length > 0 && segment is not ("." or ".."));
    }
}
