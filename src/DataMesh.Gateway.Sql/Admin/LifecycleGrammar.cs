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
    /// and "ALTER PROJECT profile SET WEBHOOK …" are project forms (RENAME or SET where the profile's name would be).
    /// </summary>
    public static AdminStatement AlterProfile(TokenCursor c)
    {
        if (c.IsWord("RENAME") || c.IsWord("SET")) return AlterProjectNamed(c, "profile");
        var name = c.ExpectName("profile name");
        return new RenameObject(RenameKind.Profile, name, RenameTo(c, "profile name"));
    }

    /// <summary>ALTER PROJECT name RENAME TO name | SET WEBHOOK 'url' | SET WEBHOOK NONE</summary>
    public static AdminStatement AlterProject(TokenCursor c) => AlterProjectNamed(c, c.ExpectName("project name"));

    private static AdminStatement AlterProjectNamed(TokenCursor c, string name)
    {
        if (c.IsWord("RENAME")) return new RenameObject(RenameKind.Project, name, RenameTo(c, "project name"));
        c.ExpectWord("SET");
        c.ExpectWord("WEBHOOK");
        if (c.AcceptWord("NONE")) return new SetProjectWebhook(name, null);
        return new SetProjectWebhook(name, c.ExpectString("webhook URL (string literal) or NONE"));
    }

    /// <summary>DROP PROJECT PROFILE name [CASCADE | RESTRICT], unless PROFILE names a project ("DROP PROJECT profile").</summary>
    public static AdminStatement DropProfile(TokenCursor c)
    {
        if (c.AtEnd || c.IsWord("CASCADE") || c.IsWord("RESTRICT")) return new DropProject("profile", Cascade(c));
        var name = c.ExpectName("profile name");
        return new DropProjectProfile(name, Cascade(c));
    }
}
