using System.Collections.Concurrent;
using DataMesh.Gateway.Catalog.Model;
using DataMesh.Gateway.Protocol.Errors;
using DataMesh.Gateway.Storage.Accounts;
using DataMesh.Gateway.Storage.Objects;

namespace DataMesh.Gateway.Admin.ObjectStores;

/// <summary>
/// Assets on object stores: a source resolves below the project's prefix only (<c>s3://bucket/prefix/&lt;project&gt;/</c>),
/// its objects are listed and pinned by ETag, and the schema comes from their Parquet footers (ranged reads into
/// sparse local stubs that DuckDB describes). Every object must have the same columns.
/// </summary>
public static class ObjectSources
{
    /// <summary>Footer reads in flight at once for one command.</summary>
    private const int FooterConcurrency = 8;

    /// <summary>Schemas already read, by bucket, key and ETag: PUBLISH reads only the footers of changed objects.</summary>
    private static readonly ConcurrentDictionary<string, IReadOnlyList<(string Name, string Type)>> Footers = new(StringComparer.Ordinal);

    public sealed record Pinned(ObjectPattern Pattern, IReadOnlyList<ObjectRecord> Objects, IReadOnlyList<ColumnRecord> Schema);

    /// <summary>A project's own prefix on its account: <c>s3://bucket/prefix/&lt;storage prefix&gt;/</c> (the project's name, or
    /// the producer_storage blueprint's path).</summary>
    public static S3Location ProjectRoot(ProjectRecord project, AccountRecord account) =>
        AccountConnections.ToAccount(account).Location.Child(project.StoragePrefix);

    /// <summary>
    /// A source below p's prefix. The text passes the same checks as on a local account first (PathText), so an
    /// attempt to leave the prefix ('..', an absolute path, a URI, a separator look-alike) is 42501 on every kind of
    /// account; what is merely malformed for an object key is 22023.
    /// </summary>
    public static ObjectPattern Below(ProjectRecord project, AccountRecord account, string source)
    {
        Storage.PathText.Segments(source, $"asset source \"{source}\"", $"the prefix of project \"{project.Name}\"");
        return ObjectPattern.Below(ProjectRoot(project, account), source, out var error) ?? throw AdminErrors.Invalid(error!);
    }

    /// <summary>CREATE ASSET p.a FROM 'x' on an object-store account: the pattern below p's prefix, its objects, their schema.</summary>
    public static Pinned Resolve(AdminContext ctx, ProjectRecord project, AccountRecord account, string source)
    {
        var root = ProjectRoot(project, account);
        var pattern = Below(project, account, source);
        var s3 = AccountConnections.ToAccount(account);
        var objects = List(ctx, s3, pattern);
        // A key that names no object is read as a directory: its Parquet objects one level down.
        if (objects.Count == 0 && pattern.IsExactKey)
        {
            pattern = pattern.AsDirectory();
            objects = List(ctx, s3, pattern);
        }
        if (objects.Count == 0)
            throw AdminErrors.Invalid($"asset source \"{source}\" matches no objects under the prefix of project \"{project.Name}\"",
                hint: $"the project's objects are under {root}");
        return new Pinned(pattern, objects, Schema(ctx, s3, pattern.Bucket, objects));
    }

    /// <summary>PUBLISH ASSET: the pattern's objects as they are now, pinned anew, with their schema.</summary>
    public static Pinned Repin(AdminContext ctx, AccountRecord account, AssetRecord asset)
    {
        var pattern = ObjectPattern.Parse(asset.ResolvedPath);
        var s3 = AccountConnections.ToAccount(account);
        var objects = List(ctx, s3, pattern);
        if (objects.Count == 0) throw AdminErrors.WrongState($"asset \"{asset.QualifiedName}\" has no objects to publish: its source matches none now");
        return new Pinned(pattern, objects, Schema(ctx, s3, pattern.Bucket, objects));
    }

    /// <summary>The objects the asset's pattern matches now (for drift); store faults are thrown as 58030.</summary>
    public static IReadOnlyList<ObjectRecord> Current(AdminContext ctx, AccountRecord account, AssetRecord asset) =>
        List(ctx, AccountConnections.ToAccount(account), ObjectPattern.Parse(asset.ResolvedPath));

    /// <summary>The schema of one object (null when it is not readable as Parquet).</summary>
    public static IReadOnlyList<(string Name, string Type)>? SchemaOf(AdminContext ctx, AccountRecord account, AssetRecord asset, ObjectRecord obj)
    {
        var s3 = AccountConnections.ToAccount(account);
        try
        {
            return Footer(ctx, s3, ObjectPattern.Parse(asset.ResolvedPath).Bucket, obj).GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is InvalidDataException or PgErrorException)
        {
            return null;
        }
    }

    private static List<ObjectRecord> List(AdminContext ctx, S3Account account, ObjectPattern pattern)
    {
        try
        {
            var listed = ctx.Services.Storage.Store.ListAsync(account, pattern, ctx.Services.Storage.Options.MaxObjectsPerAsset).GetAwaiter().GetResult();
            return listed.Select(o => new ObjectRecord(o.Key, o.ETag, o.Size)).ToList();
        }
        catch (ObjectStoreException e)
        {
            throw e.ToPgError($"the objects of account \"{account.Name}\" cannot be listed");
        }
    }

    private static IReadOnlyList<ColumnRecord> Schema(AdminContext ctx, S3Account account, string bucket, IReadOnlyList<ObjectRecord> objects)
    {
        var schemas = new IReadOnlyList<(string Name, string Type)>[objects.Count];
        try
        {
            Parallel.ForEachAsync(Enumerable.Range(0, objects.Count), new ParallelOptions { MaxDegreeOfParallelism = FooterConcurrency },
                async (i, cancel) => schemas[i] = await Footer(ctx, account, bucket, objects[i], cancel).ConfigureAwait(false)).GetAwaiter().GetResult();
        }
        catch (ObjectStoreException e)
        {
            throw e.ToPgError($"the objects of account \"{account.Name}\" cannot be read");
        }
        catch (InvalidDataException e)
        {
            throw AdminErrors.Invalid("the asset source cannot be read as Parquet", hint: e.Message);
        }
        for (var i = 1; i < schemas.Length; i++)
        {
            if (!schemas[i].SequenceEqual(schemas[0]))
                throw AdminErrors.Invalid($"the objects of the source differ in their columns: \"{objects[i].Key}\" does not have the columns of \"{objects[0].Key}\"",
                    hint: "an asset's objects must all have the same columns");
        }
        return schemas[0].Select(c => new ColumnRecord(c.Name, c.Type)).ToList();
    }

    private static async Task<IReadOnlyList<(string Name, string Type)>> Footer(AdminContext ctx, S3Account account, string bucket, ObjectRecord obj,
        CancellationToken cancel = default)
    {
        var key = $"{bucket}\n{obj.Key}\n{obj.ETag}";
        if (Footers.TryGetValue(key, out var known)) return known;
        var stub = await ctx.Services.Storage.Footers.StubAsync(account, bucket, new ObjectVersion(obj.Key, obj.ETag, obj.Size), cancel).ConfigureAwait(false);
        try
        {
            var schema = ctx.Services.Metadata.DescribeParquet(stub);
            if (Footers.Count > 100_000) Footers.Clear();
            Footers[key] = schema;
            return schema;
        }
        catch (PgErrorException e)
        {
            throw new InvalidDataException($"object \"{obj.Key}\" is not readable as Parquet ({e.Detail ?? e.Message})");
        }
        finally
        {
            File.Delete(stub);
        }
    }
}
