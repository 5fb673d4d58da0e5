namespace DataMesh.Gateway.Tests.AdminTranscripts;

/// <summary>Subscription requests and decisions (filters, column filters, masks, expiry) and the audit log, through the real psql.</summary>
public sealed class SubscriptionTranscriptTests
{
    private const string Script = """
        -- @as alice
        SHOW SUBSCRIPTION REQUESTS;
        -- @as bob
        SHOW SUBSCRIPTION REQUESTS;
        SHOW SUBSCRIPTIONS FOR PROJECT ml_research;
        SHOW SUBSCRIPTIONS FOR PROJECT finance;
        SHOW SUBSCRIPTIONS FOR PROJECT nowhere;
        REQUEST SUBSCRIPTION TO marketing.campaigns FOR PROJECT ml_research JUSTIFICATION 'campaign response features';
        REQUEST SUBSCRIPTION TO marketing.campaigns FOR PROJECT ml_research JUSTIFICATION 'again';
        REQUEST SUBSCRIPTION TO marketing.mkt_sls_table FOR PROJECT ml_research JUSTIFICATION 'again';
        REQUEST SUBSCRIPTION TO marketing.draft_forecast FOR PROJECT ml_research JUSTIFICATION 'drafts';
        REQUEST SUBSCRIPTION TO marketing.campaigns FOR PROJECT finance JUSTIFICATION 'not my project';
        REQUEST SUBSCRIPTION TO marketing.campaigns FOR PROJECT ml_research JUSTIFICATION '   ';
        REQUEST SUBSCRIPTION TO marketing.campaigns FOR PROJECT ml_research;
        APPROVE SUBSCRIPTION 3;
        -- @as alice
        REQUEST SUBSCRIPTION TO marketing.campaigns FOR PROJECT marketing JUSTIFICATION 'own asset';
        SHOW SUBSCRIPTION REQUESTS;
        APPROVE SUBSCRIPTION 1;
        APPROVE SUBSCRIPTION 999;
        APPROVE SUBSCRIPTION 0;
        APPROVE SUBSCRIPTION 2.5;
        APPROVE SUBSCRIPTION 2 WITH ROW FILTER (region IN (SELECT region FROM other));
        APPROVE SUBSCRIPTION 2 WITH ROW FILTER (random() < 0.5);
        APPROVE SUBSCRIPTION 2 WITH ROW FILTER (country = 'DE');
        APPROVE SUBSCRIPTION 2 WITH ROW FILTER (region = );
        APPROVE SUBSCRIPTION 2 WITH ROW FILTER ();
        APPROVE SUBSCRIPTION 2 WITH ROW FILTER (amount > 10) WITH ROW FILTER (amount > 20);
        APPROVE SUBSCRIPTION 2 INCLUDE COLUMNS (region) EXCLUDE COLUMNS (amount);
        APPROVE SUBSCRIPTION 2 INCLUDE COLUMNS (region, region);
        APPROVE SUBSCRIPTION 2 INCLUDE COLUMNS (region, nope);
        APPROVE SUBSCRIPTION 2 EXCLUDE COLUMNS (item_id, sales_qty_sld, region, sale_date, amount, customer_email);
        APPROVE SUBSCRIPTION 2 INCLUDE COLUMNS (region, amount) MASK COLUMNS (customer_email USING hash);
        APPROVE SUBSCRIPTION 2 MASK COLUMNS (region USING year);
        APPROVE SUBSCRIPTION 2 MASK COLUMNS (amount USING partial(1, 1));
        APPROVE SUBSCRIPTION 2 MASK COLUMNS (region USING hash, region USING redact);
        APPROVE SUBSCRIPTION 2 MASK COLUMNS (region USING scramble);
        APPROVE SUBSCRIPTION 2 EXPIRES '2001-01-01';
        APPROVE SUBSCRIPTION 2 EXPIRES 'next tuesday';
        APPROVE SUBSCRIPTION 2 EXPIRES IN INTERVAL 'forever';
        APPROVE SUBSCRIPTION 2 COMMENT 'a' COMMENT 'b';
        APPROVE SUBSCRIPTION 2 PLEASE;
        APPROVE SUBSCRIPTION 2
          WITH ROW FILTER (lower(region) IN ('europe', 'north america') AND amount BETWEEN 0 AND 100000)
          MASK COLUMNS (customer_email USING partial(2, 4), sale_date USING year, item_id USING hash, sales_qty_sld USING null, region USING redact)
          EXPIRES '2099-12-31'
          COMMENT 'Finance may reconcile; e-mails partially masked';
        REJECT SUBSCRIPTION 2;
        REVOKE SUBSCRIPTION 3;
        APPROVE SUBSCRIPTION 3 INCLUDE COLUMNS (campaign_id, channel, budget) MASK COLUMNS (name USING partial(3)) EXPIRES IN INTERVAL '30 days';
        APPROVE SUBSCRIPTION 3 INCLUDE COLUMNS (campaign_id, channel, budget) MASK COLUMNS (channel USING partial(3)) EXPIRES IN INTERVAL '30 days';
        -- @as bob
        SHOW SUBSCRIPTIONS FOR PROJECT ml_research;
        REVOKE SUBSCRIPTION 1 COMMENT 'not mine to revoke';
        -- @as alice
        REVOKE SUBSCRIPTION 1 COMMENT 'Model retired';
        REVOKE SUBSCRIPTION 1;
        APPROVE SUBSCRIPTION 1;
        -- @as bob
        REQUEST SUBSCRIPTION TO marketing.mkt_sls_table FOR PROJECT ml_research JUSTIFICATION 'new churn model';
        -- @as alice
        REJECT SUBSCRIPTION 4 COMMENT 'Use the aggregated product instead';
        REJECT SUBSCRIPTION 4;
        -- @as bob
        SHOW SUBSCRIPTIONS FOR PROJECT ml_research;
        SHOW SUBSCRIPTION REQUESTS;
        -- @as dave
        SHOW SUBSCRIPTIONS FOR PROJECT finance;
        SHOW AUDIT LIMIT 3;
        -- @as carol
        DESCRIBE ASSET marketing.mkt_sls_table;
        SHOW SUBSCRIPTION REQUESTS;
        SHOW AUDIT LIMIT 6;
        SHOW AUDIT LIMIT 0;
        SHOW AUDIT LIMIT 10001;
        SHOW AUDIT LIMIT many;
        REVOKE SUBSCRIPTION 999;
        SHOW AUDIT LIMIT 2;
        CREATE USER zoe PASSWORD 'secret-zoe';
        ALTER USER zoe WITH PASSWORD 'zoe';
        SHOW AUDIT LIMIT 3;
        -- @as zoe
        SHOW AUDIT;
        """;

    [Fact]
    public async Task Requests_decisions_and_audit()
    {
        await using var gateway = TranscriptGateway.Start();
        TranscriptGateway.AssertMatches("subscriptions", await gateway.RunAsync(Script));
    }
}
