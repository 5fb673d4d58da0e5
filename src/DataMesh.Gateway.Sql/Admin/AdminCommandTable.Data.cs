namespace DataMesh.Gateway.Sql.Admin;

/// <summary>Glossary, metadata forms, assets, search, subscriptions, notifications and audit.</summary>
internal static partial class AdminCommandTable
{
    /// <summary>Every command, in HELP's order.</summary>
    public static readonly IReadOnlyList<AdminCommand> All = [.. Domain(), .. Data(), .. Subscriptions()];

    private static IEnumerable<AdminCommand> Data() =>
    [
        new("CREATE GLOSSARY TERM", GlossaryGrammar.CreateTerm,
            "CREATE GLOSSARY TERM 'Term' | term [DESCRIPTION '...'] [PARENT 'Term'] [OWNER PROJECT project]",
            "Defines a business term, in the domain's glossary or a project's"),
        new("ALTER GLOSSARY TERM", GlossaryGrammar.AlterTerm,
            """
            ALTER GLOSSARY TERM 'Term' SET DESCRIPTION '...'
            ALTER GLOSSARY TERM 'Term' SET PARENT 'Term' | NONE
            ALTER GLOSSARY TERM 'Term' RENAME TO 'Term'
            """,
            "Edits a term: its description, its parent, its name"),
        new("DROP GLOSSARY TERM", GlossaryGrammar.DropTerm,
            "DROP GLOSSARY TERM 'Term' [CASCADE | RESTRICT]",
            "Removes a term (CASCADE: also from assets and columns, with its narrower terms)"),
        new("SHOW GLOSSARY", c => new ShowGlossary(),
            "SHOW GLOSSARY",
            "Lists the glossary terms with their parents and owners"),
        new("CREATE METADATA FORM", GlossaryGrammar.CreateForm,
            "CREATE METADATA FORM name ( field TEXT | INTEGER | NUMBER | BOOLEAN | DATE | ONE OF ('a', ...) [REQUIRED], ... ) [DESCRIPTION '...']",
            "Defines typed metadata fields that PUBLISH ASSET checks"),
        new("DROP METADATA FORM", c => new DropMetadataForm(c.ExpectName("form name")),
            "DROP METADATA FORM name",
            "Removes a metadata form"),
        new("SHOW METADATA FORMS", c => new ShowMetadataForms(),
            "SHOW METADATA FORMS",
            "Lists the metadata forms and their fields"),
        new("CREATE ASSET", AssetGrammar.CreateAsset,
            """
            CREATE ASSET project.asset FROM 'relative/source' [clauses]
            CREATE ASSET project.asset FROM WORKSPACE TABLE table [clauses]
            CREATE ASSET project.asset [clauses] AS query
              clauses: [DESCRIPTION '...'] [TERMS ('Term', term, ...)] [METADATA (key = 'value', ...)]
            """,
            "Registers Parquet files of the project's storage as an asset, or writes a data product (in the inventory)"),
        new("ALTER ASSET", AssetGrammar.AlterAsset,
            """
            ALTER ASSET project.asset SET COLUMN column DESCRIPTION '...'
            ALTER ASSET project.asset SET COLUMN column TERMS ( 'Term', ... )
            ALTER ASSET project.asset SET DESCRIPTION '...'
            ALTER ASSET project.asset SET TERMS ( 'Term', ... )
            ALTER ASSET project.asset SET METADATA ( key = 'value', ... )
            ALTER ASSET project.asset SET PRIMARY KEY ( column, ... )
            ALTER ASSET project.asset SET CLUSTER BY ( column, ... )
            ALTER ASSET project.asset RENAME TO name
            """,
            "Edits an asset's descriptions, terms, metadata, declared key and clustering, or renames it"),
        new("DROP ASSET", c => new DropAsset(c.ExpectAssetName(), LifecycleGrammar.Cascade(c)),
            "DROP ASSET project.asset [CASCADE | RESTRICT]",
            "Removes an asset (CASCADE: revokes its subscriptions)"),
        new("PUBLISH ASSET", c => new PublishAsset(c.ExpectAssetName()),
            "PUBLISH ASSET project.asset",
            "Records a new revision and makes the asset visible to everyone"),
        new("UNPUBLISH ASSET", c => new UnpublishAsset(c.ExpectAssetName()),
            "UNPUBLISH ASSET project.asset",
            "Returns an asset to its project's inventory"),
        new("DESCRIBE ASSET", AssetGrammar.DescribeAsset,
            """
            DESCRIBE ASSET project.asset
            DESCRIBE ASSET project.asset REVISION n
            DESCRIBE ASSET project.asset REVISION n DIFF [FROM m]
            """,
            "An asset's details, one revision's schema, or the schema changes between revisions"),
        new("SHOW ASSETS IN PROJECT", c => new ShowAssets(c.ExpectName("project name")),
            "SHOW ASSETS IN PROJECT project",
            "Lists a project's assets"),
        new("SEARCH CATALOG", c => new SearchCatalog(c.ExpectString("search text (string literal)")),
            "SEARCH CATALOG 'text'",
            "Full-text search over the assets you can see"),
        new("SHOW USAGE OF ASSET", AuditGrammar.ShowUsage,
            "SHOW USAGE OF ASSET project.asset [SINCE 'time']",
            "Who read an asset, from which project, how often and when (its owners)"),
        new("SHOW AUDIT", AuditGrammar.ShowAudit,
            """
            SHOW AUDIT [WHERE condition [AND condition ...]] [LIMIT n]
              condition: user = name | asset = project.asset | project = name | since 'time' | until 'time'
            SHOW AUDIT [USER name] [ASSET project.asset] [PROJECT name] [SINCE 'time'] [UNTIL 'time'] [LIMIT n]
            """,
            "The audit log records you may see, newest first"),
        new("EXPORT AUDIT", AuditGrammar.ExportAudit,
            """
            EXPORT AUDIT [WHERE condition [AND condition ...]] [LIMIT n] [FORMAT CSV | PARQUET]
              the filters of SHOW AUDIT; sent as COPY OUT data: psql -c "EXPORT AUDIT …" > audit.csv
            """,
            "The audit log records you may see, as a CSV or Parquet file"),
    ];

    private static IEnumerable<AdminCommand> Subscriptions() =>
    [
        new("REQUEST SUBSCRIPTION", SubscriptionGrammar.RequestSubscription,
            "REQUEST SUBSCRIPTION TO project.asset FOR PROJECT consumer JUSTIFICATION '...'",
            "A consumer project asks for access to a published asset"),
        new("WITHDRAW SUBSCRIPTION REQUEST", c => new WithdrawSubscriptionRequest(c.ExpectSubscriptionId()),
            "WITHDRAW SUBSCRIPTION REQUEST id",
            "The consumer project takes back its pending request"),
        new("SHOW SUBSCRIPTION REQUESTS", c => new ShowSubscriptionRequests(),
            "SHOW SUBSCRIPTION REQUESTS",
            "Pending requests you may decide or that your projects made"),
        new("APPROVE SUBSCRIPTION", ApproveGrammar.ApproveSubscription,
            """
            APPROVE SUBSCRIPTION id
              [WITH ROW FILTER ( boolean expression )]
              [INCLUDE COLUMNS ( col, ... ) | EXCLUDE COLUMNS ( col, ... )]
              [MASK COLUMNS ( col USING HASH | REDACT | NULL | YEAR | PARTIAL(first[, last]), ... )]
              [EXPIRES 'timestamp' | EXPIRES IN INTERVAL 'interval']
              [COMMENT '...']
            APPROVE SUBSCRIPTION id ADD COLUMNS ( col [USING mask], ... ) [COMMENT '...']
            """,
            "An owner grants a pending request, with its row filter, columns, masks and expiry"),
        new("REJECT SUBSCRIPTION", SubscriptionGrammar.RejectSubscription,
            "REJECT SUBSCRIPTION id [COMMENT '...']",
            "An owner turns a pending request down"),
        new("REVOKE SUBSCRIPTION", SubscriptionGrammar.RevokeSubscription,
            "REVOKE SUBSCRIPTION id [COMMENT '...']",
            "An owner ends an approved grant"),
        new("ALTER SUBSCRIPTION", ChangeGrammar.AlterSubscription,
            """
            ALTER SUBSCRIPTION id change [change ...] [COMMENT '...']
              change: SET ROW FILTER ( boolean expression ) | SET ROW FILTER NONE
                    | SET COLUMNS ALL | SET COLUMNS INCLUDE ( col, ... ) | SET COLUMNS EXCLUDE ( col, ... )
                    | SET MASK ( col USING mask, ... ) | SET MASK NONE
                    | SET EXPIRES 'timestamp' | SET EXPIRES IN INTERVAL 'interval' | SET EXPIRES NEVER
                    | ADD COLUMNS ( col [USING mask], ... )
            """,
            "An owner changes an approved grant (validated like APPROVE)"),
        new("REQUEST SUBSCRIPTION CHANGE", ChangeGrammar.RequestChange,
            "REQUEST SUBSCRIPTION CHANGE id change [change ...] JUSTIFICATION '...'",
            "A consumer project asks the owner to change its grant"),
        new("APPROVE SUBSCRIPTION CHANGE", c => new DecideSubscriptionChange(c.ExpectSubscriptionId(), true, ChangeGrammar.OptionalComment(c)),
            "APPROVE SUBSCRIPTION CHANGE id [COMMENT '...']",
            "An owner applies the change a consumer asked for"),
        new("REJECT SUBSCRIPTION CHANGE", c => new DecideSubscriptionChange(c.ExpectSubscriptionId(), false, ChangeGrammar.OptionalComment(c)),
            "REJECT SUBSCRIPTION CHANGE id [COMMENT '...']",
            "An owner turns a change request down"),
        new("WITHDRAW SUBSCRIPTION CHANGE", c => new WithdrawSubscriptionChange(c.ExpectSubscriptionId()),
            "WITHDRAW SUBSCRIPTION CHANGE id",
            "The consumer project takes back its change request"),
        new("SHOW SUBSCRIPTION CHANGES", c => new ShowSubscriptionChanges(),
            "SHOW SUBSCRIPTION CHANGES",
            "Pending change requests you may decide or that your projects made"),
        new("SHOW SUBSCRIPTIONS FOR PROJECT", c => new ShowSubscriptions(c.ExpectName("project name")),
            "SHOW SUBSCRIPTIONS FOR PROJECT consumer",
            "A consumer project's subscriptions in every state"),
        new("SHOW EFFECTIVE POLICY", SubscriptionGrammar.ShowEffectivePolicy,
            "SHOW EFFECTIVE POLICY FOR PROJECT consumer ON project.asset",
            "What a consumer project's queries may read of an asset now"),
        new("SHOW EVENTS", AuditGrammar.ShowEvents,
            "SHOW EVENTS [LIMIT n]",
            "Subscription events that concern you, newest first (what LISTEN delivers)"),
    ];
}
