using DataMesh.Gateway.Admin.ObjectStores;
using DataMesh.Gateway.Admin.Storage;
using DataMesh.Gateway.Catalog.Model;
using DataMesh.Gateway.Catalog.Store;
using DataMesh.Gateway.Sql.Admin;

namespace DataMesh.Gateway.Admin.Commands;

/// <summary>Assets (inventory → published revisions), DESCRIBE, SHOW ASSETS and SEARCH CATALOG.</summary>
internal static class AssetCommands
{
    public static AdminResult Create(AdminContext ctx, CreateAsset s)
    {
        Permissions.RequireRole(ctx, s.Name.Project, MemberRole.Contributor, $"create assets in project \"{s.Name.Project}\"");
        var storage = ctx.Read(r => ProjectStorage.For(r, s.Name.Project, ctx.Snapshot));
        var project = storage.Project;
        if (ctx.Read(r => r.GetAsset(s.Name.Project, s.Name.Asset)) is not null) throw AdminErrors.Duplicate("asset", s.Name.ToString());
        string resolved;
        IReadOnlyList<ColumnRecord> schema;
        IReadOnlyList<ObjectRecord>? objects = null;
        if (storage.Account.ObjectStore is not null)
        {
            var pinned = ObjectSources.Resolve(ctx, project, storage.Account, s.Source);
            (resolved, schema, objects) = (pinned.Pattern.ToString(), pinned.Schema, pinned.Objects);
        }
        else
        {
            resolved = storage.Resolve(s.Source);
            schema = ctx.Services.Metadata.DescribeParquet(resolved).Select(c => new ColumnRecord(c.Name, c.Type)).ToList();
        }
        var terms = GlossaryCommands.CheckTerms(ctx, s.Terms);
        var id = ctx.Change(w =>
        {
            if (w.GetAsset(s.Name.Project, s.Name.Asset) is not null) throw AdminErrors.Duplicate("asset", s.Name.ToString());
            return w.InsertAsset(new AssetRecord(0, project.Name, s.Name.Asset, s.Source, resolved, s.Description, terms,
                s.Metadata, new Dictionary<string, string>(), schema, false, null, ctx.User, ctx.Now) { Objects = objects });
        }, assets: [s.Name.ToString()]);
        return AdminResult.Row("CREATE ASSET", ("asset", s.Name.ToString()), ("id", id), ("columns", (long)schema.Count), ("status", "inventory"));
    }

    public static AdminResult Alter(AdminContext ctx, AssetName name, Func<AssetRecord, AssetRecord> change)
    {
        Permissions.RequireRole(ctx, name.Project, MemberRole.Contributor, $"change assets of project \"{name.Project}\"");
        ctx.Change(w =>
        {
            var asset = w.GetAsset(name.Project, name.Asset) ?? throw AdminErrors.Unknown("asset", name.ToString());
            w.UpdateAsset(change(asset));
        }, assets: [name.ToString()]);
        return AdminResult.Done("ALTER ASSET");
    }

    public static AssetRecord SetColumnDescription(AssetRecord a, string column, string description)
    {
        var match = a.Schema.FirstOrDefault(c => c.Name.Equals(column, StringComparison.OrdinalIgnoreCase))
            ?? throw AdminErrors.Unknown($"column of asset {a.QualifiedName}", column);
        return a with { ColumnDescriptions = new Dictionary<string, string>(a.ColumnDescriptions) { [match.Name] = description } };
    }

    public static AdminResult Publish(AdminContext ctx, PublishAsset s)
    {
        Permissions.RequireRole(ctx, s.Name.Project, MemberRole.Contributor, $"publish assets of project \"{s.Name.Project}\"");
        var (asset, storage) = ctx.Read(r => (r.GetAsset(s.Name.Project, s.Name.Asset), ProjectStorage.For(r, s.Name.Project, ctx.Snapshot)));
        if (asset is null) throw AdminErrors.Unknown("asset", s.Name.ToString());
        // The domain's metadata forms must be filled before anyone outside the project sees the asset.
        FormCommands.RequireFilled(ctx.Read(r => r.Forms()), asset);
        // The files are read again for the new revision: they must still be the project's own (no link swapped in).
        storage.Verify(asset.ResolvedPath, asset.QualifiedName);
        // The revision records the schema as the files have it now; on an object store it pins the objects' ETags anew.
        IReadOnlyList<ColumnRecord> schema;
        IReadOnlyList<ObjectRecord>? objects = null;
        if (asset.Objects is not null)
        {
            var pinned = ObjectSources.Repin(ctx, storage.Account, asset);
            (schema, objects) = (pinned.Schema, pinned.Objects);
        }
        else
        {
            schema = ctx.Services.Metadata.DescribeParquet(asset.ResolvedPath).Select(c => new ColumnRecord(c.Name, c.Type)).ToList();
        }
        var (revision, added, withheld) = ctx.Change(w =>
        {
            var current = w.GetAsset(asset.Id) ?? throw AdminErrors.Unknown("asset", s.Name.ToString());
            var next = (current.LatestRevision ?? 0) + 1;
            w.InsertRevision(new RevisionRecord(current.Id, next, schema, current.Description, ctx.User, ctx.Now));
            w.UpdateAsset(current with { Schema = schema, Published = true, LatestRevision = next, Objects = objects ?? current.Objects });
            // Columns the previous revision did not have: existing grants do not show them until their owner approves.
            var added = current.LatestRevision is null ? [] : schema.Select(c => c.Name).Except(current.Schema.Select(c => c.Name)).ToList();
            return (next, added, NewColumnCommands.Withheld(w.SubscriptionsTo(current.Id), current.Id, added, ctx.Now));
        }, assets: [s.Name.ToString()]);
        return NewColumnCommands.PublishResult(asset, revision, added, withheld);
    }

    public static AdminResult Unpublish(AdminContext ctx, UnpublishAsset s)
    {
        Permissions.RequireRole(ctx, s.Name.Project, MemberRole.Contributor, $"unpublish assets of project \"{s.Name.Project}\"");
        ctx.Change(w =>
        {
            var asset = w.GetAsset(s.Name.Project, s.Name.Asset) ?? throw AdminErrors.Unknown("asset", s.Name.ToString());
            if (!asset.Published) throw AdminErrors.WrongState($"asset \"{s.Name}\" is not published");
            w.UpdateAsset(asset with { Published = false });
        }, assets: [s.Name.ToString()]);
        return AdminResult.Row("UNPUBLISH ASSET", ("asset", s.Name.ToString()), ("status", "inventory"));
    }

    public static AdminResult Describe(AdminContext ctx, DescribeAsset s)
    {
        var (asset, revisions, subscriptions) = ctx.Read(r =>
        {
            var a = r.GetAsset(s.Name.Project, s.Name.Asset);
            return a is null ? (null, [], []) : (a, r.Revisions(a.Id), r.SubscriptionsTo(a.Id));
        });
        if (asset is null || !Visible(ctx, asset)) throw AdminErrors.Unknown("asset", s.Name.ToString());
        var rows = new List<object?[]>
        {
            Row("asset", "name", asset.QualifiedName),
            Row("asset", "owner project", asset.Project),
            Row("asset", "description", asset.Description),
            Row("asset", "status", asset.Published ? "published" : "inventory"),
            Row("asset", "latest revision", asset.LatestRevision?.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            Row("asset", "glossary terms", Format.List(asset.Terms)),
            Row("asset", "primary key", asset.PrimaryKey.Count == 0 ? null : string.Join(", ", asset.PrimaryKey)),
            Row("asset", "cluster by", asset.ClusterBy.Count == 0 ? null : string.Join(", ", asset.ClusterBy)),
            Row("asset", "created by", $"{asset.CreatedBy} at {Format.Time(asset.CreatedAt)}"),
        };
        if (Permissions.HasRole(ctx, asset.Project, MemberRole.Viewer)) rows.Add(Row("asset", "source", asset.Source));
        rows.AddRange(asset.Metadata.OrderBy(m => m.Key).Select(m => Row("metadata", m.Key, m.Value)));
        if (asset.Lineage is { } lineage) rows.AddRange(LineageRows(ctx, lineage));
        rows.AddRange(asset.Schema.Select(c => Row("column", c.Name, c.Type, asset.ColumnDescriptions.GetValueOrDefault(c.Name))));
        rows.AddRange(revisions.Select(v => Row("revision", v.Revision.ToString(System.Globalization.CultureInfo.InvariantCulture),
            $"published by {v.PublishedBy} at {Format.Time(v.PublishedAt)}", $"{v.Schema.Count} columns")));
        if (Permissions.HasRole(ctx, asset.Project, MemberRole.Owner))
        {
            rows.AddRange(asset.Objects is not null ? ObjectDrift.Rows(ctx, asset) : DriftRows(ctx, asset));
            rows.AddRange(subscriptions.Select(x => Row("subscription", x.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
                $"{x.ConsumerProject}: {x.StatusAt(ctx.Now).ToString().ToLowerInvariant()}", x.Justification)));
        }
        return new AdminResult([new("section"), new("item"), new("value"), new("detail")], rows, $"DESCRIBE ASSET {rows.Count}");
    }

    public static AdminResult Show(AdminContext ctx, ShowAssets s)
    {
        if (ctx.Snapshot.Project(s.Project) is null) throw AdminErrors.Unknown("project", s.Project);
        var assets = ctx.Read(r => r.AssetsOf(s.Project)).Where(a => Visible(ctx, a)).ToList();
        return new AdminResult([new("asset"), new("status"), new("latest_revision", AdminColumnType.BigInt), new("columns", AdminColumnType.BigInt), new("description"), new("terms")],
            assets.Select(a => new object?[] { a.Name, a.Published ? "published" : "inventory", (long?)a.LatestRevision, (long)a.Schema.Count, a.Description, Format.List(a.Terms) }).ToList(),
            $"SHOW ASSETS {assets.Count}");
    }

    public static AdminResult Search(AdminContext ctx, SearchCatalog s)
    {
        // Only the hits are read back, joined to the search in one statement: reading every asset per search cost
        // ~0.1 s a call with 100,000 assets (bench/RESULTS.md, "A large catalog"), a read per hit ~10 ms.
        // Ranked only over what the caller may see: nothing unpublished elsewhere moves the caller's scores.
        var scope = Permissions.IsDomainAdmin(ctx) ? SearchScope.All
            : SearchScope.Published(ctx.Snapshot.ProjectsOf(ctx.User, ctx.Caller.Groups));
        var hits = ctx.Read(r => r.SearchAssets(s.Text, 200, scope));
        var query = s.Text.Trim();
        var results = hits
            .Where(h => Visible(ctx, h.Asset))
            .Select(h => (h.Asset, Score: -h.Score))
            // An exact name match ranks first, whatever bm25 says.
            .OrderByDescending(x => x.Asset.Name.Equals(query, StringComparison.OrdinalIgnoreCase) || x.Asset.QualifiedName.Equals(query, StringComparison.OrdinalIgnoreCase))
            .ThenByDescending(x => x.Score)
            .Take(50)
            .ToList();
        return new AdminResult(
            [new("asset"), new("project"), new("description"), new("status"), new("latest_revision", AdminColumnType.BigInt), new("terms"), new("score")],
            results.Select(x => new object?[]
            {
                x.Asset.Name, x.Asset.Project, x.Asset.Description, x.Asset.Published ? "published" : "inventory", (long?)x.Asset.LatestRevision,
                Format.List(x.Asset.Terms), x.Score.ToString("G4", System.Globalization.CultureInfo.InvariantCulture),
            }).ToList(),
            $"SEARCH CATALOG {results.Count}");
    }

    /// <summary>Everyone sees published assets; only members of the owning project see its inventory.</summary>
    public static bool Visible(AdminContext ctx, AssetRecord asset) => AssetVisibility.CanSee(ctx, asset);

    /// <summary>
    /// The owners' view of the files as they are now against the published schema: a producer who replaced files
    /// with another schema sees which columns differ, in how many files, before consumers' queries fail on it.
    /// </summary>
    private static IEnumerable<object?[]> DriftRows(AdminContext ctx, AssetRecord asset)
    {
        try
        {
            ctx.Read(r => ProjectStorage.For(r, asset.Project, ctx.Snapshot)).Verify(asset.ResolvedPath, asset.QualifiedName);
        }
        catch (Protocol.Errors.PgErrorException e) when (e.SqlState == Protocol.Errors.SqlState.InsufficientPrivilege)
        {
            return [Row("drift", "status", "files not checked: " + e.Message)];
        }
        return DriftReport(ctx, asset);
    }

    private static IEnumerable<object?[]> DriftReport(AdminContext ctx, AssetRecord asset)
    {
        var report = SourceCheck.Check(ctx.Services.Metadata, asset.ResolvedPath, asset.Schema);
        var against = asset.LatestRevision is { } r ? $"revision {r.ToString(System.Globalization.CultureInfo.InvariantCulture)}" : "the inventory schema";
        var files = $"{report.Files} file(s) checked";
        if (report.NoFiles) yield return Row("drift", "status", "no files match the source", files);
        else if (report.Healthy) yield return Row("drift", "status", $"files match {against}", files);
        else yield return Row("drift", "status", $"files differ from {against}", files);
        if (report.UnreadableFiles > 0)
            yield return Row("drift", "unreadable files", report.UnreadableFiles.ToString(System.Globalization.CultureInfo.InvariantCulture), "not readable as Parquet (truncated or corrupt)");
        foreach (var d in report.Drifts) yield return Row("drift", d.Column, d.Describe(), $"in {d.FileCount} of {report.Files} file(s)");
    }

    /// <summary>Where a data product came from, and whether the subscriptions its rows were read under still hold.</summary>
    private static IEnumerable<object?[]> LineageRows(AdminContext ctx, LineageRecord lineage)
    {
        yield return Row("lineage", "origin", lineage.Origin);
        foreach (var upstream in lineage.Assets) yield return Row("lineage", "upstream asset", upstream);
        // Snapshots hold approved subscriptions only; a revoked or rejected one is read from the store by its key.
        var subscriptions = ctx.Read(r => lineage.SubscriptionIds.Select(r.GetSubscription).ToList());
        for (var i = 0; i < lineage.SubscriptionIds.Count; i++)
        {
            var id = lineage.SubscriptionIds[i];
            var status = subscriptions[i]?.StatusAt(ctx.Now).ToString().ToLowerInvariant() ?? "gone";
            yield return Row("lineage", "subscription " + id.ToString(System.Globalization.CultureInfo.InvariantCulture), status,
                status == "approved" ? null : "the grant these rows were read under no longer holds");
        }
    }

    private static object?[] Row(string section, string item, string? value, string? detail = null) => [section, item, value, detail];
}
