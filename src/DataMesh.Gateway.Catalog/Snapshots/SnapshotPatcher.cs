using System.Collections.Immutable;
using System.Globalization;
using DataMesh.Gateway.Catalog.Model;
using DataMesh.Gateway.Catalog.Store;

namespace DataMesh.Gateway.Catalog.Snapshots;

/// <summary>What applying some change log batches did to a snapshot.</summary>
public sealed record SnapshotUpdate(CatalogSnapshot Snapshot, bool Changed, bool Reloaded, IReadOnlyCollection<string> PolicyChanged);

/// <summary>
/// Applies change log batches to a snapshot: each changed entity is read again (in the same read transaction as the
/// log) and put in place of the old one; every map and partition it did not touch is shared with the old snapshot.
/// Cost grows with the size of the change, never with the catalog's. Per-project stamps move only for projects whose
/// grants or members a change could affect. An "everything" change reloads.
/// </summary>
internal sealed class SnapshotPatcher
{
    private readonly ICatalogReader _reader;
    private readonly ImmutableDictionary<string, UserEntry>.Builder _users;
    private readonly ImmutableDictionary<string, GroupRecord>.Builder _groups;
    private readonly ImmutableDictionary<string, ProjectEntry>.Builder _projects;
    private readonly ImmutableDictionary<Principal, ImmutableSortedSet<string>>.Builder _ofPrincipal;
    private readonly ImmutableDictionary<string, AccountRecord>.Builder _accounts;
    private readonly HashSet<string> _policyChanged = new(StringComparer.Ordinal);
    private string _maskSecret;
    private bool _changed;
    private long _position;

    private SnapshotPatcher(CatalogSnapshot snapshot, ICatalogReader reader)
    {
        _reader = reader;
        _users = snapshot.Maps.Users.ToBuilder();
        _groups = snapshot.Maps.Groups.ToBuilder();
        _projects = snapshot.Maps.Projects.ToBuilder();
        _ofPrincipal = snapshot.Maps.ProjectsOfPrincipal.ToBuilder();
        _accounts = snapshot.Maps.Accounts.ToBuilder();
        _maskSecret = snapshot.MaskSecret;
    }

    // Within one write, entities are applied in this order: a group's members must exist as users first, and the
    // grants of subscriptions are counted against assets already in place.
    private static readonly string[] Order =
        [ChangeKinds.Domain, ChangeKinds.Account, ChangeKinds.User, ChangeKinds.Group, ChangeKinds.Project, ChangeKinds.Asset, ChangeKinds.Subscription];

    public static SnapshotUpdate Apply(CatalogSnapshot snapshot, IReadOnlyList<ChangeBatch> batches, ICatalogReader reader)
    {
        if (batches.Any(b => b.Changes.Any(c => c.Kind == ChangeKinds.Everything)))
            return new SnapshotUpdate(SnapshotLoader.Load(reader, snapshot.Source), true, true, []);
        var patcher = new SnapshotPatcher(snapshot, reader);
        foreach (var batch in batches)
        {
            patcher._position = batch.Position;
            foreach (var change in batch.Changes.OrderBy(c => Array.IndexOf(Order, c.Kind))) patcher.Apply(change);
        }
        if (!patcher._changed) return new SnapshotUpdate(snapshot, false, false, []);
        var maps = new SnapshotMaps(patcher._users.ToImmutable(), patcher._groups.ToImmutable(), patcher._projects.ToImmutable(), patcher._ofPrincipal.ToImmutable(), patcher._accounts.ToImmutable());
        return new SnapshotUpdate(new CatalogSnapshot(patcher._position, patcher._maskSecret, maps, snapshot.Source), true, false, patcher._policyChanged);
    }

    private void Apply(CatalogChange change)
    {
        switch (change.Kind)
        {
            case ChangeKinds.Domain:
                var secret = _reader.MaskSecret;
                if (secret != _maskSecret) (_maskSecret, _changed) = (secret, true);
                break;
            case ChangeKinds.Account: Account(change.Key); break;
            case ChangeKinds.User: User(change.Key); break;
            case ChangeKinds.Group: Group(change.Key); break;
            case ChangeKinds.Project: Project(change.Key); break;
            case ChangeKinds.Asset: Asset(long.Parse(change.Key, CultureInfo.InvariantCulture)); break;
            case ChangeKinds.Subscription: Subscription(long.Parse(change.Key, CultureInfo.InvariantCulture)); break;
            // Blueprints, profiles and glossary terms are not in snapshots: such a write publishes nothing.
        }
    }

    private void Account(string name)
    {
        _changed = true;
        if (_reader.GetAccount(name) is { } account) _accounts[name] = account;
        else _accounts.Remove(name);
        // Its projects' engines read its objects with its connection (rotated credentials, a new endpoint).
        foreach (var project in _reader.ProjectsInAccount(name)) Stamp(project.Name);
    }

    private void User(string name)
    {
        _changed = true;
        if (_reader.GetUser(name) is not { } user)
        {
            _users.Remove(name);
            return;
        }
        var groups = _users.TryGetValue(name, out var existing)
            ? existing.Groups
            : [.. _groups.Values.Where(g => g.Members.Contains(name)).Select(g => g.Name).Order(StringComparer.Ordinal)];
        _users[name] = new UserEntry(user, groups, _position);
    }

    private void Group(string name)
    {
        _changed = true;
        var before = _groups.TryGetValue(name, out var old) ? old.Members : [];
        var group = _reader.GetGroup(name);
        if (group is null) _groups.Remove(name);
        else _groups[name] = group;
        var after = group?.Members ?? [];
        foreach (var user in before.Union(after, StringComparer.Ordinal))
        {
            if (!_users.TryGetValue(user, out var entry)) continue;
            var member = after.Contains(user);
            if (member == entry.Groups.Contains(name)) continue;
            string[] groups = member ? [.. entry.Groups.Append(name).Order(StringComparer.Ordinal)] : [.. entry.Groups.Where(g => g != name)];
            _users[user] = entry with { Groups = groups, Stamp = _position };
        }
    }

    private void Project(string name)
    {
        _changed = true;
        _projects.TryGetValue(name, out var old);
        var project = _reader.GetProject(name);
        var before = old?.Record.Members.Select(m => new Principal(m.Principal, m.IsGroup)) ?? [];
        var after = project?.Members.Select(m => new Principal(m.Principal, m.IsGroup)).ToList() ?? [];
        foreach (var gone in before.Except(after)) Unindex(gone, name);
        foreach (var added in after) Index(added, name);
        if (project is null)
        {
            _projects.Remove(name);
            _policyChanged.Add(name);
            return;
        }
        var policy = old is not null && SameResources(old.Record, project) ? old.PolicyStamp : _position;
        if (policy == _position) _policyChanged.Add(name);
        _projects[name] = new ProjectEntry(project, old?.Cell ?? new PartitionCell(), _position, policy);
    }

    private static bool SameResources(ProjectRecord a, ProjectRecord b) =>
        a.Account == b.Account && a.StoragePrefix == b.StoragePrefix && a.Resources.Count == b.Resources.Count
        && a.Resources.All(r => b.Resources.TryGetValue(r.Key, out var v) && v == r.Value);

    private void Index(Principal principal, string project)
    {
        var set = _ofPrincipal.TryGetValue(principal, out var s) ? s : SnapshotMaps.NoNames;
        if (!set.Contains(project)) _ofPrincipal[principal] = set.Add(project);
    }

    private void Unindex(Principal principal, string project)
    {
        if (!_ofPrincipal.TryGetValue(principal, out var set)) return;
        set = set.Remove(project);
        if (set.IsEmpty) _ofPrincipal.Remove(principal);
        else _ofPrincipal[principal] = set;
    }

    private void Asset(long id)
    {
        _changed = true;
        var asset = _reader.GetAsset(id);
        if (asset is null) return; // assets are never deleted; a missing one was never in a snapshot
        Touch(asset.Project, p => p.WithAsset(asset));
        // Its consumers' grants show its columns, source and publication: their grant sets must be derived again.
        foreach (var consumer in _reader.ConsumersOf(id)) Stamp(consumer);
    }

    private void Subscription(long id)
    {
        if (_reader.GetSubscription(id) is not { } subscription) return;
        var consumer = subscription.ConsumerProject;
        if (!_projects.TryGetValue(consumer, out var entry)) return;
        // Only approved grants are held: a new request, or a rejection of one, changes nothing a query reads.
        var held = entry.Cell.Loaded?.HoldsSubscription(id);
        var matters = subscription.StoredStatus is SubscriptionStatus.Approved or SubscriptionStatus.Revoked || held == true;
        if (!matters) return;
        _changed = true;
        Touch(consumer, p => p.WithSubscription(subscription));
    }

    /// <summary>The project's partition with one change (patched if loaded, left to load fresh otherwise), and its stamp moved.</summary>
    private void Touch(string project, Func<ProjectPartition, ProjectPartition> change)
    {
        if (!_projects.TryGetValue(project, out var entry)) return;
        var cell = entry.Cell.Loaded is { } loaded ? new PartitionCell(change(loaded)) : new PartitionCell();
        _projects[project] = entry with { Cell = cell, PolicyStamp = _position };
        _policyChanged.Add(project);
    }

    private void Stamp(string project)
    {
        if (!_projects.TryGetValue(project, out var entry) || entry.PolicyStamp == _position) return;
        _projects[project] = entry with { PolicyStamp = _position };
        _policyChanged.Add(project);
    }
}
