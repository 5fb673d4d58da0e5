using DataMesh.Gateway.Admin.Provisioning;
using DataMesh.Gateway.Admin.Storage;
using DataMesh.Gateway.Catalog.Model;
using DataMesh.Gateway.Sql.Admin;

namespace DataMesh.Gateway.Admin.Commands;

/// <summary>Blueprints, project profiles, projects and their members.</summary>
internal static class ProjectCommands
{
    public static AdminResult ShowBlueprints(AdminContext ctx, ShowBlueprints _)
    {
        var custom = ctx.Read(r => r.Blueprints());
        var rows = BuiltInBlueprints.All
            .Select(b => new object?[] { b.Name, true, b.Description, Format.Pairs(b.Defaults) })
            .Concat(custom.Select(b => new object?[] { b.Name, false, b.Description, string.Join("; ", b.Steps.Select(Describe)) }))
            .ToList();
        return new AdminResult([new("blueprint"), new("built_in", AdminColumnType.Bool), new("description"), new("parameters")], rows, $"SHOW BLUEPRINTS {rows.Count}");
    }

    public static AdminResult CreateBlueprint(AdminContext ctx, CreateBlueprint s)
    {
        Permissions.RequireDomainAdmin(ctx, "create blueprints");
        if (BuiltInBlueprints.Find(s.Name) is not null) throw AdminErrors.Duplicate("blueprint", s.Name);
        var steps = s.Steps.Select(ToStep).ToList();
        foreach (var step in steps) Provisioner.Validate(step); // only built-in provisioning steps compose a blueprint
        ctx.Change(w =>
        {
            if (w.GetBlueprint(s.Name) is not null) throw AdminErrors.Duplicate("blueprint", s.Name);
            w.InsertBlueprint(new BlueprintRecord(s.Name, false, steps, "composed of " + string.Join(", ", steps.Select(x => x.Name)), ctx.Now));
        });
        return AdminResult.Done("CREATE BLUEPRINT");
    }

    public static AdminResult CreateProfile(AdminContext ctx, CreateProjectProfile s)
    {
        Permissions.RequireDomainAdmin(ctx, "create project profiles");
        var blueprints = s.Blueprints.Select(ToStep).ToList();
        ctx.Change(w =>
        {
            if (w.GetProfile(s.Name) is not null) throw AdminErrors.Duplicate("project profile", s.Name);
            Expand(w.Blueprints(), blueprints); // validates every blueprint and parameter now, not at project creation
            w.InsertProfile(new ProfileRecord(s.Name, blueprints, s.Description, ctx.Now));
        });
        return AdminResult.Done("CREATE PROJECT PROFILE");
    }

    public static AdminResult ShowProfiles(AdminContext ctx, ShowProjectProfiles _)
    {
        var profiles = ctx.Read(r => r.Profiles());
        return new AdminResult([new("profile"), new("blueprints"), new("description")],
            profiles.Select(p => new object?[] { p.Name, string.Join("; ", p.Blueprints.Select(Describe)), p.Description }).ToList(),
            $"SHOW PROJECT PROFILES {profiles.Count}");
    }

    public static AdminResult CreateProject(AdminContext ctx, CreateProject s)
    {
        var (account, profile, custom) = ctx.Read(r => (r.GetAccount(s.Account), r.GetProfile(s.Profile), r.Blueprints()));
        if (account is null) throw AdminErrors.Unknown("account", s.Account);
        if (!Permissions.IsDomainAdmin(ctx) && account.Admin != ctx.User)
            throw AdminErrors.Denied($"permission denied to create projects in account \"{s.Account}\": the domain admin or account admin role is required");
        if (account.Status != AccountStatus.Accepted)
            throw AdminErrors.WrongState($"account \"{s.Account}\" has not been accepted by its account admin", $"{account.Admin} must run ACCEPT ACCOUNT {s.Account}");
        if (profile is null) throw AdminErrors.Unknown("project profile", s.Profile);
        if (ctx.Snapshot.Project(s.Name) is not null || s.Name == "postgres") throw AdminErrors.Duplicate("project", s.Name);

        // The project's own part of the account: checked against its neighbours before anything is created.
        var steps = Expand(custom, profile.Blueprints);
        var project = new ProjectRecord(s.Name, s.Account, s.Profile, s.Description, new Dictionary<string, string>(), [], ctx.User, ctx.Now)
        {
            StoragePrefix = Provisioner.PrefixFor(s.Name, steps),
            // A project renamed from this name keeps its schema OID (derived from its old name); this one must not share it.
            OidKey = ctx.Snapshot.Projects.Any(p => p.OidKey == s.Name) ? $"{s.Name}#{ctx.Now.UtcTicks.ToString(System.Globalization.CultureInfo.InvariantCulture)}" : s.Name,
        };
        string directory = s.Name;
        var storage = ctx.Read(r =>
        {
            directory = ProjectFiles.FreeDirectoryName(ctx, r.Projects(), s.Name);
            var projects = r.ProjectsInAccount(s.Account);
            RequireFreePrefix(projects, project);
            var storage = ProjectStorage.For(account, project, projects);
            storage.CheckClaim(projects.SelectMany(p => r.AssetsOf(p.Name)));
            return storage;
        });
        // Provision first (idempotent), then record the project: a crash in between leaves nothing in the catalog.
        var resources = ctx.Services.Provisioner.Provision(s.Name, storage, steps, directory);
        // An account admin who creates a project owns it (otherwise nobody but a domain admin could manage it);
        // domain admins manage every project anyway and add owners explicitly.
        var creatorOwns = !Permissions.IsDomainAdmin(ctx);
        ctx.Change(w =>
        {
            if (w.GetProject(s.Name) is not null) throw AdminErrors.Duplicate("project", s.Name);
            RequireFreePrefix(w.ProjectsInAccount(s.Account), project); // again under the write lock: a concurrent CREATE PROJECT may have won
            w.InsertProject(project with { Resources = resources });
            if (creatorOwns) w.SetMember(s.Name, new MemberRecord(ctx.User, false, MemberRole.Owner));
        });
        return AdminResult.Row("CREATE PROJECT", ("project", s.Name), ("account", s.Account), ("profile", s.Profile), ("resources", Format.Pairs(resources)));
    }

    /// <summary>No two projects of an account own overlapping prefixes (compared case- and Unicode-insensitively).</summary>
    private static void RequireFreePrefix(IEnumerable<ProjectRecord> projects, ProjectRecord project)
    {
        var clash = projects.FirstOrDefault(p => p.Account == project.Account && p.Name != project.Name && StoragePrefix.Overlap(p.StoragePrefix, project.StoragePrefix));
        if (clash is not null)
            throw AdminErrors.Invalid(
                $"storage prefix \"{project.StoragePrefix}\" overlaps the prefix of project \"{clash.Name}\" in account \"{project.Account}\"",
                "every project owns its own part of the account: give it another path with the producer_storage blueprint");
    }

    /// <summary>
    /// Every project, for everyone; where its data and code live (storage, code repository) only for its members and
    /// domain admins: a location names the account's storage, which SHOW ACCOUNTS keeps from everyone else too.
    /// </summary>
    public static AdminResult ShowProjects(AdminContext ctx, ShowProjects _)
    {
        var (projects, accounts) = ctx.Read(r => (r.Projects(), r.Accounts()));
        return new AdminResult(
            [new("project"), new("account"), new("profile"), new("description"), new("your_role"), new("members", AdminColumnType.BigInt),
             new("storage"), new("code_repository"), new("created_at")],
            projects.Select(p =>
            {
                var insider = Permissions.HasRole(ctx, p.Name, MemberRole.Viewer);
                return new object?[]
                {
                    p.Name, p.Account, p.Profile, p.Description, Permissions.RoleIn(ctx, p.Name)?.ToString().ToLowerInvariant(), (long)p.Members.Count,
                    insider ? StorageLocation(p, accounts, projects) : null, insider ? p.Resources.GetValueOrDefault("code_repository") : null,
                    Format.Time(p.CreatedAt),
                };
            }).ToList(),
            $"SHOW PROJECTS {projects.Count}");
    }

    private static string? StorageLocation(ProjectRecord project, IReadOnlyList<AccountRecord> accounts, IReadOnlyList<ProjectRecord> projects) =>
        accounts.FirstOrDefault(a => a.Name == project.Account) is { } account ? ProjectStorage.For(account, project, projects).Location : null;

    public static AdminResult AddMember(AdminContext ctx, AddMember s)
    {
        Permissions.RequireRole(ctx, s.Project, MemberRole.Owner, $"manage members of project \"{s.Project}\"");
        var role = s.Role switch { ProjectRole.Owner => MemberRole.Owner, ProjectRole.Contributor => MemberRole.Contributor, _ => MemberRole.Viewer };
        ctx.Change(w =>
        {
            if (w.GetProject(s.Project) is null) throw AdminErrors.Unknown("project", s.Project);
            if (s.IsGroup ? w.GetGroup(s.Principal) is null : w.GetUser(s.Principal) is null)
                throw AdminErrors.Unknown(s.IsGroup ? "group" : "user", s.Principal);
            w.SetMember(s.Project, new MemberRecord(s.Principal, s.IsGroup, role));
        });
        return AdminResult.Row("ADD MEMBER", ("project", s.Project), ("member", s.Principal), ("kind", s.IsGroup ? "group" : "user"), ("role", role.ToString().ToLowerInvariant()));
    }

    public static AdminResult RemoveMember(AdminContext ctx, RemoveMember s)
    {
        Permissions.RequireRole(ctx, s.Project, MemberRole.Owner, $"manage members of project \"{s.Project}\"");
        ctx.Change(w =>
        {
            var project = w.GetProject(s.Project) ?? throw AdminErrors.Unknown("project", s.Project);
            var member = project.Members.FirstOrDefault(m => m.Principal == s.Principal && m.IsGroup == s.IsGroup)
                ?? throw AdminErrors.Unknown("member of project " + s.Project, s.Principal);
            if (member.Role == MemberRole.Owner && !member.IsGroup && project.Members.Count(m => m.Role == MemberRole.Owner) == 1)
                throw AdminErrors.WrongState($"project \"{s.Project}\" must keep at least one owner");
            w.RemoveMember(s.Project, s.Principal, s.IsGroup);
        });
        return AdminResult.Done("REMOVE MEMBER");
    }

    public static AdminResult ShowMembers(AdminContext ctx, ShowMembers s)
    {
        var project = ctx.Snapshot.Project(s.Project) ?? throw AdminErrors.Unknown("project", s.Project);
        Permissions.RequireRole(ctx, s.Project, MemberRole.Viewer, $"see the members of project \"{s.Project}\"");
        return new AdminResult([new("member"), new("kind"), new("role")],
            project.Members.Select(m => new object?[] { m.Principal, m.IsGroup ? "group" : "user", m.Role.ToString().ToLowerInvariant() }).ToList(),
            $"SHOW MEMBERS {project.Members.Count}");
    }

    private static StepRecord ToStep(BlueprintRef b) => new(b.Name, b.Parameters);

    private static string Describe(StepRecord s) => s.Parameters.Count == 0 ? s.Name : $"{s.Name}({Format.Pairs(s.Parameters)})";

    /// <summary>Expands a profile's blueprints (built-in or custom) into provisioning steps, parameters applied.</summary>
    private static List<StepRecord> Expand(IReadOnlyList<BlueprintRecord> custom, IReadOnlyList<StepRecord> blueprints)
    {
        var steps = new List<StepRecord>();
        foreach (var b in blueprints)
        {
            if (BuiltInBlueprints.Find(b.Name) is not null)
            {
                Provisioner.Validate(b);
                steps.Add(b);
                continue;
            }
            var composite = custom.FirstOrDefault(c => c.Name == b.Name) ?? throw AdminErrors.Unknown("blueprint", b.Name);
            if (b.Parameters.Count > 0)
                throw AdminErrors.Invalid($"blueprint \"{b.Name}\" is composed of steps; set parameters on its steps in CREATE BLUEPRINT");
            steps.AddRange(composite.Steps);
        }
        var duplicate = steps.GroupBy(s => s.Name).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw AdminErrors.Invalid($"provisioning step \"{duplicate.Key}\" appears more than once");
        return steps;
    }
}
