using DataMesh.Gateway.Catalog.Model;

namespace DataMesh.Gateway.Admin.Storage;

/// <summary>
/// A project's prefix in a directory account: <c>&lt;location&gt;/&lt;prefix&gt;/</c>. Paths are compared as real paths
/// (realpath(3): every symlink resolved), so a link placed inside the prefix that points at a neighbour's files, at
/// the account root or anywhere else is refused, and so is a prefix directory that is itself a link.
/// </summary>
internal sealed class LocalProjectStorage(AccountRecord account, ProjectRecord project, IReadOnlyList<ProjectRecord> neighbours)
    : ProjectStorage(account, project, neighbours)
{
    private string Where => $"the storage of project \"{Project.Name}\"";

    public override string Location => Path.Combine(Account.Location, Project.StoragePrefix) + "/";

    public override void Provision() => Directory.CreateDirectory(Path.Combine(Account.Location, Project.StoragePrefix));

    public override string Resolve(string source)
    {
        var pattern = SourcePattern.Parse(source, Project.Name);
        var prefix = RealPrefix() ?? throw AdminErrors.Invalid($"{Where} does not exist yet",
            $"producers write the project's files under its prefix \"{Project.StoragePrefix}/\" (the producer_storage blueprint creates it)");
        var literal = Path.Combine([prefix, .. pattern.LiteralSegments]);
        var realLiteral = RealPath.Of(literal) ?? throw AdminErrors.Invalid($"asset source \"{source}\" does not exist in {Where}");
        RequireInside(realLiteral, prefix, source);

        string resolved;
        if (pattern.LeafIsPattern)
        {
            if (!Directory.Exists(realLiteral)) throw AdminErrors.Invalid($"asset source \"{source}\" does not exist in {Where}");
            resolved = realLiteral + "/" + pattern.Leaf;
        }
        else
        {
            resolved = Directory.Exists(realLiteral) ? realLiteral + "/*.parquet" : realLiteral;
        }
        RequireMatchesInside(resolved, prefix, source);
        return resolved;
    }

    public override void Verify(string resolvedPath, string assetName)
    {
        var slash = resolvedPath.LastIndexOf('/');
        if (slash <= 0) throw Moved(assetName);
        var directory = resolvedPath[..slash];
        var realDirectory = RealPath.Of(directory);
        if (realDirectory is null) return; // gone: reading fails on its own, with the asset's usual error
        if (realDirectory != directory) throw Moved(assetName);
        // Sources resolved before prefixes existed lie elsewhere in the account: they stay readable, but only there.
        var area = RealPrefix() is { } prefix && RealPath.Inside(directory, prefix) ? prefix : RealPath.Of(Account.Location);
        if (area is null) throw Moved(assetName);
        RequireInside(directory, area, assetName);
        RequireMatchesInside(resolvedPath, area, assetName);
    }

    public override void CheckClaim(IEnumerable<AssetRecord> otherProjectsAssets)
    {
        var root = RealPath.Of(Account.Location) ?? Account.Location;
        var claimed = StoragePrefix.Fold(Path.Combine(root, Project.StoragePrefix));
        foreach (var asset in otherProjectsAssets)
        {
            var directory = asset.ResolvedPath[..Math.Max(asset.ResolvedPath.LastIndexOf('/'), 0)];
            var real = StoragePrefix.Fold(RealPath.Of(directory) ?? directory);
            if (RealPath.Inside(real, claimed))
                throw AdminErrors.Invalid(
                    $"storage prefix \"{Project.StoragePrefix}\" of account \"{Account.Name}\" holds files that assets of project \"{asset.Project}\" read",
                    "give the project another prefix with the producer_storage blueprint's path parameter");
        }
    }

    /// <summary>The prefix's real path, or null when it does not exist. A prefix that is (or goes through) a link is refused.</summary>
    private string? RealPrefix()
    {
        var root = RealPath.Of(Account.Location) ?? throw AdminErrors.Invalid($"the location of account \"{Account.Name}\" does not exist");
        var expected = Path.Combine(root, Project.StoragePrefix);
        var real = RealPath.Of(expected);
        if (real is not null && real != expected)
            throw AdminErrors.Denied($"{Where} is a link to another place; asset sources are not resolved through it");
        return real;
    }

    /// <summary>Inside <paramref name="area"/> and outside every neighbour's prefix (prefixes created before overlaps were refused may nest).</summary>
    private void RequireInside(string realPath, string area, string what)
    {
        if (!RealPath.Inside(realPath, area) || NeighbourPrefixes().Any(n => RealPath.Inside(realPath, n)))
            throw PathText.Escape($"asset source \"{what}\"", $"it leads outside {Where}");
    }

    /// <summary>Every directory entry the file name (or pattern) matches must resolve inside <paramref name="area"/>.</summary>
    private void RequireMatchesInside(string resolved, string area, string what)
    {
        var slash = resolved.LastIndexOf('/');
        var directory = resolved[..slash];
        var leaf = resolved[(slash + 1)..];
        var candidates = leaf.IndexOfAny(['*', '?']) < 0
            ? [resolved]
            : Directory.EnumerateFileSystemEntries(directory).Where(e => SourcePattern.Matches(leaf, Path.GetFileName(e)));
        foreach (var entry in candidates)
        {
            var real = RealPath.Of(entry);
            // A dangling link is refused too: whatever it is made to point at later would be read.
            if (real is null && new FileInfo(entry).LinkTarget is not null)
                throw PathText.Escape($"asset source \"{what}\"", $"it matches a link that leads nowhere in {Where}");
            if (real is not null) RequireInside(real, area, what);
        }
    }

    /// <summary>
    /// Where the neighbours' prefixes are, as paths under the account's real location. Not resolved: a neighbour's
    /// prefix made a link to ours must not make our own files "theirs" (its own sources are refused through the link).
    /// </summary>
    private IEnumerable<string> NeighbourPrefixes()
    {
        var root = RealPath.Of(Account.Location) ?? Account.Location;
        return Neighbours.Select(n => Path.Combine(root, n.StoragePrefix));
    }

    private static Protocol.Errors.PgErrorException Moved(string assetName) =>
        AdminErrors.Denied($"the files of asset {assetName} are not where its source was resolved: a directory on the way was replaced by a link");
}
