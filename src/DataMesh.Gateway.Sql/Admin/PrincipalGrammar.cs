namespace DataMesh.Gateway.Sql.Admin;

/// <summary>Users, groups, the domain-admin role and associated accounts. Cursors arrive past the leading keywords.</summary>
internal static class PrincipalGrammar
{
    /// <summary>ASSOCIATE ACCOUNT name LOCATION 'path' | 's3://bucket/prefix/' ADMIN user [WITH (option = 'value', …)]</summary>
    public static AdminStatement AssociateAccount(TokenCursor c)
    {
        var name = c.ExpectName("account name");
        c.ExpectWord("LOCATION");
        var location = c.ExpectString("location (string literal)");
        c.ExpectWord("ADMIN");
        var admin = c.ExpectName("user name");
        return new AssociateAccount(name, location, admin) { Options = c.AcceptWord("WITH") ? AccountOptions(c) : Admin.AssociateAccount.NoOptions };
    }

    /// <summary>ALTER ACCOUNT name ADMIN user | ALTER ACCOUNT name SET CREDENTIALS (option = 'value', …) | ALTER ACCOUNT name RENAME TO name</summary>
    public static AdminStatement AlterAccount(TokenCursor c)
    {
        var name = c.ExpectName("account name");
        if (c.IsWord("RENAME")) return new RenameObject(RenameKind.Account, name, LifecycleGrammar.RenameTo(c, "account name"));
        if (c.AcceptWord("SET"))
        {
            c.ExpectWord("CREDENTIALS");
            return new AlterAccountCredentials(name, AccountOptions(c));
        }
        if (!c.AcceptWord("ADMIN")) throw c.Unexpected("ADMIN, SET CREDENTIALS or RENAME TO");
        return new AlterAccountAdmin(name, c.ExpectName("user name"));
    }

    /// <summary>(endpoint = '…', secret_access_key = '…', …): the values may be secrets, so errors never echo a string.</summary>
    private static Dictionary<string, string> AccountOptions(TokenCursor c)
    {
        c.HideStrings = true;
        return c.ExpectOptions("account option", allowNumbers: false, allowEmpty: false);
    }

    /// <summary>CREATE USER name [WITH] PASSWORD 'secret'</summary>
    public static AdminStatement CreateUser(TokenCursor c)
    {
        var name = c.ExpectName("user name");
        return new CreateUser(name, Password(c));
    }

    /// <summary>ALTER USER name [WITH] PASSWORD 'secret' — the only alteration users have.</summary>
    public static AdminStatement AlterUser(TokenCursor c)
    {
        var name = c.ExpectName("user name");
        return new AlterUserPassword(name, Password(c));
    }

    // WITH is optional so PostgreSQL's own spelling (CREATE USER u WITH PASSWORD '...') works too.
    private static string Password(TokenCursor c)
    {
        c.AcceptWord("WITH");
        c.ExpectWord("PASSWORD");
        return c.ExpectString("password (string literal)");
    }

    /// <summary>GRANT DOMAIN ADMIN TO user</summary>
    public static AdminStatement GrantDomainAdmin(TokenCursor c)
    {
        c.ExpectWord("TO");
        return new GrantDomainAdmin(c.ExpectName("user name"));
    }

    /// <summary>REVOKE DOMAIN ADMIN FROM user</summary>
    public static AdminStatement RevokeDomainAdmin(TokenCursor c)
    {
        c.ExpectWord("FROM");
        return new RevokeDomainAdmin(c.ExpectName("user name"));
    }

    /// <summary>ALTER GROUP g ADD USER u | ALTER GROUP g DROP USER u | ALTER GROUP g RENAME TO name</summary>
    public static AdminStatement AlterGroup(TokenCursor c)
    {
        var group = c.ExpectName("group name");
        if (c.IsWord("RENAME")) return new RenameObject(RenameKind.Group, group, LifecycleGrammar.RenameTo(c, "group name"));
        if (c.AcceptWord("ADD"))
        {
            c.ExpectWord("USER");
            return new AlterGroupAddUser(group, c.ExpectName("user name"));
        }
        if (c.AcceptWord("DROP"))
        {
            c.ExpectWord("USER");
            return new AlterGroupDropUser(group, c.ExpectName("user name"));
        }
        throw c.Unexpected("ADD USER, DROP USER or RENAME TO");
    }
}
