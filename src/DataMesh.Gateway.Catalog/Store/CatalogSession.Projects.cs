using DataMesh.Gateway.Catalog.Model;
using System.Data.Common;

namespace DataMesh.Gateway.Catalog.Store;

internal abstract partial class CatalogSession
{
    private const string BlueprintSelect = "SELECT name, builtin, steps, description, created_at FROM blueprints";

    private static BlueprintRecord MapBlueprint(DbDataReader r) =>
        new(r.GetString(0), r.GetInt64(1) != 0, FromJson<List<StepRecord>>(r.GetString(2)), NullableString(r, 3), ParseTime(r.GetString(4)));

    public BlueprintRecord? GetBlueprint(string name) => Query(BlueprintSelect + " WHERE name = $n", MapBlueprint, ("$n", name)).FirstOrDefault();

    public IReadOnlyList<BlueprintRecord> Blueprints() => Query(BlueprintSelect + " ORDER BY builtin DESC, name", MapBlueprint);

    public void InsertBlueprint(BlueprintRecord b)
    {
        Execute("INSERT INTO blueprints (name, builtin, steps, description, created_at) VALUES ($n, $b, $s, $d, $t)",
            ("$n", b.Name), ("$b", b.BuiltIn ? 1 : 0), ("$s", Json(b.Steps)), ("$d", b.Description), ("$t", Time(b.CreatedAt)));
        Changed(ChangeKinds.Blueprint, b.Name);
    }

    private const string ProfileSelect = "SELECT name, blueprints, description, created_at FROM profiles";

    private static ProfileRecord MapProfile(DbDataReader r) =>
        new(r.GetString(0), FromJson<List<StepRecord>>(r.GetString(1)), NullableString(r, 2), ParseTime(r.GetString(3)));

    public ProfileRecord? GetProfile(string name) => Query(ProfileSelect + " WHERE name = $n", MapProfile, ("$n", name)).FirstOrDefault();

    public IReadOnlyList<ProfileRecord> Profiles() => Query(ProfileSelect + " ORDER BY name", MapProfile);

    public void InsertProfile(ProfileRecord p)
    {
        Execute("INSERT INTO profiles (name, blueprints, description, created_at) VALUES ($n, $b, $d, $t)",
            ("$n", p.Name), ("$b", Json(p.Blueprints)), ("$d", p.Description), ("$t", Time(p.CreatedAt)));
        Changed(ChangeKinds.Profile, p.Name);
    }

    private const string ProjectSelect = "SELECT name, account, profile, description, resources, created_by, created_at, storage_prefix, webhook, oid_key FROM projects";

    private const string MemberSelect = "SELECT project, principal, is_group, role FROM project_members";

    public ProjectRecord? GetProject(string name) => ProjectsWhere("WHERE name = $n", "WHERE project = $n", ("$n", name)).FirstOrDefault();

    public IReadOnlyList<ProjectRecord> Projects() => ProjectsWhere("", "");

    public IReadOnlyList<ProjectRecord> ProjectsInAccount(string account) =>
        ProjectsWhere("WHERE account = $a", "WHERE project IN (SELECT name FROM projects WHERE account = $a)", ("$a", account));

    public IReadOnlyList<ProjectRecord> ProjectsWithMember(string principal, bool isGroup)
    {
        const string Of = "SELECT project FROM project_members WHERE principal = $m AND is_group = $g";
        return ProjectsWhere($"WHERE name IN ({Of})", $"WHERE project IN ({Of})", ("$m", principal), ("$g", isGroup ? 1 : 0));
    }

    /// <summary>Projects with their members, read in two statements filtered alike.</summary>
    private List<ProjectRecord> ProjectsWhere(string projectFilter, string memberFilter, params (string, object?)[] parameters)
    {
        var members = Query($"{MemberSelect} {memberFilter} ORDER BY is_group, principal",
            r => (Project: r.GetString(0), Member: new MemberRecord(PooledString(r, 1), r.GetInt64(2) != 0, ParseRole(r.GetString(3)))), parameters)
            .ToLookup(m => m.Project, m => m.Member, StringComparer.Ordinal);
        return Query($"{ProjectSelect} {projectFilter} ORDER BY name",
            r =>
            {
                var name = PooledString(r, 0);
                return new ProjectRecord(name, PooledString(r, 1), PooledString(r, 2), NullableString(r, 3),
                    FromJson<Dictionary<string, string>>(r.GetString(4)), members[name].ToList(), PooledString(r, 5), ParseTime(r.GetString(6)))
                {
                    StoragePrefix = r.IsDBNull(7) ? name : Pool(r.GetString(7)), // a row written without one has the default
                    Webhook = NullableString(r, 8),
                    OidKey = r.IsDBNull(9) ? name : r.GetString(9),
                };
            }, parameters);
    }

    public void InsertProject(ProjectRecord p)
    {
        Execute("INSERT INTO projects (name, account, profile, description, resources, created_by, created_at, storage_prefix, oid_key) VALUES ($n, $a, $p, $d, $r, $c, $t, $s, $o)",
            ("$n", p.Name), ("$a", p.Account), ("$p", p.Profile), ("$d", p.Description), ("$r", Json(p.Resources)), ("$c", p.CreatedBy), ("$t", Time(p.CreatedAt)),
            ("$s", p.StoragePrefix), ("$o", p.OidKey == p.Name ? null : p.OidKey));
        Changed(ChangeKinds.Project, p.Name);
    }

    public void SetProjectWebhook(string project, string? url)
    {
        Execute("UPDATE projects SET webhook = $w WHERE name = $n", ("$w", url), ("$n", project));
        // Only events after this moment go to the new address: an old history is not replayed to it.
        if (url is null) Execute("DELETE FROM webhook_cursors WHERE project = $p", ("$p", project));
        else Execute("INSERT INTO webhook_cursors (project, last_event) VALUES ($p, (SELECT coalesce(max(id), 0) FROM events)) " +
                     "ON CONFLICT (project) DO UPDATE SET last_event = excluded.last_event", ("$p", project));
        Changed(ChangeKinds.Project, project);
    }

    public void SetMember(string project, MemberRecord m)
    {
        Execute("INSERT INTO project_members (project, principal, is_group, role) VALUES ($p, $m, $g, $r) " +
                "ON CONFLICT (project, principal, is_group) DO UPDATE SET role = excluded.role",
            ("$p", project), ("$m", m.Principal), ("$g", m.IsGroup ? 1 : 0), ("$r", m.Role.ToString().ToLowerInvariant()));
        Changed(ChangeKinds.Project, project);
    }

    public void RemoveMember(string project, string principal, bool isGroup)
    {
        Execute("DELETE FROM project_members WHERE project = $p AND principal = $m AND is_group = $g",
            ("$p", project), ("$m", principal), ("$g", isGroup ? 1 : 0));
        Changed(ChangeKinds.Project, project);
    }

    private const string TermColumns = "term, description, created_at, parent, owner_project";

    public GlossaryTermRecord? GetTerm(string term) =>
        Query($"SELECT {TermColumns} FROM glossary_terms WHERE term = $t", MapTerm, ("$t", term)).FirstOrDefault();

    public IReadOnlyList<GlossaryTermRecord> Terms() => Query($"SELECT {TermColumns} FROM glossary_terms ORDER BY term", MapTerm);

    public void InsertTerm(GlossaryTermRecord t)
    {
        Execute("INSERT INTO glossary_terms (term, description, created_at, parent, owner_project) VALUES ($t, $d, $c, $p, $o)",
            ("$t", t.Term), ("$d", t.Description), ("$c", Time(t.CreatedAt)), ("$p", t.Parent), ("$o", t.OwnerProject));
        Changed(ChangeKinds.Term, t.Term);
    }

    /// <summary>Description, parent and owner of an existing term (matched case-insensitively, as terms are).</summary>
    public void UpdateTerm(GlossaryTermRecord t)
    {
        Execute("UPDATE glossary_terms SET description = $d, parent = $p, owner_project = $o WHERE term = $t",
            ("$t", t.Term), ("$d", t.Description), ("$p", t.Parent), ("$o", t.OwnerProject));
        Changed(ChangeKinds.Term, t.Term);
    }

    private static GlossaryTermRecord MapTerm(DbDataReader r) => new(r.GetString(0), NullableString(r, 1), ParseTime(r.GetString(2)))
    {
        Parent = NullableString(r, 3),
        OwnerProject = NullableString(r, 4),
    };

    private static MemberRole ParseRole(string s) => s switch
    {
        "owner" => MemberRole.Owner,
        "contributor" => MemberRole.Contributor,
        _ => MemberRole.Viewer,
    };
}
