using DataMesh.Gateway.Catalog.Model;
using Microsoft.Data.Sqlite;

namespace DataMesh.Gateway.Catalog.Store;

internal sealed partial class SqliteCatalogSession
{
    public BlueprintRecord? GetBlueprint(string name) => Blueprints().FirstOrDefault(b => b.Name == name);

    public IReadOnlyList<BlueprintRecord> Blueprints() => Query("SELECT name, builtin, steps, description, created_at FROM blueprints ORDER BY builtin DESC, name",
        r => new BlueprintRecord(r.GetString(0), r.GetInt64(1) != 0, FromJson<List<StepRecord>>(r.GetString(2)), NullableString(r, 3), ParseTime(r.GetString(4))));

    public void InsertBlueprint(BlueprintRecord b) =>
        Execute("INSERT INTO blueprints (name, builtin, steps, description, created_at) VALUES ($n, $b, $s, $d, $t)",
            ("$n", b.Name), ("$b", b.BuiltIn ? 1 : 0), ("$s", Json(b.Steps)), ("$d", b.Description), ("$t", Time(b.CreatedAt)));

    public ProfileRecord? GetProfile(string name) => Profiles().FirstOrDefault(p => p.Name == name);

    public IReadOnlyList<ProfileRecord> Profiles() => Query("SELECT name, blueprints, description, created_at FROM profiles ORDER BY name",
        r => new ProfileRecord(r.GetString(0), FromJson<List<StepRecord>>(r.GetString(1)), NullableString(r, 2), ParseTime(r.GetString(3))));

    public void InsertProfile(ProfileRecord p) =>
        Execute("INSERT INTO profiles (name, blueprints, description, created_at) VALUES ($n, $b, $d, $t)",
            ("$n", p.Name), ("$b", Json(p.Blueprints)), ("$d", p.Description), ("$t", Time(p.CreatedAt)));

    public ProjectRecord? GetProject(string name) => Projects().FirstOrDefault(p => p.Name == name);

    public IReadOnlyList<ProjectRecord> Projects()
    {
        var members = Query("SELECT project, principal, is_group, role FROM project_members ORDER BY is_group, principal",
            r => (Project: r.GetString(0), Member: new MemberRecord(r.GetString(1), r.GetInt64(2) != 0, ParseRole(r.GetString(3)))))
            .ToLookup(m => m.Project, m => m.Member);
        return Query("SELECT name, account, profile, description, resources, created_by, created_at, storage_prefix FROM projects ORDER BY name",
            r => new ProjectRecord(r.GetString(0), r.GetString(1), r.GetString(2), NullableString(r, 3),
                FromJson<Dictionary<string, string>>(r.GetString(4)), members[r.GetString(0)].ToList(), r.GetString(5), ParseTime(r.GetString(6)))
            {
                StoragePrefix = r.IsDBNull(7) ? r.GetString(0) : r.GetString(7), // a row written without one has the default
            });
    }

    public void InsertProject(ProjectRecord p) =>
        Execute("INSERT INTO projects (name, account, profile, description, resources, created_by, created_at, storage_prefix) VALUES ($n, $a, $p, $d, $r, $c, $t, $s)",
            ("$n", p.Name), ("$a", p.Account), ("$p", p.Profile), ("$d", p.Description), ("$r", Json(p.Resources)), ("$c", p.CreatedBy), ("$t", Time(p.CreatedAt)),
            ("$s", p.StoragePrefix));

    public void SetMember(string project, MemberRecord m) =>
        Execute("INSERT INTO project_members (project, principal, is_group, role) VALUES ($p, $m, $g, $r) " +
                "ON CONFLICT (project, principal, is_group) DO UPDATE SET role = excluded.role",
            ("$p", project), ("$m", m.Principal), ("$g", m.IsGroup ? 1 : 0), ("$r", m.Role.ToString().ToLowerInvariant()));

    public void RemoveMember(string project, string principal, bool isGroup) =>
        Execute("DELETE FROM project_members WHERE project = $p AND principal = $m AND is_group = $g",
            ("$p", project), ("$m", principal), ("$g", isGroup ? 1 : 0));

    public GlossaryTermRecord? GetTerm(string term) =>
        Query("SELECT term, description, created_at FROM glossary_terms WHERE term = $t", MapTerm, ("$t", term)).FirstOrDefault();

    public IReadOnlyList<GlossaryTermRecord> Terms() => Query("SELECT term, description, created_at FROM glossary_terms ORDER BY term", MapTerm);

    public void InsertTerm(GlossaryTermRecord t) =>
        Execute("INSERT INTO glossary_terms (term, description, created_at) VALUES ($t, $d, $c)", ("$t", t.Term), ("$d", t.Description), ("$c", Time(t.CreatedAt)));

    private static GlossaryTermRecord MapTerm(SqliteDataReader r) => new(r.GetString(0), NullableString(r, 1), ParseTime(r.GetString(2)));

    private static MemberRole ParseRole(string s) => s switch
    {
        "owner" => MemberRole.Owner,
        "contributor" => MemberRole.Contributor,
        _ => MemberRole.Viewer,
    };
}
