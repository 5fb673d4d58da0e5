namespace DataMesh.Gateway.Tests.AdminTranscripts;

/// <summary>Users, groups and the domain admin role, through the real psql.</summary>
public sealed class PrincipalTranscriptTests
{
    private const string Script = """
        -- @as carol
        SHOW USERS;
        CREATE USER erin PASSWORD 'erin';
        CREATE USER frank WITH PASSWORD 'frank';
        CREATE USER "Grace" PASSWORD 'Grace';
        CREATE USER erin PASSWORD 'again';
        CREATE USER nobody PASSWORD '';
        SHOW USERS;
        -- @as erin
        SHOW USERS;
        CREATE USER mallory PASSWORD 'mallory';
        ALTER USER erin PASSWORD 'erin';
        ALTER USER frank PASSWORD 'hacked';
        -- @as carol
        ALTER USER frank WITH PASSWORD 'frank2';
        ALTER USER nobody PASSWORD 'x';
        -- @as frank
        SHOW GROUPS;
        -- @as carol
        ALTER USER frank PASSWORD 'frank';
        -- @as frank
        SHOW GROUPS;
        -- @as carol
        CREATE GROUP stewards;
        CREATE GROUP stewards;
        ALTER GROUP stewards ADD USER erin;
        ALTER GROUP stewards ADD USER frank;
        ALTER GROUP stewards ADD USER erin;
        ALTER GROUP stewards ADD USER nobody;
        ALTER GROUP nogroup ADD USER erin;
        SHOW GROUPS;
        ALTER GROUP stewards DROP USER frank;
        ALTER GROUP stewards DROP USER frank;
        ALTER GROUP stewards REMOVE USER erin;
        SHOW GROUPS;
        -- @as erin
        CREATE GROUP rogue;
        ALTER GROUP stewards ADD USER erin;
        DROP GROUP stewards;
        -- @as carol
        GRANT DOMAIN ADMIN TO erin;
        GRANT DOMAIN ADMIN TO nobody;
        -- @as erin
        CREATE GROUP erins_group;
        SHOW USERS;
        -- @as carol
        REVOKE DOMAIN ADMIN FROM erin;
        -- @as erin
        REVOKE DOMAIN ADMIN FROM carol;
        -- @as carol
        REVOKE DOMAIN ADMIN FROM carol;
        GRANT DOMAIN ADMIN erin;
        DROP GROUP erins_group;
        DROP GROUP erins_group;
        DROP GROUP stewards;
        DROP USER carol;
        DROP USER alice;
        DROP USER nobody;
        DROP USER frank;
        DROP USER frank extra;
        DROP USER "";
        CREATE USER;
        -- @as bob
        DROP USER erin;
        -- @as carol
        SHOW USERS;
        SHOW GROUPS;
        """;

    [Fact]
    public async Task Users_groups_and_domain_admins()
    {
        await using var gateway = TranscriptGateway.Start();
        TranscriptGateway.AssertMatches("principals", await gateway.RunAsync(Script));
    }
}
