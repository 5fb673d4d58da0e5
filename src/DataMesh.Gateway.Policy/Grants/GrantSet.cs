using DataMesh.Gateway.Catalog.Model;
using DataMesh.Gateway.Catalog.Snapshots;
using DataMesh.Gateway.Sql.Ast;

namespace DataMesh.Gateway.Policy.Grants;

/// <summary>
/// The grants of one (user, project) at one catalog version: the project's own assets at full access, and the assets
/// of its approved, unexpired subscriptions (published only) with their column filters, masks and row filters.
/// Pure: built from a snapshot; the row filters are qualified with DuckDB's parser through <paramref name="serialize"/>.
/// </summary>
public sealed class GrantSet
{
    public const string SourceAlias = "__datamesh_src";

    private readonly Dictionary<(string Project, string Asset), AssetGrant> _grants;
    // The snapshot names are resolved against for error messages and groups are read from: the newest one seen, since a
    // set is kept across snapshots that did not change this project's grants (Observe).
    private CatalogSnapshot _snapshot;
    // The asset records the grants were made from: the engine spec reads their descriptions and schemas here instead
    // of loading each owner's partition one read at a time.
    private readonly Dictionary<(string Project, string Asset), AssetRecord> _assets;

    private GrantSet(string project, long version, Dictionary<(string, string), AssetGrant> grants, CatalogSnapshot snapshot,
        DateTimeOffset validUntil, Dictionary<(string, string), AssetRecord> assets)
    {
        _assets = assets;
        Project = project;
        Version = version;
        _grants = grants;
        _snapshot = snapshot;
        ValidUntil = validUntil;
        Fingerprint = GrantFingerprint.Of(project, grants.Values);
    }

    public string Project { get; }

    /// <summary>The catalog version the grants were computed at; cached rewrites are keyed by it.</summary>
    public long Version { get; }

    public IEnumerable<AssetGrant> All => _grants.Values;

    /// <summary>The asset record a grant was made from (same snapshot as the grants).</summary>
    public AssetRecord? AssetOf(string project, string asset) => _assets.GetValueOrDefault((project, asset));

    /// <summary>
    /// The policy version: a hash of everything the grants say (sources, columns, masks, filters, subscription ids).
    /// Unrelated catalog changes keep it; any change to what the project may read changes it. Rewrites are cached by it
    /// and prepared statements are checked against it at Bind and Execute.
    /// </summary>
    public string Fingerprint { get; }

    /// <summary>The earliest expiry among the counted subscriptions: the set must be recomputed from then on.</summary>
    public DateTimeOffset ValidUntil { get; }

    /// <summary>The domain's key for hash masks (from the same catalog snapshot as the grants).</summary>
    public string MaskSecret => Volatile.Read(ref _snapshot).MaskSecret;

    /// <summary>
    /// A newer snapshot in which this project's grants are unchanged: names the set does not grant (error messages) and
    /// the caller's groups (<see cref="BindTo"/>) are looked up there from now on.
    /// </summary>
    public void Observe(CatalogSnapshot snapshot)
    {
        var current = Volatile.Read(ref _snapshot);
        while (snapshot.Version > current.Version)
        {
            var seen = Interlocked.CompareExchange(ref _snapshot, snapshot, current);
            if (seen == current) return;
            current = seen;
        }
    }

    /// <summary>The grant for an exact (project, asset), if the session has one.</summary>
    public AssetGrant? Find(string project, string asset) => _grants.GetValueOrDefault((project, asset));

    /// <param name="files">The local files an asset on an object store is read from (its cached objects); null for
    /// assets whose <see cref="AssetRecord.ResolvedPath"/> the engine reads itself.</param>
    public static GrantSet For(CatalogSnapshot snapshot, string project, DateTimeOffset now, Func<string, string> serialize,
        Func<AssetRecord, IReadOnlyList<string>?>? files = null)
    {
        var grants = new Dictionary<(string, string), AssetGrant>();
        var assets = new Dictionary<(string, string), AssetRecord>();
        var validUntil = DateTimeOffset.MaxValue;
        // The granted assets themselves, in one read for those whose owners' partitions are not in memory: not the
        // partitions (a hundred owners' partitions held ~10,000 assets for a 100-grant project).
        var approved = snapshot.SubscriptionsOf(project).Where(s => s.StatusAt(now) == SubscriptionStatus.Approved).ToList();
        var granted = snapshot.AssetsByKey(approved.Select(s => (s.AssetProject, s.AssetName)).ToList());
        foreach (var asset in snapshot.AssetsOf(project))
        {
            assets[(asset.Project, asset.Name)] = asset;
            var columns = asset.Schema.Select(c => new GrantColumn(c.Name, c.Type)).ToList();
            grants[(asset.Project, asset.Name)] = new AssetGrant(asset.Project, asset.Name, asset.ResolvedPath, columns, null, [], OwnProject: true)
            {
                Files = files?.Invoke(asset),
            };
        }
        // The newest approval wins when a project holds several for one asset (re-requested after a revocation).
        for (var i = 0; i < approved.Count; i++)
        {
            var (s, asset) = (approved[i], granted[i]);
            if (asset is null || !asset.Published) continue; // unpublished assets of other projects do not exist
            assets[(asset.Project, asset.Name)] = asset;
            // Only the columns the owner approved: one a later revision added stays hidden until it is approved.
            var visible = asset.Schema
                .Where(c => s.Shows(c.Name))
                .Select(c => s.Masks.FirstOrDefault(m => m.Column == c.Name) is { } m
                    ? new GrantColumn(c.Name, c.Type, m.Kind, m.KeepFirst, m.KeepLast)
                    : new GrantColumn(c.Name, c.Type))
                .ToList();
            var filter = s.RowFilter is null ? null : QualifyFilter(s.RowFilter, serialize);
            string? unbindable = null;
            if (s.ExpiresAt is { } expires && expires < validUntil) validUntil = expires;
            grants[(asset.Project, asset.Name)] = new AssetGrant(asset.Project, asset.Name, asset.ResolvedPath, visible, filter, [s.Id], OwnProject: false)
            {
                IdentityCalls = filter is null ? [] : IdentityCallsOf(filter, out unbindable),
                Unavailable = unbindable,
                Files = files?.Invoke(asset),
            };
        }
        return new GrantSet(project, snapshot.Version, grants, snapshot, validUntil, assets);
    }

    /// <summary>True when some row filter refers to the caller (identity functions): the set must be bound per session.</summary>
    public bool DependsOnIdentity => _grants.Values.Any(g => g.IdentityCalls.Count > 0);

    /// <summary>
    /// The grants as <paramref name="caller"/> sees them: identity functions in row filters replaced by the caller's
    /// values (<see cref="Identity.IdentityBinding"/>). The fingerprint is recomputed from the bound filters, so cached
    /// rewrites are shared only between callers whose bound values are equal. Sets without identity filters return
    /// themselves.
    /// </summary>
    public GrantSet BindTo(Identity.CallerIdentity caller)
    {
        if (!DependsOnIdentity) return this;
        var groups = Volatile.Read(ref _snapshot).GroupsOf(caller.UserName).Concat(caller.TokenGroups).ToHashSet(StringComparer.Ordinal);
        var bound = _grants.ToDictionary(g => g.Key, g => Identity.IdentityBinding.Bind(g.Value, caller, groups));
        return new GrantSet(Project, Version, bound, _snapshot, ValidUntil, _assets);
    }

    private static IReadOnlyList<Sql.IdentityCall> IdentityCallsOf(string qualifiedFilter, out string? unbindable)
    {
        unbindable = null;
        try
        {
            return Sql.IdentityCalls.Find(qualifiedFilter);
        }
        catch (FormatException e)
        {
            // Approval refuses such filters; one that slipped in (an older catalog) makes its grant unusable, not open.
            unbindable = "the row filter of a grant cannot be bound to the session's identity: " + e.Message;
            return [];
        }
    }

    /// <summary>
    /// Resolves a table reference: <c>schema.table</c> exactly, or an unqualified name through the search path (the
    /// project's own assets first, then subscribed ones). Fails closed with the error a consumer should see.
    /// </summary>
    public AssetGrant Resolve(string schema, string table)
    {
        if (schema.Length > 0)
        {
            if (_grants.TryGetValue((schema, table), out var grant)) return grant;
            var asset = Volatile.Read(ref _snapshot).Asset(schema, table);
            if (asset is null || !asset.Published) throw PolicyException.UndefinedTable($"{schema}.{table}");
            throw NotSubscribed(asset);
        }
        var own = _grants.Values.Where(g => g.OwnProject && g.Asset == table).ToList();
        if (own.Count == 1) return own[0];
        var subscribed = _grants.Values.Where(g => !g.OwnProject && g.Asset == table).ToList();
        if (subscribed.Count == 1) return subscribed[0];
        if (subscribed.Count > 1)
            throw new PolicyException("42P09", $"table reference \"{table}\" is ambiguous",
                "qualify it with its project: " + string.Join(", ", subscribed.Select(g => g.QualifiedName).Order()));
        var published = Volatile.Read(ref _snapshot).PublishedAssetsNamed(table);
        if (published.Count == 1) throw NotSubscribed(published[0]);
        if (published.Count > 1)
            throw PolicyException.Refused(
                $"project \"{Project}\" has no approved subscription to any asset named \"{table}\": "
                + string.Join(", ", published.Select(a => a.QualifiedName).Order(StringComparer.Ordinal)),
                $"request one with: REQUEST SUBSCRIPTION TO <project>.{table} FOR PROJECT {Project} JUSTIFICATION '…'");
        throw PolicyException.UndefinedTable(table);
    }

    private PolicyException NotSubscribed(AssetRecord asset) => PolicyException.Refused(
        $"project \"{Project}\" has no approved subscription to {asset.QualifiedName}",
        $"request one with: REQUEST SUBSCRIPTION TO {asset.QualifiedName} FOR PROJECT {Project} JUSTIFICATION '…'");

    /// <summary>
    /// Qualifies every column of a row filter with the policy subquery's own alias, so a filter column can never bind
    /// to a column of the user's query; a column the file lacks then fails the query instead of matching anything.
    /// </summary>
    public static string QualifyFilter(string filter, Func<string, string> serialize)
    {
        var prefix = $"SELECT * FROM {SourceAlias} WHERE (";
        var wrapped = prefix + filter + ")";
        var parsed = SqlAst.Parse(serialize(wrapped), wrapped);
        var text = filter;
        foreach (var column in parsed.ColumnReferences.Where(c => c.Offset is not null).OrderByDescending(c => c.Offset))
        {
            var at = column.Offset!.Value - prefix.Length;
            if (at < 0 || at > text.Length) throw PolicyException.Refused("the row filter of a grant could not be applied");
            if (column.ColumnNames.Count != 1) throw PolicyException.Refused("the row filter of a grant refers to a qualified column");
            text = text[..at] + SourceAlias + "." + text[at..];
        }
        return text;
    }
}
