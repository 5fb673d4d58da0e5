namespace DataMesh.Gateway.Catalog.Store;

/// <summary>
/// One step of the catalog's schema, written for each store: the same version number means the same tables, columns and
/// keys in both (CatalogSchemaAgreementTests). A PostgreSQL catalog is always created empty, so its texts carry only the
/// schema; SQLite's also rewrite the rows an older release left.
/// </summary>
internal sealed record Migration(string Sqlite, string Postgres);

/// <summary>Versioned schema migrations, applied in order at startup inside one transaction each.</summary>
internal static partial class Migrations
{
    public static readonly IReadOnlyList<Migration> All =
    [
        // 1: the mesh
        new(
        """
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        INSERT INTO meta VALUES ('catalog_version', '0');
        CREATE TABLE users (
            name TEXT PRIMARY KEY, verifier TEXT, is_domain_admin INTEGER NOT NULL DEFAULT 0,
            source TEXT NOT NULL DEFAULT 'local', created_at TEXT NOT NULL);
        CREATE TABLE groups (name TEXT PRIMARY KEY, created_at TEXT NOT NULL);
        CREATE TABLE group_members (
            group_name TEXT NOT NULL REFERENCES groups(name) ON DELETE CASCADE,
            user_name TEXT NOT NULL REFERENCES users(name) ON DELETE CASCADE,
            PRIMARY KEY (group_name, user_name));
        CREATE TABLE accounts (
            name TEXT PRIMARY KEY, location TEXT NOT NULL, admin TEXT NOT NULL REFERENCES users(name),
            status TEXT NOT NULL CHECK (status IN ('proposed', 'accepted')), proposed_by TEXT NOT NULL,
            created_at TEXT NOT NULL, accepted_at TEXT);
        CREATE TABLE blueprints (
            name TEXT PRIMARY KEY, builtin INTEGER NOT NULL, steps TEXT NOT NULL, description TEXT, created_at TEXT NOT NULL);
        CREATE TABLE profiles (name TEXT PRIMARY KEY, blueprints TEXT NOT NULL, description TEXT, created_at TEXT NOT NULL);
        CREATE TABLE projects (
            name TEXT PRIMARY KEY, account TEXT NOT NULL REFERENCES accounts(name), profile TEXT NOT NULL REFERENCES profiles(name),
            description TEXT, resources TEXT NOT NULL, created_by TEXT NOT NULL, created_at TEXT NOT NULL);
        CREATE TABLE project_members (
            project TEXT NOT NULL REFERENCES projects(name) ON DELETE CASCADE, principal TEXT NOT NULL,
            is_group INTEGER NOT NULL, role TEXT NOT NULL CHECK (role IN ('owner', 'contributor', 'viewer')),
            PRIMARY KEY (project, principal, is_group));
        CREATE TABLE glossary_terms (term TEXT PRIMARY KEY COLLATE NOCASE, description TEXT, created_at TEXT NOT NULL);
        CREATE TABLE assets (
            id INTEGER PRIMARY KEY, project TEXT NOT NULL REFERENCES projects(name), name TEXT NOT NULL,
            source TEXT NOT NULL, resolved_path TEXT NOT NULL, description TEXT, terms TEXT NOT NULL, metadata TEXT NOT NULL,
            column_descriptions TEXT NOT NULL, schema TEXT NOT NULL, published INTEGER NOT NULL DEFAULT 0,
            latest_revision INTEGER, created_by TEXT NOT NULL, created_at TEXT NOT NULL, UNIQUE (project, name));
        CREATE TABLE asset_revisions (
            asset_id INTEGER NOT NULL REFERENCES assets(id), revision INTEGER NOT NULL, schema TEXT NOT NULL,
            description TEXT, published_by TEXT NOT NULL, published_at TEXT NOT NULL, PRIMARY KEY (asset_id, revision));
        CREATE TABLE subscriptions (
            id INTEGER PRIMARY KEY, asset_id INTEGER NOT NULL REFERENCES assets(id),
            consumer_project TEXT NOT NULL REFERENCES projects(name), justification TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'rejected', 'revoked')),
            requested_by TEXT NOT NULL, requested_at TEXT NOT NULL, decided_by TEXT, decided_at TEXT, comment TEXT,
            row_filter TEXT, include_columns TEXT, exclude_columns TEXT, masks TEXT NOT NULL DEFAULT '[]', expires_at TEXT);
        CREATE INDEX subscriptions_by_consumer ON subscriptions (consumer_project, status);
        CREATE INDEX subscriptions_by_asset ON subscriptions (asset_id, status);
        CREATE TABLE audit_log (
            id INTEGER PRIMARY KEY, at TEXT NOT NULL, user_name TEXT NOT NULL, issuer TEXT, subject TEXT, project TEXT,
            kind TEXT NOT NULL, command TEXT NOT NULL, statement_text TEXT, outcome TEXT NOT NULL, sql_state TEXT,
            message TEXT, assets TEXT NOT NULL DEFAULT '[]', subscription_ids TEXT NOT NULL DEFAULT '[]',
            policy_version TEXT, row_count INTEGER, duration_ms REAL);
        CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
        CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
        CREATE VIRTUAL TABLE asset_search USING fts5(name, description, columns, terms, metadata, tokenize = 'unicode61 remove_diacritics 2');
        """, Postgres.V1),

        // 2: the domain itself: its name and the secret that keys the hash mask (never readable from consumer SQL).
        new(
        """
        INSERT INTO meta VALUES ('domain_name', 'datamesh');
        INSERT INTO meta VALUES ('mask_secret', lower(hex(randomblob(32))));
        """, Postgres.V2),

        // 3: users from an identity provider are bound to the (issuer, subject) that first signed in under the name.
        new(
        """
        ALTER TABLE users ADD COLUMN issuer TEXT;
        ALTER TABLE users ADD COLUMN subject TEXT;
        CREATE UNIQUE INDEX users_by_identity ON users (issuer, subject) WHERE issuer IS NOT NULL;
        """, Postgres.V3),

        // 4: every project owns a storage prefix of its account (account-relative). Existing projects get the directory
        // their producer_storage blueprint provisioned when it lies inside the account, else their name, the default.
        // Assets keep the paths they were resolved to.
        new(
        """
        ALTER TABLE projects ADD COLUMN storage_prefix TEXT;
        UPDATE projects SET storage_prefix = coalesce(
            (SELECT rtrim(substr(json_extract(projects.resources, '$.storage'), length(rtrim(a.location, '/')) + 2), '/')
             FROM accounts a
             WHERE a.name = projects.account
               AND substr(json_extract(projects.resources, '$.storage'), 1, length(rtrim(a.location, '/')) + 1) = rtrim(a.location, '/') || '/'
               AND length(json_extract(projects.resources, '$.storage')) > length(rtrim(a.location, '/')) + 1),
            name);
        """, Postgres.V4),

        // 5: a grant pins the columns its owner approved. Existing approved (or since revoked) grants pin the columns of
        // the revision in force when they were approved (the newest published at or before decided_at), or of the
        // asset's current revision when none was (then approved_revision stays NULL), after their include/exclude filter.
        new(
        """
        ALTER TABLE subscriptions ADD COLUMN approved_columns TEXT;
        ALTER TABLE subscriptions ADD COLUMN approved_revision INTEGER;
        UPDATE subscriptions SET approved_revision =
            (SELECT max(r.revision) FROM asset_revisions r WHERE r.asset_id = subscriptions.asset_id AND r.published_at <= subscriptions.decided_at)
        WHERE status IN ('approved', 'revoked') AND decided_at IS NOT NULL;
        UPDATE subscriptions SET approved_columns = (
            SELECT json_group_array(json_extract(c.value, '$.name'))
            FROM json_each(coalesce(
                (SELECT r.schema FROM asset_revisions r WHERE r.asset_id = subscriptions.asset_id AND r.revision = subscriptions.approved_revision),
                (SELECT a.schema FROM assets a WHERE a.id = subscriptions.asset_id))) c
            WHERE (subscriptions.include_columns IS NULL
                   OR json_extract(c.value, '$.name') IN (SELECT value FROM json_each(subscriptions.include_columns)))
              AND (subscriptions.exclude_columns IS NULL
                   OR json_extract(c.value, '$.name') NOT IN (SELECT value FROM json_each(subscriptions.exclude_columns))))
        WHERE status IN ('approved', 'revoked');
        """, Postgres.V5),

        // 6: a search index of published assets only, so the ranking statistics (bm25's word frequencies) most users'
        // searches use never count an unpublished asset.
        new(
        """
        CREATE VIRTUAL TABLE asset_search_published USING fts5(name, description, columns, terms, metadata, tokenize = 'unicode61 remove_diacritics 2');
        INSERT INTO asset_search_published (rowid, name, description, columns, terms, metadata)
            SELECT s.rowid, s.name, s.description, s.columns, s.terms, s.metadata
            FROM asset_search s JOIN assets a ON a.id = s.rowid WHERE a.published = 1;
        """, Postgres.V6),

        // 7: accounts on object stores (their connection, the secret sealed), the objects an asset on one pins, and
        // the lineage of data products written by projects.
        new(
        """
        ALTER TABLE accounts ADD COLUMN object_store TEXT;
        ALTER TABLE assets ADD COLUMN objects TEXT;
        ALTER TABLE assets ADD COLUMN lineage TEXT;
        """, Postgres.V7),

        // 8: where the rows of each workspace table came from (the subscriptions, with a hash of each grant as it stood),
        // so a table derived from a grant that was revoked, expired or changed since becomes unreadable.
        new(
        """
        CREATE TABLE workspace_lineage (
            project TEXT NOT NULL REFERENCES projects(name), table_name TEXT NOT NULL COLLATE NOCASE,
            sources TEXT NOT NULL, updated_at TEXT NOT NULL, PRIMARY KEY (project, table_name));
        """, Postgres.V8),

        // 9: the change log (what each write changed, at its position = the catalog version it committed as), which
        // snapshots and the nodes of a fleet follow instead of reloading; indexes for the lookups by key that replaced
        // full-table reads (a user's projects and groups, pending requests, published assets by name). The log starts
        // with one "everything" entry: a follower of an older catalog reloads once.
        new(
        """
        CREATE TABLE catalog_changes (
            position INTEGER NOT NULL, kind TEXT NOT NULL, key TEXT NOT NULL, PRIMARY KEY (position, kind, key)) WITHOUT ROWID;
        UPDATE meta SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT) WHERE key = 'catalog_version';
        INSERT INTO catalog_changes SELECT CAST(value AS INTEGER), 'all', '' FROM meta WHERE key = 'catalog_version';
        CREATE INDEX project_members_by_principal ON project_members (principal, is_group);
        CREATE INDEX group_members_by_user ON group_members (user_name);
        CREATE INDEX subscriptions_by_status ON subscriptions (status) WHERE status = 'pending';
        CREATE INDEX subscriptions_by_asset_consumer ON subscriptions (asset_id, consumer_project);
        CREATE INDEX assets_by_name ON assets (name);
        CREATE INDEX projects_by_account ON projects (account);
        """, Postgres.V9),

        // 10: lifecycle (see Migrations.Lifecycle.cs).
        new(Lifecycle, Postgres.V10),

        // 11: an asset's declared key and clustering (ALTER ASSET … SET PRIMARY KEY / SET CLUSTER BY): business metadata
        // that the serving copy of a published revision is built from (sorted by the clustering, indexed on the key).
        new(
        """
        ALTER TABLE assets ADD COLUMN primary_key TEXT NOT NULL DEFAULT '[]';
        ALTER TABLE assets ADD COLUMN cluster_by TEXT NOT NULL DEFAULT '[]';
        """, Postgres.V11),
    ];
}
