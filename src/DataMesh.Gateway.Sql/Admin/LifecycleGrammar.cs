namespace DataMesh.Gateway.Sql.Admin;

/// <summary>DROP … [CASCADE | RESTRICT] and ALTER … RENAME TO, and the other ALTER forms of projects.</summary>
internal static class LifecycleGrammar
{
    /// <summary>[CASCADE | RESTRICT] at the end of a DROP: RESTRICT is the default, as in PostgreSQL.</summary>
    public static bool Cascade(TokenCursor c)
    {
        if (c.AcceptWord("CASCADE")) return true;
        c.AcceptWord("RESTRICT");
        return false;
    }

    /// <summary>RENAME TO name (the new name follows the same rules as every name).</summary>
    public static string RenameTo(TokenCursor c, string what)
    {
        c.ExpectWord("RENAME");
        c.ExpectWord("TO");
        return c.ExpectName(what);
    }

    /// <summary>ALTER BLUEPRINT name RENAME TO name</summary>
    public static AdminStatement AlterBlueprint(TokenCursor c)
    {
        var name = c.ExpectName("blueprint name");
        return new RenameObject(RenameKind.Blueprint, name, RenameTo(c, "blueprint name"));
    }

    /// <summary>
    /// ALTER PROJECT PROFILE name RENAME TO name, unless PROFILE is a project's name: "ALTER PROJECT profile RENAME TO x"
    /// is the project form (RENAME where the profile's name would be).
    /// </summary>
    public static AdminStatement AlterProfile(TokenCursor c)
    {
        if (c.IsWord("RENAME")) return AlterProjectNamed(c, "profile");
        var name = c.ExpectName("profile name");
        return new RenameObject(RenameKind.Profile, name, RenameTo(c, "profile name"));
    }

    /// <summary>ALTER PROJECT name RENAME TO name</summary>
    /// <remarks>
    /// SET WEBHOOK 'url' | NONE (<see cref="SetProjectWebhook"/>) stays out of the grammar until webhook delivery is wired
    /// into the server and tested against a real listener: the command would store an address nothing POSTs to.
    /// </remarks>
    public static AdminStatement AlterProject(TokenCursor c) => AlterProjectNamed(c, c.ExpectName("project name"));

    private static AdminStatement AlterProjectNamed(TokenCursor c, string name) =>
        new RenameObject(RenameKind.Project, name, RenameTo(c, "project name"));

    /// <summary>DROP PROJECT PROFILE name [CASCADE | RESTRICT], unless PROFILE names a project ("DROP PROJECT profile").</summary>
    public static AdminStatement DropProfile(TokenCursor c)
    {
        if (c.AtEnd || c.IsWord("CASCADE") || c.IsWord("RESTRICT")) return new DropProject("profile", Cascade(c));
        var name = c.ExpectName("profile name");
        return new DropProjectProfile(name, Cascade(c));
    }
}
