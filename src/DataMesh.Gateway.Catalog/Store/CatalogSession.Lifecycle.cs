using DataMesh.Gateway.Catalog.Model;

namespace DataMesh.Gateway.Catalog.Store;

/// <summary>
/// Dropping and renaming. The commands decide what may go (dependents, CASCADE); these only remove or rename rows and
/// everything that refers to them by name. Foreign keys are checked at commit (defer_foreign_keys), so a name can change
/// in the parent and its children within one transaction.
/// </summary>
internal abstract partial class CatalogSession
{
    public void DeleteAsset(long id)
    {
        ChangedEverything(); // drops and renames are rare: followers reload instead of patching
        Execute("DELETE FROM subscription_changes WHERE subscription_id IN (SELECT id FROM subscriptions WHERE asset_id = $i)", ("$i", id));
        Execute("DELETE FROM subscriptions WHERE asset_id = $i", ("$i", id));
        Execute("DELETE FROM asset_revisions WHERE asset_id = $i", ("$i", id));
        Execute("DELETE FROM asset_names WHERE asset_id = $i", ("$i", id));
        DeleteFromSearch(id);
        Execute("DELETE FROM assets WHERE id = $i", ("$i", id));
    }

    public void DeleteProject(string name)
    {
        ChangedEverything(); // drops and renames are rare: followers reload instead of patching
        foreach (var id in Query("SELECT id FROM assets WHERE project = $p", r => r.GetInt64(0), ("$p", name))) DeleteAsset(id);
        Execute("DELETE FROM subscription_changes WHERE subscription_id IN (SELECT id FROM subscriptions WHERE consumer_project = $p)", ("$p", name));
        Execute("DELETE FROM subscriptions WHERE consumer_project = $p", ("$p", name));
        Execute("DELETE FROM webhook_cursors WHERE project = $p", ("$p", name));
        Execute("DELETE FROM workspace_lineage WHERE project = $p", ("$p", name));
        Execute("DELETE FROM project_members WHERE project = $p", ("$p", name));
        Execute("DELETE FROM projects WHERE name = $p", ("$p", name));
    }

    public void DeleteTerm(string term)
    {
        Execute("DELETE FROM glossary_terms WHERE term = $t", ("$t", term));
        ChangedEverything();
    }

    public void DeleteProfile(string name)
    {
        Execute("DELETE FROM profiles WHERE name = $n", ("$n", name));
        ChangedEverything();
    }

    public void DeleteBlueprint(string name)
    {
        Execute("DELETE FROM blueprints WHERE name = $n AND builtin = 0", ("$n", name));
        ChangedEverything();
    }

    public void DeleteAccount(string name)
    {
        Execute("DELETE FROM accounts WHERE name = $n", ("$n", name));
        ChangedEverything();
    }

    public void RenameAsset(long id, string newName, DateTimeOffset at)
    {
        ChangedEverything(); // drops and renames are rare: followers reload instead of patching
        var asset = GetAsset(id) ?? throw new InvalidOperationException($"asset {id} does not exist");
        Execute("INSERT INTO asset_names (asset_id, name, until) VALUES ($i, $n, $t)", ("$i", id), ("$n", asset.QualifiedName), ("$t", Time(at)));
        Execute("UPDATE assets SET name = $n WHERE id = $i", ("$n", newName), ("$i", id));
        Execute("UPDATE events SET asset = $new WHERE asset = $old", ("$new", $"{asset.Project}.{newName}"), ("$old", asset.QualifiedName));
        IndexAsset(asset with { Name = newName });
    }

    /// <summary>
    /// The project and every reference to it. Its storage prefix, schema-OID key and provisioned paths stay as they are
    /// (they were derived from the old name once and are recorded): the data does not move.
    /// </summary>
    public void RenameProject(string oldName, string newName, DateTimeOffset at)
    {
        ChangedEverything(); // drops and renames are rare: followers reload instead of patching
        DeferForeignKeys();
        foreach (var asset in Query($"SELECT {AssetColumns} FROM assets WHERE project = $p", MapAsset, ("$p", oldName)))
            Execute("INSERT INTO asset_names (asset_id, name, until) VALUES ($i, $n, $t)", ("$i", asset.Id), ("$n", asset.QualifiedName), ("$t", Time(at)));
        Execute("UPDATE projects SET name = $n, storage_prefix = coalesce(storage_prefix, $o), oid_key = coalesce(oid_key, $o) WHERE name = $o",
            ("$n", newName), ("$o", oldName));
        Execute("UPDATE project_members SET project = $n WHERE project = $o", ("$n", newName), ("$o", oldName));
        Execute("UPDATE assets SET project = $n WHERE project = $o", ("$n", newName), ("$o", oldName));
        Execute("UPDATE subscriptions SET consumer_project = $n WHERE consumer_project = $o", ("$n", newName), ("$o", oldName));
        Execute("UPDATE glossary_terms SET owner_project = $n WHERE owner_project = $o", ("$n", newName), ("$o", oldName));
        Execute("UPDATE webhook_cursors SET project = $n WHERE project = $o", ("$n", newName), ("$o", oldName));
        Execute("UPDATE workspace_lineage SET project = $n WHERE project = $o", ("$n", newName), ("$o", oldName));
        Execute("UPDATE events SET consumer_project = $n WHERE consumer_project = $o", ("$n", newName), ("$o", oldName));
        Execute("UPDATE events SET owner_project = $n WHERE owner_project = $o", ("$n", newName), ("$o", oldName));
        Execute("UPDATE events SET asset = $n || substr(asset, length($o) + 1) WHERE substr(asset, 1, length($o) + 1) = $o || '.'",
            ("$n", newName), ("$o", oldName));
    }

    public void RenameGroup(string oldName, string newName)
    {
        ChangedEverything(); // drops and renames are rare: followers reload instead of patching
        DeferForeignKeys();
        Execute("UPDATE groups SET name = $n WHERE name = $o", ("$n", newName), ("$o", oldName));
        Execute("UPDATE group_members SET group_name = $n WHERE group_name = $o", ("$n", newName), ("$o", oldName));
        Execute("UPDATE project_members SET principal = $n WHERE principal = $o AND is_group = 1", ("$n", newName), ("$o", oldName));
    }

    public void RenameAccount(string oldName, string newName)
    {
        ChangedEverything(); // drops and renames are rare: followers reload instead of patching
        DeferForeignKeys();
        Execute("UPDATE accounts SET name = $n WHERE name = $o", ("$n", newName), ("$o", oldName));
        Execute("UPDATE projects SET account = $n WHERE account = $o", ("$n", newName), ("$o", oldName));
    }

    public void RenameProfile(string oldName, string newName)
    {
        ChangedEverything(); // drops and renames are rare: followers reload instead of patching
        DeferForeignKeys();
        Execute("UPDATE profiles SET name = $n WHERE name = $o", ("$n", newName), ("$o", oldName));
        Execute("UPDATE projects SET profile = $n WHERE profile = $o", ("$n", newName), ("$o", oldName));
    }

    /// <summary>A custom blueprint and the profiles that list it.</summary>
    public void RenameBlueprint(string oldName, string newName)
    {
        ChangedEverything(); // drops and renames are rare: followers reload instead of patching
        Execute("UPDATE blueprints SET name = $n WHERE name = $o AND builtin = 0", ("$n", newName), ("$o", oldName));
        foreach (var profile in Profiles().Where(p => p.Blueprints.Any(b => b.Name == oldName)))
        {
            var blueprints = profile.Blueprints.Select(b => b.Name == oldName ? b with { Name = newName } : b).ToList();
            Execute("UPDATE profiles SET blueprints = $b WHERE name = $n", ("$b", Json(blueprints)), ("$n", profile.Name));
        }
    }

    /// <summary>The glossary row and the terms that name it as their parent; assets are rewritten by the command.</summary>
    public void RenameTerm(string oldName, string newName)
    {
        ChangedEverything();
        Execute("UPDATE glossary_terms SET term = $n WHERE term = $o", ("$n", newName), ("$o", oldName));
        Execute("UPDATE glossary_terms SET parent = $n WHERE parent = $o COLLATE NOCASE", ("$n", newName), ("$o", oldName));
    }

    /// <summary>Every name the asset had before its current one (project.asset), with when it stopped being its name.</summary>
    public IReadOnlyList<(string Name, DateTimeOffset Until)> FormerAssetNames(long assetId) =>
        Query("SELECT name, until FROM asset_names WHERE asset_id = $i ORDER BY until", r => (r.GetString(0), ParseTime(r.GetString(1))), ("$i", assetId));
}
