using System.Globalization;
using DataMesh.Gateway.Catalog.Model;
using DataMesh.Gateway.Catalog.Store;
using DataMesh.Gateway.Protocol.Errors;

namespace DataMesh.Gateway.Admin.Commands;

/// <summary>
/// What a DROP takes with it, worked out before anything is removed, as PostgreSQL's dependency walk does: an account its
/// projects, a blueprint the profiles using it, a profile the projects created from it, a project its assets, its own
/// subscriptions and its glossary, an asset the open subscriptions to it, a term its narrower terms and its uses. Without
/// CASCADE a non-empty plan is 2BP01 listing every dependent; with CASCADE it is carried out in one transaction, the open
/// subscriptions revoked (or their requests rejected) with an event each, so their consumers are told.
/// </summary>
internal sealed class DropPlan(ICatalogReader reader, DateTimeOffset now)
{
    private readonly List<string> _lines = [];

    public HashSet<string> Projects { get; } = new(StringComparer.Ordinal);
    public HashSet<long> Assets { get; } = [];
    public HashSet<string> Profiles { get; } = new(StringComparer.Ordinal);
    public HashSet<string> Blueprints { get; } = new(StringComparer.Ordinal);
    public HashSet<string> Terms { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Open subscriptions (pending or approved) that end with the drop, and why.</summary>
    public Dictionary<long, (SubscriptionRecord Subscription, string Why)> Subscriptions { get; } = [];

    /// <summary>Assets whose terms (of the asset or of a column) lose a dropped term.</summary>
    public Dictionary<long, AssetRecord> AssetsLosingTerms { get; } = [];

    public bool IsEmpty => _lines.Count == 0;

    public IReadOnlyList<string> Lines => _lines;

    public void AddAccount(AccountRecord account)
    {
        foreach (var project in reader.Projects().Where(p => p.Account == account.Name))
            AddProject(project, $"project {project.Name} depends on account {account.Name}");
    }

    public void AddBlueprint(string blueprint)
    {
        foreach (var profile in reader.Profiles().Where(p => p.Blueprints.Any(b => b.Name == blueprint)))
            AddProfile(profile.Name, $"project profile {profile.Name} depends on blueprint {blueprint}");
    }

    public void AddProfile(string profile, string? line = null)
    {
        if (!Profiles.Add(profile)) return;
        if (line is not null) _lines.Add(line);
        foreach (var project in reader.Projects().Where(p => p.Profile == profile))
            AddProject(project, $"project {project.Name} depends on project profile {profile}");
    }

    public void AddProject(ProjectRecord project, string? line = null)
    {
        if (!Projects.Add(project.Name)) return;
        if (line is not null) _lines.Add(line);
        foreach (var asset in reader.Assets().Where(a => a.Project == project.Name))
            AddAsset(asset, $"asset {asset.QualifiedName} depends on project {project.Name}");
        foreach (var s in reader.Subscriptions().Where(s => s.ConsumerProject == project.Name && IsOpen(s)))
            AddSubscription(s, $"subscription {Id(s)} of project {project.Name} to {Name(s)} ({Status(s)}) depends on project {project.Name}",
                $"consumer project {project.Name} was dropped");
        foreach (var term in reader.Terms().Where(t => t.OwnerProject == project.Name))
            AddTerm(term, $"glossary term '{term.Term}' depends on project {project.Name}");
    }

    public void AddAsset(AssetRecord asset, string? line = null)
    {
        if (!Assets.Add(asset.Id)) return;
        if (line is not null) _lines.Add(line);
        foreach (var s in reader.SubscriptionsTo(asset.Id).Where(IsOpen))
            AddSubscription(s, $"subscription {Id(s)} of project {s.ConsumerProject} ({Status(s)}) depends on asset {asset.QualifiedName}",
                $"asset {asset.QualifiedName} was dropped");
    }

    public void AddTerm(GlossaryTermRecord term, string? line = null)
    {
        if (!Terms.Add(term.Term)) return;
        if (line is not null) _lines.Add(line);
        foreach (var child in reader.Terms().Where(t => t.Parent is { } p && p.Equals(term.Term, StringComparison.OrdinalIgnoreCase)))
            AddTerm(child, $"glossary term '{child.Term}' depends on glossary term '{term.Term}' (its parent)");
        foreach (var asset in reader.Assets())
        {
            var columns = asset.ColumnTerms.Where(c => c.Value.Contains(term.Term, StringComparer.OrdinalIgnoreCase)).Select(c => c.Key).ToList();
            var onAsset = asset.Terms.Contains(term.Term, StringComparer.OrdinalIgnoreCase);
            if (!onAsset && columns.Count == 0) continue;
            AssetsLosingTerms[asset.Id] = asset;
            if (onAsset) _lines.Add($"asset {asset.QualifiedName} depends on glossary term '{term.Term}'");
            foreach (var column in columns) _lines.Add($"column {column} of asset {asset.QualifiedName} depends on glossary term '{term.Term}'");
        }
    }

    private void AddSubscription(SubscriptionRecord s, string line, string why)
    {
        if (Subscriptions.ContainsKey(s.Id)) return;
        Subscriptions[s.Id] = (s, why);
        _lines.Add(line);
    }

    /// <summary>2BP01 in PostgreSQL's words, every dependent in the detail (at most 100 lines, as its server log would).</summary>
    public PgErrorException Refusal(string what, string command)
    {
        var shown = _lines.Take(100).ToList();
        if (_lines.Count > 100) shown.Add($"and {(_lines.Count - 100).ToString(CultureInfo.InvariantCulture)} other objects");
        return new PgErrorException(SqlState.DependentObjectsStillExist, $"cannot drop {what} because other objects depend on it",
            detail: string.Join('\n', shown), hint: $"Use {command} … CASCADE to drop the dependent objects too{(Subscriptions.Count > 0 ? " (their subscriptions are revoked)" : "")}.");
    }

    /// <summary>The NOTICE a CASCADE sends, as PostgreSQL's "drop cascades to …".</summary>
    public AdminNotice Notice() => _lines.Count == 1
        ? new AdminNotice("drop cascades to " + Object(_lines[0]))
        : new AdminNotice($"drop cascades to {_lines.Count.ToString(CultureInfo.InvariantCulture)} other objects",
            string.Join('\n', _lines.Select(l => "drop cascades to " + Object(l))));

    /// <summary>
    /// Carries the plan out: the open subscriptions end with an event each (revoked, or a pending request rejected),
    /// the terms leave the assets that carry them, then everything is removed, dependents first.
    /// </summary>
    public void Execute(ICatalogWriter w, AdminContext ctx)
    {
        foreach (var (s, why) in Subscriptions.Values.OrderBy(x => x.Subscription.Id))
        {
            var kind = s.StatusAt(now) == SubscriptionStatus.Pending ? EventKinds.Rejected : EventKinds.Revoked;
            AdminContext.Event(w, ctx, kind, s, why);
        }
        foreach (var asset in AssetsLosingTerms.Values.Where(a => !Assets.Contains(a.Id)))
        {
            bool Kept(string t) => !Terms.Contains(t);
            w.UpdateAsset(asset with
            {
                Terms = asset.Terms.Where(Kept).ToList(),
                ColumnTerms = asset.ColumnTerms.Select(c => (c.Key, Terms: (IReadOnlyList<string>)c.Value.Where(Kept).ToList()))
                    .Where(c => c.Terms.Count > 0).ToDictionary(c => c.Key, c => c.Terms),
            });
        }
        foreach (var id in Assets) w.DeleteAsset(id);
        // A dropped project's own subscriptions (and those of the other assets) go with the rows below.
        foreach (var term in Terms) w.DeleteTerm(term);
        foreach (var project in Projects) w.DeleteProject(project);
        foreach (var profile in Profiles) w.DeleteProfile(profile);
        foreach (var blueprint in Blueprints) w.DeleteBlueprint(blueprint);
    }

    public static bool IsOpen(SubscriptionRecord s, DateTimeOffset now) => s.StatusAt(now) is SubscriptionStatus.Pending or SubscriptionStatus.Approved;

    private bool IsOpen(SubscriptionRecord s) => IsOpen(s, now);

    private string Status(SubscriptionRecord s) => s.StatusAt(now).ToString().ToLowerInvariant();

    private static string Id(SubscriptionRecord s) => s.Id.ToString(CultureInfo.InvariantCulture);

    private static string Name(SubscriptionRecord s) => $"{s.AssetProject}.{s.AssetName}";

    /// <summary>"asset p.a depends on project p" → "asset p.a".</summary>
    private static string Object(string line) => line[..line.IndexOf(" depends on ", StringComparison.Ordinal)];
}
