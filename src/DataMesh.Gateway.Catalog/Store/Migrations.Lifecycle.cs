namespace DataMesh.Gateway.Catalog.Store;

internal static partial class Migrations
{
    // 10: lifecycle. Subscriptions may be withdrawn (SQLite cannot change a CHECK constraint, so the table is rebuilt with
    // the same rows); the events that LISTEN, webhooks and the portal follow (append-only, ids never reused); changes
    // consumers ask for; glossary hierarchy and project glossaries; column terms; metadata forms; project webhooks and
    // the schema-OID key a rename keeps; an asset's former names (its usage follows renames); and the highest asset and
    // subscription ids ever given out, so an id freed by DROP is never handed to something else. Events are history: only
    // a rename may rewrite the project and asset names they carry, so a renamed project keeps its notifications.
    private const string Lifecycle = """
        CREATE TABLE subscriptions_v10 (
            id INTEGER PRIMARY KEY, asset_id INTEGER NOT NULL REFERENCES assets(id),
            consumer_project TEXT NOT NULL REFERENCES projects(name), justification TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'rejected', 'revoked', 'withdrawn')),
            requested_by TEXT NOT NULL, requested_at TEXT NOT NULL, decided_by TEXT, decided_at TEXT, comment TEXT,
            row_filter TEXT, include_columns TEXT, exclude_columns TEXT, masks TEXT NOT NULL DEFAULT '[]', expires_at TEXT,
            approved_columns TEXT, approved_revision INTEGER);
        INSERT INTO subscriptions_v10 (id, asset_id, consumer_project, justification, status, requested_by, requested_at, decided_by, decided_at,
            comment, row_filter, include_columns, exclude_columns, masks, expires_at, approved_columns, approved_revision)
            SELECT id, asset_id, consumer_project, justification, status, requested_by, requested_at, decided_by, decided_at,
            comment, row_filter, include_columns, exclude_columns, masks, expires_at, approved_columns, approved_revision FROM subscriptions;
        DROP TABLE subscriptions;
        ALTER TABLE subscriptions_v10 RENAME TO subscriptions;
        CREATE INDEX subscriptions_by_consumer ON subscriptions (consumer_project, status);
        CREATE INDEX subscriptions_by_asset ON subscriptions (asset_id, status);
        CREATE INDEX subscriptions_by_status ON subscriptions (status) WHERE status = 'pending';
        CREATE INDEX subscriptions_by_asset_consumer ON subscriptions (asset_id, consumer_project);

        CREATE TABLE events (
            id INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, kind TEXT NOT NULL, subscription_id INTEGER, asset TEXT,
            consumer_project TEXT, owner_project TEXT, actor TEXT NOT NULL, detail TEXT);
        CREATE INDEX events_by_consumer ON events (consumer_project, id);
        CREATE INDEX events_by_owner ON events (owner_project, id);
        CREATE INDEX events_by_subscription ON events (subscription_id, kind);
        CREATE TRIGGER events_no_update BEFORE UPDATE OF id, at, kind, subscription_id, actor, detail ON events BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
        CREATE TRIGGER events_no_delete BEFORE DELETE ON events BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;

        CREATE TABLE subscription_changes (
            id INTEGER PRIMARY KEY AUTOINCREMENT, subscription_id INTEGER NOT NULL, clauses TEXT NOT NULL, justification TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'rejected', 'withdrawn')),
            requested_by TEXT NOT NULL, requested_at TEXT NOT NULL, decided_by TEXT, decided_at TEXT, comment TEXT);
        CREATE INDEX subscription_changes_by_subscription ON subscription_changes (subscription_id, status);

        ALTER TABLE glossary_terms ADD COLUMN parent TEXT;
        ALTER TABLE glossary_terms ADD COLUMN owner_project TEXT;
        ALTER TABLE assets ADD COLUMN column_terms TEXT NOT NULL DEFAULT '{}';
        CREATE TABLE metadata_forms (
            name TEXT PRIMARY KEY, description TEXT, fields TEXT NOT NULL, created_by TEXT NOT NULL, created_at TEXT NOT NULL);
        ALTER TABLE projects ADD COLUMN webhook TEXT;
        ALTER TABLE projects ADD COLUMN oid_key TEXT;
        CREATE TABLE webhook_cursors (project TEXT PRIMARY KEY, last_event INTEGER NOT NULL);
        CREATE TABLE asset_names (asset_id INTEGER NOT NULL, name TEXT NOT NULL, until TEXT NOT NULL);
        CREATE INDEX asset_names_by_asset ON asset_names (asset_id);

        INSERT INTO meta VALUES ('last_asset_id', (SELECT CAST(coalesce(max(id), 0) AS TEXT) FROM assets));
        INSERT INTO meta VALUES ('last_subscription_id', (SELECT CAST(coalesce(max(id), 0) AS TEXT) FROM subscriptions));
        """;
}
