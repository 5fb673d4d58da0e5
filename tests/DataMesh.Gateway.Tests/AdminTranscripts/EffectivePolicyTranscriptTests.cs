namespace DataMesh.Gateway.Tests.AdminTranscripts;

/// <summary>SHOW EFFECTIVE POLICY through the real psql: the demo grants, a masked approval, a revocation, errors and refusals.</summary>
public sealed class EffectivePolicyTranscriptTests
{
    private const string Script = """
        -- @as alice
        SHOW EFFECTIVE POLICY FOR PROJECT ml_research ON marketing.mkt_sls_table;
        SHOW EFFECTIVE POLICY FOR PROJECT finance ON marketing.mkt_sls_table;
        SHOW EFFECTIVE POLICY FOR PROJECT marketing ON marketing.mkt_sls_table;
        SHOW EFFECTIVE POLICY FOR PROJECT ml_research ON marketing.campaigns;
        SHOW EFFECTIVE POLICY FOR PROJECT ml_research ON marketing.draft_forecast;
        APPROVE SUBSCRIPTION 2 WITH ROW FILTER (amount > 100)
          MASK COLUMNS (customer_email USING partial(2, 4), sale_date USING year, item_id USING hash) EXPIRES '2099-12-31';
        SHOW EFFECTIVE POLICY FOR PROJECT finance ON marketing.mkt_sls_table;
        REVOKE SUBSCRIPTION 1;
        SHOW EFFECTIVE POLICY FOR PROJECT ml_research ON marketing.mkt_sls_table;
        SHOW EFFECTIVE POLICY FOR PROJECT nowhere ON marketing.mkt_sls_table;
        SHOW EFFECTIVE POLICY FOR PROJECT ml_research ON marketing.nothing;
        SHOW EFFECTIVE POLICY FOR PROJECT ml_research ON mkt_sls_table;
        SHOW EFFECTIVE POLICY ml_research ON marketing.mkt_sls_table;
        SHOW EFFECTIVE POLICY FOR PROJECT ml_research ON marketing.mkt_sls_table LIMIT 1;
        -- @as bob
        SHOW EFFECTIVE POLICY FOR PROJECT ml_research ON marketing.mkt_sls_table;
        SHOW EFFECTIVE POLICY FOR PROJECT ml_research ON marketing.draft_forecast;
        -- @as carol
        SHOW EFFECTIVE POLICY FOR PROJECT finance ON marketing.mkt_sls_table;
        SHOW AUDIT LIMIT 3;
        """;

    [Fact]
    public async Task Effective_policy_for_owners_and_domain_admins()
    {
        await using var gateway = TranscriptGateway.Start();
        TranscriptGateway.AssertMatches("effective_policy", await gateway.RunAsync(Script));
    }
}
