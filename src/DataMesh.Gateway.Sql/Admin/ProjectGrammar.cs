namespace DataMesh.Gateway.Sql.Admin;

/// <summary>Blueprints, project profiles, projects and project membership.</summary>
internal static class ProjectGrammar
{
    /// <summary>CREATE BLUEPRINT name AS ( step [WITH (key = value, ...)], ... )</summary>
    public static AdminStatement CreateBlueprint(TokenCursor c)
    {
        var name = c.ExpectName("blueprint name");
        c.ExpectWord("AS");
        return new CreateBlueprint(name, BlueprintRefs(c, "provisioning step"));
    }

    /// <summary>CREATE PROJECT name ACCOUNT account PROFILE profile [DESCRIPTION '...']</summary>
    public static AdminStatement CreateProject(TokenCursor c) => CreateProjectNamed(c, c.ExpectName("project name"));

    private static AdminStatement CreateProjectNamed(TokenCursor c, string name)
    {
        c.ExpectWord("ACCOUNT");
        var account = c.ExpectName("account name");
        c.ExpectWord("PROFILE");
        var profile = c.ExpectName("profile name");
        return new CreateProject(name, account, profile, OptionalDescription(c));
    }

    /// <summary>
    /// CREATE PROJECT PROFILE name BLUEPRINTS ( bp [WITH (...)], ... ) [DESCRIPTION '...']. A project may itself be called
    /// "profile": "CREATE PROJECT profile ACCOUNT a PROFILE p" is the project form, recognised by ACCOUNT where the
    /// profile form would have its name (unless BLUEPRINTS follows, meaning a profile named "account").
    /// </summary>
    public static AdminStatement CreateProfile(TokenCursor c)
    {
        if (c.IsWord("ACCOUNT") && !c.IsWord("BLUEPRINTS", 1)) return CreateProjectNamed(c, "profile");
        var name = c.ExpectName("profile name");
        c.ExpectWord("BLUEPRINTS");
        var blueprints = BlueprintRefs(c, "blueprint name");
        return new CreateProjectProfile(name, blueprints, OptionalDescription(c));
    }

    private static List<BlueprintRef> BlueprintRefs(TokenCursor c, string what) =>
        c.ExpectList(what, allowEmpty: false, item =>
        {
            var name = item.ExpectName(what);
            IReadOnlyDictionary<string, string> parameters = item.AcceptWord("WITH")
                ? item.ExpectOptions("parameter", allowNumbers: true, allowEmpty: false)
                : new Dictionary<string, string>();
            return new BlueprintRef(name, parameters);
        });

    private static string? OptionalDescription(TokenCursor c) =>
        c.AcceptWord("DESCRIPTION") ? c.ExpectString("description (string literal)") : null;

    /// <summary>ADD MEMBER [GROUP] x TO PROJECT p AS OWNER|CONTRIBUTOR|VIEWER</summary>
    public static AdminStatement AddMember(TokenCursor c)
    {
        var (principal, isGroup) = Principal(c, "TO");
        c.ExpectWord("TO");
        c.ExpectWord("PROJECT");
        var project = c.ExpectName("project name");
        c.ExpectWord("AS");
        return new AddMember(project, principal, isGroup, Role(c));
    }

    /// <summary>REMOVE MEMBER [GROUP] x FROM PROJECT p</summary>
    public static AdminStatement RemoveMember(TokenCursor c)
    {
        var (principal, isGroup) = Principal(c, "FROM");
        c.ExpectWord("FROM");
        c.ExpectWord("PROJECT");
        return new RemoveMember(c.ExpectName("project name"), principal, isGroup);
    }

    // "ADD MEMBER group TO PROJECT p" adds a *user* named group: GROUP is the keyword unless it is directly
    // followed by "TO PROJECT" (or "FROM PROJECT"), where the principal's name would have to be.
    private static (string Name, bool IsGroup) Principal(TokenCursor c, string preposition)
    {
        var isGroup = c.IsWord("GROUP") && !(c.IsWord(preposition, 1) && c.IsWord("PROJECT", 2));
        if (isGroup) c.Skip(1);
        return (c.ExpectName(isGroup ? "group name" : "user name"), isGroup);
    }

    private static ProjectRole Role(TokenCursor c)
    {
        if (c.AcceptWord("OWNER")) return ProjectRole.Owner;
        if (c.AcceptWord("CONTRIBUTOR")) return ProjectRole.Contributor;
        if (c.AcceptWord("VIEWER")) return ProjectRole.Viewer;
        throw c.Unexpected("OWNER, CONTRIBUTOR or VIEWER");
    }
}
