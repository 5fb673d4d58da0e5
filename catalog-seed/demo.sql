-- The demo catalog. It runs through the same admin-command path as a user's commands (parser, permissions,
-- audit), on the first start of `datamesh serve --demo`.
--   "-- @as NAME" switches the user that runs the following commands (carol is the bootstrapped domain admin).
--   {data_dir} is replaced by the data directory.
-- Passwords equal user names: demo only.

-- @as carol
CREATE USER alice PASSWORD 'alice';
CREATE USER bob PASSWORD 'bob';
CREATE USER dave PASSWORD 'dave';
CREATE GROUP analysts;
ALTER GROUP analysts ADD USER bob;

ASSOCIATE ACCOUNT acct_marketing LOCATION '{data_dir}/accounts/acct_marketing' ADMIN alice;
ASSOCIATE ACCOUNT acct_research LOCATION '{data_dir}/accounts/acct_research' ADMIN carol;
ASSOCIATE ACCOUNT acct_finance LOCATION '{data_dir}/accounts/acct_finance' ADMIN carol;

-- @as alice
ACCEPT ACCOUNT acct_marketing;

-- @as carol
ACCEPT ACCOUNT acct_research;
ACCEPT ACCOUNT acct_finance;

CREATE PROJECT PROFILE sql_analytics
  BLUEPRINTS (workspace, query_limits WITH (memory = '2GB', timeout = '60s'))
  DESCRIPTION 'Analysts querying subscribed data products';
CREATE PROJECT PROFILE data_producer
  BLUEPRINTS (producer_storage, workspace, query_limits WITH (memory = '4GB', threads = 2, timeout = '120s'), code_repository)
  DESCRIPTION 'Teams that own and publish data products';

CREATE PROJECT marketing ACCOUNT acct_marketing PROFILE data_producer DESCRIPTION 'Marketing domain: sales and campaign data products';
CREATE PROJECT ml_research ACCOUNT acct_research PROFILE sql_analytics DESCRIPTION 'Machine-learning research: churn and propensity models';
CREATE PROJECT finance ACCOUNT acct_finance PROFILE sql_analytics DESCRIPTION 'Finance: revenue reporting and reconciliation';

ADD MEMBER alice TO PROJECT marketing AS OWNER;
ADD MEMBER bob TO PROJECT ml_research AS CONTRIBUTOR;
ADD MEMBER GROUP analysts TO PROJECT ml_research AS VIEWER;
ADD MEMBER dave TO PROJECT finance AS CONTRIBUTOR;

CREATE GLOSSARY TERM 'Sales' DESCRIPTION 'Units sold and the transactions that sold them';
CREATE GLOSSARY TERM 'Revenue' DESCRIPTION 'Income from sales, before costs';
CREATE GLOSSARY TERM 'Customer' DESCRIPTION 'A person or organisation that buys from us';
CREATE GLOSSARY TERM 'PII' DESCRIPTION 'Personally identifiable information: handle under the privacy policy';

-- @as alice
CREATE ASSET marketing.mkt_sls_table FROM 'sales/*.parquet'
  DESCRIPTION 'Daily sales transactions by region, with quantity sold and amount'
  TERMS ('Sales', 'Revenue', 'PII')
  METADATA (refresh = 'daily', steward = 'alice', classification = 'confidential');
ALTER ASSET marketing.mkt_sls_table SET COLUMN customer_email DESCRIPTION 'PII: the customer''s e-mail address';
ALTER ASSET marketing.mkt_sls_table SET COLUMN amount DESCRIPTION 'Sale amount in EUR';
ALTER ASSET marketing.mkt_sls_table SET COLUMN region DESCRIPTION 'Sales region';
PUBLISH ASSET marketing.mkt_sls_table;

CREATE ASSET marketing.campaigns FROM 'campaigns/*.parquet'
  DESCRIPTION 'Marketing campaigns with channel, start date and budget'
  TERMS ('Sales')
  METADATA (refresh = 'weekly', steward = 'alice');
PUBLISH ASSET marketing.campaigns;

CREATE ASSET marketing.draft_forecast FROM 'drafts/*.parquet'
  DESCRIPTION 'Draft revenue forecast by region (not yet published)'
  TERMS ('Revenue');

-- @as bob
REQUEST SUBSCRIPTION TO marketing.mkt_sls_table FOR PROJECT ml_research JUSTIFICATION 'churn model features';

-- @as dave
REQUEST SUBSCRIPTION TO marketing.mkt_sls_table FOR PROJECT finance JUSTIFICATION 'quarterly revenue reconciliation';

-- @as alice
APPROVE SUBSCRIPTION 1 WITH ROW FILTER (region = 'Europe') EXCLUDE COLUMNS (customer_email)
  COMMENT 'European rows only; e-mail addresses stay with marketing';
