namespace DataMesh.Gateway.Tests.AdminTranscripts;

/// <summary>The glossary, assets and their revisions, DESCRIBE ASSET, SHOW ASSETS and SEARCH CATALOG, through the real psql.</summary>
public sealed class AssetTranscriptTests
{
    private const string Script = """
        -- @as carol
        SHOW GLOSSARY;
        CREATE GLOSSARY TERM 'Net Revenue' DESCRIPTION 'Revenue after discounts and returns';
        CREATE GLOSSARY TERM churn;
        CREATE GLOSSARY TERM 'sales';
        CREATE GLOSSARY TERM 'Campaign' DESCRIPTION 'A marketing push over one channel';
        -- @as alice
        CREATE GLOSSARY TERM 'Budget';
        CREATE ASSET marketing.campaign_budget FROM 'campaigns/*.parquet'
          DESCRIPTION 'Campaign budgets by channel'
          TERMS ('Campaign', 'net revenue')
          METADATA (refresh = 'monthly', steward = 'alice');
        CREATE ASSET marketing.campaign_budget FROM 'campaigns';
        CREATE ASSET marketing.campaign_dir FROM 'campaigns' METADATA (owner = 'alice') DESCRIPTION 'Whole directory';
        CREATE ASSET marketing.escape FROM '../acct_research/x.parquet';
        CREATE ASSET marketing.absolute FROM '/etc/passwd';
        CREATE ASSET marketing.missing FROM 'nothing/*.parquet';
        CREATE ASSET marketing.bad_term FROM 'campaigns' TERMS ('Nope');
        CREATE ASSET marketing.twice FROM 'campaigns' TERMS ('Sales') TERMS ('Revenue');
        CREATE ASSET campaigns FROM 'campaigns';
        CREATE ASSET nowhere.thing FROM 'campaigns';
        SHOW GLOSSARY;
        ALTER ASSET marketing.campaign_budget SET COLUMN budget DESCRIPTION 'Planned spend in EUR';
        ALTER ASSET marketing.campaign_budget SET COLUMN nope DESCRIPTION 'x';
        ALTER ASSET marketing.campaign_budget SET DESCRIPTION 'Campaign budgets by channel and start date';
        ALTER ASSET marketing.campaign_budget SET TERMS ('Campaign', churn);
        ALTER ASSET marketing.campaign_budget SET METADATA (refresh = 'weekly');
        ALTER ASSET marketing.campaign_dir SET TERMS ();
        ALTER ASSET marketing.campaign_dir SET METADATA ();
        ALTER ASSET marketing.nope SET DESCRIPTION 'x';
        ALTER ASSET marketing.campaign_budget SET OWNER bob;
        SHOW ASSETS IN PROJECT marketing;
        DESCRIBE ASSET marketing.campaign_budget;
        PUBLISH ASSET marketing.campaign_budget;
        PUBLISH ASSET marketing.campaign_budget;
        UNPUBLISH ASSET marketing.campaign_dir;
        PUBLISH ASSET marketing.campaign_dir;
        UNPUBLISH ASSET marketing.campaign_dir;
        PUBLISH ASSET marketing.nope;
        DESCRIBE ASSET marketing.campaign_budget;
        -- @as bob
        SHOW ASSETS IN PROJECT marketing;
        SHOW ASSETS IN PROJECT nowhere;
        DESCRIBE ASSET marketing.campaign_budget;
        DESCRIBE ASSET marketing.campaign_dir;
        DESCRIBE ASSET marketing.mkt_sls_table;
        SEARCH CATALOG 'campaign';
        SEARCH CATALOG 'forecast';
        SEARCH CATALOG campaign;
        CREATE ASSET marketing.bobs FROM 'campaigns';
        ALTER ASSET marketing.campaigns SET DESCRIPTION 'mine now';
        PUBLISH ASSET marketing.draft_forecast;
        -- @as alice
        SEARCH CATALOG 'forecast';
        SEARCH CATALOG 'campaign_budget';
        SEARCH CATALOG 'zzzz';
        UNPUBLISH ASSET marketing.campaigns;
        UNPUBLISH ASSET marketing.campaigns;
        """;

    [Fact]
    public async Task Glossary_assets_and_search()
    {
        await using var gateway = TranscriptGateway.Start();
        TranscriptGateway.AssertMatches("assets", await gateway.RunAsync(Script));
    }
}
