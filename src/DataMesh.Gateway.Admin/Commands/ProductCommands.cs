using DataMesh.Gateway.Admin.ObjectStores;
using DataMesh.Gateway.Admin.Storage;
using DataMesh.Gateway.Catalog.Model;
using DataMesh.Gateway.Protocol.Errors;
using DataMesh.Gateway.Sql.Admin;
using DataMesh.Gateway.Storage.Accounts;
using DataMesh.Gateway.Storage.Objects;

namespace DataMesh.Gateway.Admin.Commands;

/// <summary>
/// Data products written by projects: CREATE ASSET p.a FROM WORKSPACE TABLE t / AS query. The query runs governed as
/// the caller's own session in project p (so the product never holds more than p may read), its rows are written as
/// Parquet into p's storage (<c>&lt;prefix&gt;/a/part-0.parquet</c>, on disk or on the object store) and the asset is
/// created from there, with its lineage: where the rows came from and the subscriptions that allowed them.
/// </summary>
internal static class ProductCommands
{
    public const string FileName = "part-0.parquet";

    public static AdminResult Create(AdminContext ctx, CreateDataProduct s)
    {
        Permissions.RequireRole(ctx, s.Name.Project, MemberRole.Contributor, $"create assets in project \"{s.Name.Project}\"");
        // The rows come from the session's grants: only a session of the asset's own project may write them there.
        if (ctx.Database != s.Name.Project)
            throw AdminErrors.WrongState($"a data product of project \"{s.Name.Project}\" is written from a session of that project",
                hint: $"connect to database \"{s.Name.Project}\" and run the command there");
        var export = ctx.Export ?? throw new PgErrorException(SqlState.FeatureNotSupported, "data products can only be written from a client session");
        var (project, account) = ctx.Read(r =>
        {
            var p = r.GetProject(s.Name.Project) ?? throw AdminErrors.Unknown("project", s.Name.Project);
            if (r.GetAsset(s.Name.Project, s.Name.Asset) is not null) throw AdminErrors.Duplicate("asset", s.Name.ToString());
            return (p, r.GetAccount(p.Account)!);
        });
        var terms = GlossaryCommands.CheckTerms(ctx, s.Terms);
        var destination = Destination.For(ctx, project, account, s.Name.Asset);

        var written = export.ExportParquet(s.Query);
        string source, resolved;
        IReadOnlyList<ColumnRecord> schema;
        IReadOnlyList<ObjectRecord>? objects = null;
        try
        {
            (source, resolved, schema, objects) = destination.Store(ctx, written.File);
        }
        finally
        {
            if (File.Exists(written.File)) File.Delete(written.File);
        }
        var lineage = new LineageRecord(s.Origin, written.Assets, written.SubscriptionIds);
        var id = ctx.Change(w =>
        {
            if (w.GetAsset(s.Name.Project, s.Name.Asset) is not null) throw AdminErrors.Duplicate("asset", s.Name.ToString());
            return w.InsertAsset(new AssetRecord(0, project.Name, s.Name.Asset, source, resolved, s.Description, terms, s.Metadata,
                new Dictionary<string, string>(), schema, false, null, ctx.User, ctx.Now) { Objects = objects, Lineage = lineage });
        }, assets: [s.Name.ToString(), .. written.Assets], subscriptionIds: written.SubscriptionIds);
        return AdminResult.Row("CREATE ASSET", ("asset", s.Name.ToString()), ("id", id), ("columns", (long)schema.Count), ("rows", written.Rows),
            ("status", "inventory"), ("lineage", Format.List(written.SubscriptionIds.Select(i => "subscription " + i.ToString(System.Globalization.CultureInfo.InvariantCulture)))));
    }

    /// <summary>Where a product's file goes: <c>&lt;project storage&gt;/&lt;asset&gt;/</c>, which must not hold anything yet.</summary>
    private abstract record Destination
    {
        public abstract (string Source, string Resolved, IReadOnlyList<ColumnRecord> Schema, IReadOnlyList<ObjectRecord>? Objects) Store(AdminContext ctx, string file);

        public static Destination For(AdminContext ctx, ProjectRecord project, AccountRecord account, string asset)
        {
            if (account.ObjectStore is not null)
            {
                var root = ObjectSources.ProjectRoot(project, account).Child(asset);
                var s3 = AccountConnections.ToAccount(account);
                var pattern = ObjectPattern.Below(root, "*", out _)!;
                IReadOnlyList<ObjectVersion> existing;
                try
                {
                    existing = ctx.Services.Storage.Store.ListAsync(s3, pattern, 1).GetAwaiter().GetResult();
                }
                catch (ObjectStoreException e) when (e.Fault == StoreFault.Other)
                {
                    existing = [new ObjectVersion("", "", 0)];
                }
                catch (ObjectStoreException e)
                {
                    throw e.ToPgError($"the storage of project \"{project.Name}\" cannot be listed");
                }
                if (existing.Count > 0) throw Occupied(asset, root.ToString());
                return new ObjectDestination(project, account, root, asset);
            }
            var storage = ctx.Read(r => ProjectStorage.For(r, project.Name));
            var directory = Path.Combine(account.Location, project.StoragePrefix, asset);
            if (Directory.Exists(directory) && Directory.EnumerateFileSystemEntries(directory).Any()) throw Occupied(asset, directory);
            return new LocalDestination(storage, directory, asset);
        }

        private static PgErrorException Occupied(string asset, string where) =>
            new(SqlState.DuplicateObject, $"the storage for asset \"{asset}\" already holds files: {where}",
                hint: "choose another asset name, or create the asset from those files with CREATE ASSET … FROM '…'");
    }

    private sealed record LocalDestination(ProjectStorage Storage, string Directory, string Asset) : Destination
    {
        public override (string, string, IReadOnlyList<ColumnRecord>, IReadOnlyList<ObjectRecord>?) Store(AdminContext ctx, string file)
        {
            System.IO.Directory.CreateDirectory(Directory);
            File.Move(file, Path.Combine(Directory, FileName));
            // Resolved like any source of the project: inside its prefix, links refused.
            var source = Asset + "/*.parquet";
            var resolved = Storage.Resolve(source);
            var schema = ctx.Services.Metadata.DescribeParquet(resolved).Select(c => new ColumnRecord(c.Name, c.Type)).ToList();
            return (source, resolved, schema, null);
        }
    }

    private sealed record ObjectDestination(ProjectRecord Project, AccountRecord Account, S3Location Root, string Asset) : Destination
    {
        public override (string, string, IReadOnlyList<ColumnRecord>, IReadOnlyList<ObjectRecord>?) Store(AdminContext ctx, string file)
        {
            try
            {
                ctx.Services.Storage.Store.UploadAsync(AccountConnections.ToAccount(Account), Root.Prefix + FileName, file).GetAwaiter().GetResult();
            }
            catch (ObjectStoreException e)
            {
                throw e.ToPgError($"the data product cannot be written to account \"{Account.Name}\"");
            }
            var source = Asset + "/*.parquet";
            var pinned = ObjectSources.Resolve(ctx, Project, Account, source);
            return (source, pinned.Pattern.ToString(), pinned.Schema, pinned.Objects);
        }
    }
}
