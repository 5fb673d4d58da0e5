namespace DataMesh.Gateway.Tests.AdminTranscripts;

/// <summary>Associated accounts, blueprints, project profiles, projects and members, through the real psql.</summary>
public sealed class ProjectTranscriptTests
{
    private const string AccountScript = """
        -- @as carol
        SHOW ACCOUNTS;
        ASSOCIATE ACCOUNT acct_ops LOCATION '{data_dir}/accounts/acct_ops' ADMIN dave;
        ASSOCIATE ACCOUNT acct_ops LOCATION '{data_dir}/accounts/acct_ops2' ADMIN dave;
        ASSOCIATE ACCOUNT acct_rel LOCATION 'accounts/relative' ADMIN dave;
        ASSOCIATE ACCOUNT acct_nested LOCATION '{data_dir}/accounts/acct_ops/nested' ADMIN dave;
        ASSOCIATE ACCOUNT acct_ghost LOCATION '{data_dir}/accounts/acct_ghost' ADMIN ghost;
        ASSOCIATE ACCOUNT acct_bad LOCATION '/x' ADMIN;
        CREATE PROJECT ops ACCOUNT acct_ops PROFILE sql_analytics;
        -- @as dave
        ASSOCIATE ACCOUNT acct_dave LOCATION '{data_dir}/accounts/acct_dave' ADMIN dave;
        SHOW ACCOUNTS;
        -- @as bob
        ACCEPT ACCOUNT acct_ops;
        ACCEPT ACCOUNT acct_nope;
        -- @as dave
        ACCEPT ACCOUNT acct_ops;
        ACCEPT ACCOUNT acct_ops;
        CREATE PROJECT ops ACCOUNT acct_ops PROFILE sql_analytics DESCRIPTION 'Operations analytics';
        CREATE PROJECT ops2 ACCOUNT acct_research PROFILE sql_analytics;
        SHOW PROJECTS;
        -- @as carol
        DROP USER dave;
        SHOW ACCOUNTS;
        """;

    private const string ProjectScript = """
        -- @as carol
        SHOW BLUEPRINTS;
        SHOW PROJECT PROFILES;
        CREATE BLUEPRINT analytics_base AS (workspace, query_limits WITH (memory = '1GB', threads = 4, timeout = '30s'));
        CREATE BLUEPRINT analytics_base AS (workspace);
        CREATE BLUEPRINT workspace AS (query_limits);
        CREATE BLUEPRINT bad_param AS (workspace WITH (size = '1GB'));
        CREATE BLUEPRINT bad_memory AS (query_limits WITH (memory = 'lots'));
        CREATE BLUEPRINT bad_threads AS (query_limits WITH (threads = 0));
        CREATE BLUEPRINT bad_timeout AS (query_limits WITH (timeout = '1 day'));
        CREATE BLUEPRINT bad_path AS (producer_storage WITH (path = '../elsewhere'));
        CREATE BLUEPRINT bad_branch AS (code_repository WITH (branch = 'no spaces'));
        CREATE BLUEPRINT nested AS (analytics_base);
        CREATE BLUEPRINT unquoted AS (query_limits WITH (memory = 2GB));
        CREATE BLUEPRINT twice AS (query_limits WITH (threads = 2, threads = 3));
        CREATE BLUEPRINT empty AS ();
        CREATE PROJECT PROFILE lab BLUEPRINTS (analytics_base, code_repository WITH (branch = 'trunk')) DESCRIPTION 'Lab projects';
        CREATE PROJECT PROFILE lab BLUEPRINTS (workspace);
        CREATE PROJECT PROFILE broken BLUEPRINTS (analytics_base WITH (memory = '2GB'));
        CREATE PROJECT PROFILE doubled BLUEPRINTS (analytics_base, workspace);
        CREATE PROJECT PROFILE unknown_bp BLUEPRINTS (warehouse);
        CREATE PROJECT PROFILE minimal BLUEPRINTS (query_limits);
        SHOW BLUEPRINTS;
        SHOW PROJECT PROFILES;
        CREATE PROJECT lab1 ACCOUNT acct_research PROFILE lab DESCRIPTION 'First lab';
        CREATE PROJECT lab1 ACCOUNT acct_research PROFILE lab;
        CREATE PROJECT postgres ACCOUNT acct_research PROFILE minimal;
        CREATE PROJECT lab2 ACCOUNT acct_nowhere PROFILE lab;
        CREATE PROJECT lab2 ACCOUNT acct_research PROFILE nowhere;
        CREATE PROJECT profile ACCOUNT acct_research PROFILE minimal;
        CREATE PROJECT producer ACCOUNT acct_marketing PROFILE data_producer;
        CREATE PROJECT PROFILE shared_store BLUEPRINTS (producer_storage WITH (path = 'shared/data'));
        CREATE PROJECT shared1 ACCOUNT acct_marketing PROFILE shared_store;
        CREATE PROJECT shared2 ACCOUNT acct_marketing PROFILE shared_store;
        CREATE PROJECT "Marketing" ACCOUNT acct_marketing PROFILE minimal;
        CREATE PROJECT "a/b" ACCOUNT acct_marketing PROFILE minimal;
        DESCRIBE PROJECT shared1;
        -- @as alice
        CREATE PROJECT lab3 ACCOUNT acct_research PROFILE lab;
        CREATE PROJECT PROFILE mine BLUEPRINTS (workspace);
        CREATE BLUEPRINT mine AS (workspace);
        CREATE PROJECT campaigns ACCOUNT acct_marketing PROFILE minimal DESCRIPTION 'Campaign planning';
        SHOW PROJECTS;
        -- the creator is not made a member: only a domain admin can add the first owner
        ADD MEMBER bob TO PROJECT campaigns AS CONTRIBUTOR;
        SHOW MEMBERS OF PROJECT campaigns;
        -- @as carol
        ADD MEMBER alice TO PROJECT campaigns AS OWNER;
        -- @as alice
        ADD MEMBER bob TO PROJECT campaigns AS CONTRIBUTOR;
        ADD MEMBER GROUP analysts TO PROJECT campaigns AS VIEWER;
        ADD MEMBER dave TO PROJECT campaigns AS OWNER;
        ADD MEMBER dave TO PROJECT campaigns AS VIEWER;
        ADD MEMBER nobody TO PROJECT campaigns AS VIEWER;
        ADD MEMBER GROUP nogroup TO PROJECT campaigns AS VIEWER;
        ADD MEMBER bob TO PROJECT ml_research AS VIEWER;
        ADD MEMBER bob TO PROJECT campaigns AS BOSS;
        SHOW MEMBERS OF PROJECT campaigns;
        -- @as bob
        SHOW MEMBERS OF PROJECT campaigns;
        SHOW PROJECTS;
        ADD MEMBER dave TO PROJECT campaigns AS CONTRIBUTOR;
        SHOW MEMBERS OF PROJECT finance;
        SHOW MEMBERS OF PROJECT nowhere;
        DESCRIBE PROJECT campaigns;
        DESCRIBE PROJECT marketing;
        DESCRIBE PROJECT nowhere;
        -- @as alice
        REMOVE MEMBER dave FROM PROJECT campaigns;
        REMOVE MEMBER GROUP analysts FROM PROJECT campaigns;
        REMOVE MEMBER GROUP analysts FROM PROJECT campaigns;
        REMOVE MEMBER alice FROM PROJECT campaigns;
        -- @as carol
        CREATE USER group PASSWORD 'group';
        ADD MEMBER group TO PROJECT campaigns AS VIEWER;
        ADD MEMBER GROUP analysts TO PROJECT campaigns AS CONTRIBUTOR;
        SHOW MEMBERS OF PROJECT campaigns;
        REMOVE MEMBER group FROM PROJECT campaigns;
        REMOVE MEMBER GROUP analysts FROM PROJECT campaigns;
        REMOVE MEMBER bob FROM PROJECT campaigns;
        REMOVE MEMBER alice FROM PROJECT campaigns;
        SHOW MEMBERS OF PROJECT campaigns;
        SHOW PROJECTS;
        """;

    [Fact]
    public async Task Associated_accounts()
    {
        await using var gateway = TranscriptGateway.Start();
        TranscriptGateway.AssertMatches("accounts", await gateway.RunAsync(AccountScript));
    }

    [Fact]
    public async Task Blueprints_profiles_projects_and_members()
    {
        await using var gateway = TranscriptGateway.Start();
        TranscriptGateway.AssertMatches("projects", await gateway.RunAsync(ProjectScript));
    }
}
