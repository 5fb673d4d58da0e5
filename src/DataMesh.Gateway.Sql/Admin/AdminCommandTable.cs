namespace DataMesh.Gateway.Sql.Admin;

/// <summary>
/// The admin commands of the domain, its principals, accounts, blueprints, profiles, projects and members, in the order
/// HELP lists them (<see cref="AdminCommandTable"/>'s second half has glossary, assets, subscriptions and audit).
/// </summary>
internal static partial class AdminCommandTable
{
    private static IEnumerable<AdminCommand> Domain() =>
    [
        new("HELP", HelpGrammar.Help,
            "HELP [command]",
            "Lists the admin commands, or shows one command's syntax"),
        new("SHOW DOMAIN", c => new ShowDomain(),
            "SHOW DOMAIN",
            "The domain's name and counts of what it holds"),
        new("ALTER DOMAIN", DomainGrammar.RenameDomain,
            "ALTER DOMAIN RENAME TO name",
            "Renames the domain (a label only)"),
        new("CREATE USER", PrincipalGrammar.CreateUser,
            "CREATE USER name [WITH] PASSWORD 'secret'",
            "Adds a local user with a password"),
        new("ALTER USER", PrincipalGrammar.AlterUser,
            "ALTER USER name [WITH] PASSWORD 'secret'",
            "Changes a user's password"),
        new("DROP USER", c => new DropUser(c.ExpectName("user name")),
            "DROP USER name",
            "Removes a user and their memberships"),
        new("SHOW USERS", c => new ShowUsers(),
            "SHOW USERS",
            "Lists the users, their groups and whether they are domain admins"),
        new("CREATE GROUP", c => new CreateGroup(c.ExpectName("group name")),
            "CREATE GROUP name",
            "Adds a group of users"),
        new("DROP GROUP", c => new DropGroup(c.ExpectName("group name")),
            "DROP GROUP name",
            "Removes a group and its project memberships"),
        new("ALTER GROUP", PrincipalGrammar.AlterGroup,
            """
            ALTER GROUP group ADD USER user
            ALTER GROUP group DROP USER user
            ALTER GROUP group RENAME TO name
            """,
            "Adds a user to a group, removes one, or renames the group"),
        new("SHOW GROUPS", c => new ShowGroups(),
            "SHOW GROUPS",
            "Lists the groups and their members"),
        new("GRANT DOMAIN ADMIN", PrincipalGrammar.GrantDomainAdmin,
            "GRANT DOMAIN ADMIN TO user",
            "Makes a user a domain admin"),
        new("REVOKE DOMAIN ADMIN", PrincipalGrammar.RevokeDomainAdmin,
            "REVOKE DOMAIN ADMIN FROM user",
            "Takes the domain admin role from a user"),
        new("ASSOCIATE ACCOUNT", PrincipalGrammar.AssociateAccount,
            """
            ASSOCIATE ACCOUNT name LOCATION '/absolute/path' ADMIN user
            ASSOCIATE ACCOUNT name LOCATION 's3://bucket[/prefix]' ADMIN user WITH ( option = 'value', ... )
            """,
            "Proposes a storage account with its account admin"),
        new("ACCEPT ACCOUNT", c => new AcceptAccount(c.ExpectName("account name")),
            "ACCEPT ACCOUNT name",
            "The account admin accepts a proposed account"),
        new("ALTER ACCOUNT", PrincipalGrammar.AlterAccount,
            """
            ALTER ACCOUNT name ADMIN user
            ALTER ACCOUNT name SET CREDENTIALS ( option = 'value', ... )
            ALTER ACCOUNT name RENAME TO name
            """,
            "Gives an account another admin, new object-store credentials, or a new name"),
        new("DISASSOCIATE ACCOUNT", c => new DisassociateAccount(c.ExpectName("account name"), LifecycleGrammar.Cascade(c)),
            "DISASSOCIATE ACCOUNT name [CASCADE | RESTRICT]",
            "Removes an account (CASCADE: with its projects)"),
        new("SHOW ACCOUNTS", c => new ShowAccounts(),
            "SHOW ACCOUNTS",
            "Lists the associated accounts"),
        new("SHOW BLUEPRINTS", c => new ShowBlueprints(),
            "SHOW BLUEPRINTS",
            "Lists the built-in and custom blueprints"),
        new("CREATE BLUEPRINT", ProjectGrammar.CreateBlueprint,
            "CREATE BLUEPRINT name AS ( step [WITH (param = 'value' | number, ...)], ... )",
            "Composes a custom blueprint from built-in steps"),
        new("ALTER BLUEPRINT", LifecycleGrammar.AlterBlueprint,
            "ALTER BLUEPRINT name RENAME TO name",
            "Renames a custom blueprint (its profiles follow)"),
        new("DROP BLUEPRINT", c => new DropBlueprint(c.ExpectName("blueprint name"), LifecycleGrammar.Cascade(c)),
            "DROP BLUEPRINT name [CASCADE | RESTRICT]",
            "Removes a custom blueprint (CASCADE: with the profiles and projects using it)"),
        new("CREATE PROJECT PROFILE", ProjectGrammar.CreateProfile,
            "CREATE PROJECT PROFILE name BLUEPRINTS ( blueprint [WITH (param = value, ...)], ... ) [DESCRIPTION '...']",
            "Defines a project profile: the blueprints a new project gets"),
        new("ALTER PROJECT PROFILE", LifecycleGrammar.AlterProfile,
            "ALTER PROJECT PROFILE name RENAME TO name",
            "Renames a project profile"),
        new("DROP PROJECT PROFILE", LifecycleGrammar.DropProfile,
            "DROP PROJECT PROFILE name [CASCADE | RESTRICT]",
            "Removes a project profile (CASCADE: with the projects created from it)"),
        new("SHOW PROJECT PROFILES", c => new ShowProjectProfiles(),
            "SHOW PROJECT PROFILES",
            "Lists the project profiles"),
        new("CREATE PROJECT", ProjectGrammar.CreateProject,
            "CREATE PROJECT name ACCOUNT account PROFILE profile [DESCRIPTION '...']",
            "Creates and provisions a project in an account"),
        new("ALTER PROJECT", LifecycleGrammar.AlterProject,
            """
            ALTER PROJECT name RENAME TO name
            ALTER PROJECT name SET WEBHOOK 'https://…' | NONE
            """,
            "Renames a project, or sets the address its events are POSTed to"),
        new("DROP PROJECT", c => new DropProject(c.ExpectName("project name"), LifecycleGrammar.Cascade(c)),
            "DROP PROJECT name [CASCADE | RESTRICT]",
            "Removes a project (CASCADE: with its assets and subscriptions)"),
        new("SHOW PROJECTS", c => new ShowProjects(),
            "SHOW PROJECTS",
            "Lists the projects and your role in each"),
        new("DESCRIBE PROJECT", c => new DescribeProject(c.ExpectName("project name")),
            "DESCRIBE PROJECT name",
            "A project's details, storage and resources"),
        new("ADD MEMBER", ProjectGrammar.AddMember,
            "ADD MEMBER [GROUP] principal TO PROJECT project AS OWNER | CONTRIBUTOR | VIEWER",
            "Adds a user or group to a project, or changes its role"),
        new("REMOVE MEMBER", ProjectGrammar.RemoveMember,
            "REMOVE MEMBER [GROUP] principal FROM PROJECT project",
            "Removes a user or group from a project"),
        new("SHOW MEMBERS OF PROJECT", c => new ShowMembers(c.ExpectName("project name")),
            "SHOW MEMBERS OF PROJECT project",
            "Lists a project's members and roles"),
    ];
}
