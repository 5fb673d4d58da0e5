namespace DataMesh.Gateway.Catalog.Store;

internal static partial class Migrations
{
    /// <summary>
    /// The PostgreSQL text of each step (see <see cref="Migration"/>). Types follow what the shared statements read:
    /// integers are <c>bigint</c> (revision numbers <c>integer</c>), times stay ISO-8601 text in the store's fixed format
    /// (CatalogTime: it sorts as text, and both stores compare and parse it alike), JSON stays text. Every foreign key is
    /// DEFERRABLE so a rename can change a key and its references in one transaction. Ids the store hands out itself
    /// (audit, events, change requests) are identity columns; asset and subscription ids come from meta, never reused.
    /// </summary>
    private static class Postgres
    {
        public const string V1 = """
            CREATE COLLATION IF NOT EXISTS nocase (provider = icu, locale = 'und-u-ks-level2', deterministic = false);
            -- SQLite's JSON functions as the shared statements use them: json_each over an array (its elements as text),
            -- json_extract with a '$.key' path, json_group_array of text.
            CREATE OR REPLACE FUNCTION json_each(document text) RETURNS TABLE (value text) LANGUAGE sql IMMUTABLE
                AS $$ SELECT e FROM jsonb_array_elements_text(document::jsonb) AS e $$;
            CREATE OR REPLACE FUNCTION json_extract(document text, path text) RETURNS text LANGUAGE sql IMMUTABLE
                AS $$ SELECT document::jsonb #>> string_to_array(substr(path, 3), '.') $$;
            CREATE OR REPLACE FUNCTION json_group_array_final(items text[]) RETURNS text LANGUAGE sql IMMUTABLE
                AS $$ SELECT coalesce(to_jsonb(items)::text, '[]') $$;
            CREATE OR REPLACE AGGREGATE json_group_array(text) (SFUNC = array_append, STYPE = text[], FINALFUNC = json_group_array_final, INITCOND = '{}');
            CREATE OR REPLACE FUNCTION datamesh_append_only() RETURNS trigger LANGUAGE plpgsql
                AS $$ BEGIN RAISE EXCEPTION '%', TG_ARGV[0] USING ERRCODE = 'restrict_violation'; END $$;

            CREATE TABLE meta (key text PRIMARY KEY, value text NOT NULL);
            INSERT INTO meta VALUES ('catalog_version', '0');
            CREATE TABLE users (
                name text PRIMARY KEY, verifier text, is_domain_admin bigint NOT NULL DEFAULT 0,
                source text NOT NULL DEFAULT 'local', created_at text NOT NULL);
            CREATE TABLE groups (name text PRIMARY KEY, created_at text NOT NULL);
            CREATE TABLE group_members (
                group_name text NOT NULL REFERENCES groups(name) ON DELETE CASCADE DEFERRABLE,
                user_name text NOT NULL REFERENCES users(name) ON DELETE CASCADE DEFERRABLE,
                PRIMARY KEY (group_name, user_name));
            CREATE TABLE accounts (
                name text PRIMARY KEY, location text NOT NULL, admin text NOT NULL REFERENCES users(name) DEFERRABLE,
                status text NOT NULL CHECK (status IN ('proposed', 'accepted')), proposed_by text NOT NULL,
                created_at text NOT NULL, accepted_at text);
            CREATE TABLE blueprints (
                name text PRIMARY KEY, builtin bigint NOT NULL, steps text NOT NULL, description text, created_at text NOT NULL);
            CREATE TABLE profiles (name text PRIMARY KEY, blueprints text NOT NULL, description text, created_at text NOT NULL);
            CREATE TABLE projects (
                name text PRIMARY KEY, account text NOT NULL REFERENCES accounts(name) DEFERRABLE,
                profile text NOT NULL REFERENCES profiles(name) DEFERRABLE,
                description text, resources text NOT NULL, created_by text NOT NULL, created_at text NOT NULL);
            CREATE TABLE project_members (
                project text NOT NULL REFERENCES projects(name) ON DELETE CASCADE DEFERRABLE, principal text NOT NULL,
                is_group bigint NOT NULL, role text NOT NULL CHECK (role IN ('owner', 'contributor', 'viewer')),
                PRIMARY KEY (project, principal, is_group));
            CREATE TABLE glossary_terms (term text COLLATE nocase PRIMARY KEY, description text, created_at text NOT NULL);
            CREATE TABLE assets (
                id bigint PRIMARY KEY, project text NOT NULL REFERENCES projects(name) DEFERRABLE, name text NOT NULL,
                source text NOT NULL, resolved_path text NOT NULL, description text, terms text NOT NULL, metadata text NOT NULL,
                column_descriptions text NOT NULL, schema text NOT NULL, published bigint NOT NULL DEFAULT 0,
                latest_revision integer, created_by text NOT NULL, created_at text NOT NULL, UNIQUE (project, name));
            CREATE TABLE asset_revisions (
                asset_id bigint NOT NULL REFERENCES assets(id) DEFERRABLE, revision integer NOT NULL, schema text NOT NULL,
                description text, published_by text NOT NULL, published_at text NOT NULL, PRIMARY KEY (asset_id, revision));
            CREATE TABLE subscriptions (
                id bigint PRIMARY KEY, asset_id bigint NOT NULL REFERENCES assets(id) DEFERRABLE,
                consumer_project text NOT NULL REFERENCES projects(name) DEFERRABLE, justification text NOT NULL,
                status text NOT NULL CONSTRAINT subscriptions_status CHECK (status IN ('pending', 'approved', 'rejected', 'revoked')),
                requested_by text NOT NULL, requested_at text NOT NULL, decided_by text, decided_at text, comment text,
                row_filter text, include_columns text, exclude_columns text, masks text NOT NULL DEFAULT '[]', expires_at text);
            CREATE INDEX subscriptions_by_consumer ON subscriptions (consumer_project, status);
            CREATE INDEX subscriptions_by_asset ON subscriptions (asset_id, status);
            CREATE TABLE audit_log (
                id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, at text NOT NULL, user_name text NOT NULL, issuer text, subject text, project text,
                kind text NOT NULL, command text NOT NULL, statement_text text, outcome text NOT NULL, sql_state text,
                message text, assets text NOT NULL DEFAULT '[]', subscription_ids text NOT NULL DEFAULT '[]',
                policy_version text, row_count bigint, duration_ms double precision);
            CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
                FOR EACH ROW EXECUTE FUNCTION datamesh_append_only('the audit log is append-only');
            CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
                FOR EACH STATEMENT EXECUTE FUNCTION datamesh_append_only('the audit log is append-only');
            -- SQLite keeps asset_search (FTS5) here. PostgreSQL ranks in memory only, from these documents.
            CREATE TABLE asset_search_documents (
                asset_id bigint PRIMARY KEY, name text NOT NULL, description text NOT NULL, columns text NOT NULL,
                terms text NOT NULL, metadata text NOT NULL);
            """;

        public const string V2 = """
            INSERT INTO meta VALUES ('domain_name', 'datamesh');
            -- gen_random_uuid draws from the server's strong random source (122 random bits each).
            INSERT INTO meta VALUES ('mask_secret', encode(sha256(convert_to(gen_random_uuid()::text || gen_random_uuid()::text || gen_random_uuid()::text, 'UTF8')), 'hex'));
            """;

        public const string V3 = """
            ALTER TABLE users ADD COLUMN issuer text;
            ALTER TABLE users ADD COLUMN subject text;
            CREATE UNIQUE INDEX users_by_identity ON users (issuer, subject) WHERE issuer IS NOT NULL;
            """;

        public const string V4 = "ALTER TABLE projects ADD COLUMN storage_prefix text;";

        public const string V5 = """
            ALTER TABLE subscriptions ADD COLUMN approved_columns text;
            ALTER TABLE subscriptions ADD COLUMN approved_revision integer;
            """;

        // SQLite's second FTS5 index (published assets): PostgreSQL reads "published" from the asset row instead.
        public const string V6 = "SELECT 1;";

        public const string V7 = """
            ALTER TABLE accounts ADD COLUMN object_store text;
            ALTER TABLE assets ADD COLUMN objects text;
            ALTER TABLE assets ADD COLUMN lineage text;
            """;

        public const string V8 = """
            CREATE TABLE workspace_lineage (
                project text NOT NULL REFERENCES projects(name) DEFERRABLE, table_name text COLLATE nocase NOT NULL,
                sources text NOT NULL, updated_at text NOT NULL, PRIMARY KEY (project, table_name));
            """;

        public const string V9 = """
            CREATE TABLE catalog_changes (position bigint NOT NULL, kind text NOT NULL, key text NOT NULL, PRIMARY KEY (position, kind, key));
            UPDATE meta SET value = CAST(CAST(value AS bigint) + 1 AS text) WHERE key = 'catalog_version';
            INSERT INTO catalog_changes SELECT CAST(value AS bigint), 'all', '' FROM meta WHERE key = 'catalog_version';
            CREATE INDEX project_members_by_principal ON project_members (principal, is_group);
            CREATE INDEX group_members_by_user ON group_members (user_name);
            CREATE INDEX subscriptions_by_status ON subscriptions (status) WHERE status = 'pending';
            CREATE INDEX subscriptions_by_asset_consumer ON subscriptions (asset_id, consumer_project);
            CREATE INDEX assets_by_name ON assets (name);
            CREATE INDEX projects_by_account ON projects (account);
            """;

        public const string V10 = """
            ALTER TABLE subscriptions DROP CONSTRAINT subscriptions_status;
            ALTER TABLE subscriptions ADD CONSTRAINT subscriptions_status CHECK (status IN ('pending', 'approved', 'rejected', 'revoked', 'withdrawn'));
            CREATE TABLE events (
                id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, at text NOT NULL, kind text NOT NULL, subscription_id bigint, asset text,
                consumer_project text, owner_project text, actor text NOT NULL, detail text);
            CREATE INDEX events_by_consumer ON events (consumer_project, id);
            CREATE INDEX events_by_owner ON events (owner_project, id);
            CREATE INDEX events_by_subscription ON events (subscription_id, kind);
            CREATE TRIGGER events_no_update BEFORE UPDATE OF id, at, kind, subscription_id, actor, detail ON events
                FOR EACH ROW EXECUTE FUNCTION datamesh_append_only('events are append-only');
            CREATE TRIGGER events_no_delete BEFORE DELETE ON events FOR EACH ROW EXECUTE FUNCTION datamesh_append_only('events are append-only');
            CREATE TABLE subscription_changes (
                id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, subscription_id bigint NOT NULL, clauses text NOT NULL, justification text NOT NULL,
                status text NOT NULL CHECK (status IN ('pending', 'approved', 'rejected', 'withdrawn')),
                requested_by text NOT NULL, requested_at text NOT NULL, decided_by text, decided_at text, comment text);
            CREATE INDEX subscription_changes_by_subscription ON subscription_changes (subscription_id, status);
            ALTER TABLE glossary_terms ADD COLUMN parent text;
            ALTER TABLE glossary_terms ADD COLUMN owner_project text;
            ALTER TABLE assets ADD COLUMN column_terms text NOT NULL DEFAULT '{}';
            CREATE TABLE metadata_forms (
                name text PRIMARY KEY, description text, fields text NOT NULL, created_by text NOT NULL, created_at text NOT NULL);
            ALTER TABLE projects ADD COLUMN webhook text;
            ALTER TABLE projects ADD COLUMN oid_key text;
            CREATE TABLE webhook_cursors (project text PRIMARY KEY, last_event bigint NOT NULL);
            CREATE TABLE asset_names (asset_id bigint NOT NULL, name text NOT NULL, until text NOT NULL);
            CREATE INDEX asset_names_by_asset ON asset_names (asset_id);
            INSERT INTO meta VALUES ('last_asset_id', (SELECT CAST(coalesce(max(id), 0) AS text) FROM assets));
            INSERT INTO meta VALUES ('last_subscription_id', (SELECT CAST(coalesce(max(id), 0) AS text) FROM subscriptions));
            """;

        public const string V11 = """
            ALTER TABLE assets ADD COLUMN primary_key text NOT NULL DEFAULT '[]';
            ALTER TABLE assets ADD COLUMN cluster_by text NOT NULL DEFAULT '[]';
            """;
    }
}
