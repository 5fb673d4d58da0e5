using DataMesh.Gateway.Engine.Instances;

namespace DataMesh.Gateway.Engine;

/// <summary>
/// The pg_catalog relations of the emulation beyond the type tables: what psql's <c>\d</c> family, pgjdbc's
/// DatabaseMetaData, SQLAlchemy's reflection and BI tools read. Each has PostgreSQL's column names (the ones clients
/// select) with PostgreSQL's types. They describe only the instance's shadow tables: no relation here reads DuckDB's
/// catalog, files or settings. Relations for objects the gateway never has (indexes, constraints, policies,
/// triggers, publications, extensions, sequences) exist and are empty, so client queries run and find nothing.
/// Sizes and row counts are never reported: they would be computed over hidden rows.
/// </summary>
internal static class PgCatalogRelations
{
    private const string O = Types.TypeMapper.OidAlias;
    private const string N = Types.TypeMapper.NameAlias;
    private const string C = Types.TypeMapper.CharAlias;

    /// <summary>The role every catalog object is owned by (PostgreSQL's bootstrap superuser OID).</summary>
    public const int OwnerRoleOid = 10;

    public const string OwnerRoleName = "datamesh";

    /// <summary>pg_database_owner, which owns PostgreSQL 15's public schema.</summary>
    public const int DatabaseOwnerRoleOid = 6171;

    /// <summary>A session's own role OID: stable for a user name across sessions and instances.</summary>
    public static readonly string UserRoleOid = $"(16384 + hash({PgCatalogEmulation.Identity("user")}) % 1000000)::{O}";

    public static IEnumerable<string> Statements(IReadOnlyList<(string Name, string Boot, string Context, string Type)> settings)
    {
        yield return $$"""
            CREATE TABLE pg_class (oid {{O}}, relname {{N}}, relnamespace {{O}}, reltype {{O}} DEFAULT 0, reloftype {{O}} DEFAULT 0,
              relowner {{O}} DEFAULT {{OwnerRoleOid}}, relam {{O}} DEFAULT 2, relfilenode {{O}} DEFAULT 0, reltablespace {{O}} DEFAULT 0,
              relpages INTEGER DEFAULT 0, reltuples REAL DEFAULT -1, relallvisible INTEGER DEFAULT 0, reltoastrelid {{O}} DEFAULT 0,
              relhasindex BOOLEAN DEFAULT false, relisshared BOOLEAN DEFAULT false, relpersistence {{C}} DEFAULT 'p', relkind {{C}} DEFAULT 'r',
              relnatts SMALLINT, relchecks SMALLINT DEFAULT 0, relhasrules BOOLEAN DEFAULT false, relhastriggers BOOLEAN DEFAULT false,
              relhassubclass BOOLEAN DEFAULT false, relrowsecurity BOOLEAN DEFAULT false, relforcerowsecurity BOOLEAN DEFAULT false,
              relispopulated BOOLEAN DEFAULT true, relreplident {{C}} DEFAULT 'd', relispartition BOOLEAN DEFAULT false,
              relrewrite {{O}} DEFAULT 0, relfrozenxid {{O}} DEFAULT 0, relminmxid {{O}} DEFAULT 0, relacl VARCHAR[], reloptions VARCHAR[],
              relpartbound VARCHAR)
            """;
        yield return $$"""
            CREATE TABLE pg_attribute (attrelid {{O}}, attname {{N}}, atttypid {{O}}, attstattarget INTEGER DEFAULT -1, attlen SMALLINT,
              attnum SMALLINT, attndims INTEGER DEFAULT 0, attcacheoff INTEGER DEFAULT -1, atttypmod INTEGER, attbyval BOOLEAN DEFAULT false,
              attalign {{C}} DEFAULT 'i', attstorage {{C}} DEFAULT 'p', attcompression {{C}} DEFAULT '', attnotnull BOOLEAN DEFAULT false,
              atthasdef BOOLEAN DEFAULT false, atthasmissing BOOLEAN DEFAULT false, attidentity {{C}} DEFAULT '', attgenerated {{C}} DEFAULT '',
              attisdropped BOOLEAN DEFAULT false, attislocal BOOLEAN DEFAULT true, attinhcount INTEGER DEFAULT 0, attcollation {{O}} DEFAULT 0,
              attacl VARCHAR[], attoptions VARCHAR[], attfdwoptions VARCHAR[], attmissingval VARCHAR)
            """;
        yield return $"CREATE TABLE pg_description (objoid {O}, classoid {O}, objsubid INTEGER, description VARCHAR)";
        yield return $"INSERT INTO pg_description VALUES ({PgCatalogEmulation.PublicNamespaceOid}, 2615, 0, 'standard public schema')";
        yield return $"CREATE TABLE pg_shdescription (objoid {O}, classoid {O}, description VARCHAR)";
        yield return $"CREATE TABLE pg_enum (oid {O}, enumtypid {O}, enumsortorder REAL, enumlabel {N})";

        yield return $"CREATE TABLE pg_am (oid {O}, amname {N}, amhandler {O}, amtype {C})";
        yield return "INSERT INTO pg_am VALUES (2, 'heap', 0, 't'), (403, 'btree', 0, 'i'), (405, 'hash', 0, 'i')";
        yield return $"CREATE TABLE pg_attrdef (oid {O}, adrelid {O}, adnum SMALLINT, adbin VARCHAR)";
        yield return $$"""
            CREATE TABLE pg_collation (oid {{O}}, collname {{N}}, collnamespace {{O}}, collowner {{O}}, collprovider {{C}},
              collisdeterministic BOOLEAN, collencoding INTEGER, collcollate VARCHAR, collctype VARCHAR, colliculocale VARCHAR,
              collicurules VARCHAR, collversion VARCHAR)
            """;
        yield return $"INSERT INTO pg_collation VALUES (100, 'default', {PgCatalogEmulation.PgCatalogNamespaceOid}, {OwnerRoleOid}, 'd', true, -1, NULL, NULL, NULL, NULL, NULL), "
            + $"(950, 'C', {PgCatalogEmulation.PgCatalogNamespaceOid}, {OwnerRoleOid}, 'c', true, -1, 'C', 'C', NULL, NULL, NULL), "
            + $"(951, 'POSIX', {PgCatalogEmulation.PgCatalogNamespaceOid}, {OwnerRoleOid}, 'c', true, -1, 'POSIX', 'POSIX', NULL, NULL, NULL)";
        yield return $$"""
            CREATE TABLE pg_constraint (oid {{O}}, conname {{N}}, connamespace {{O}}, contype {{C}}, condeferrable BOOLEAN,
              condeferred BOOLEAN, convalidated BOOLEAN, conrelid {{O}}, contypid {{O}}, conindid {{O}}, conparentid {{O}}, confrelid {{O}},
              confupdtype {{C}}, confdeltype {{C}}, confmatchtype {{C}}, conislocal BOOLEAN, coninhcount INTEGER, connoinherit BOOLEAN,
              conkey SMALLINT[], confkey SMALLINT[], conpfeqop {{O}}[], conppeqop {{O}}[], conffeqop {{O}}[], confdelsetcols SMALLINT[],
              conexclop {{O}}[], conbin VARCHAR)
            """;
        yield return $"CREATE TABLE pg_depend (classid {O}, objid {O}, objsubid INTEGER, refclassid {O}, refobjid {O}, refobjsubid INTEGER, deptype {C})";
        yield return $$"""
            CREATE TABLE pg_index (indexrelid {{O}}, indrelid {{O}}, indnatts SMALLINT, indnkeyatts SMALLINT, indisunique BOOLEAN,
              indnullsnotdistinct BOOLEAN, indisprimary BOOLEAN, indisexclusion BOOLEAN, indimmediate BOOLEAN, indisclustered BOOLEAN,
              indisvalid BOOLEAN, indcheckxmin BOOLEAN, indisready BOOLEAN, indislive BOOLEAN, indisreplident BOOLEAN,
              indkey SMALLINT[], indcollation {{O}}[], indclass {{O}}[], indoption SMALLINT[], indexprs VARCHAR, indpred VARCHAR)
            """;
        yield return $"CREATE TABLE pg_inherits (inhrelid {O}, inhparent {O}, inhseqno INTEGER, inhdetachpending BOOLEAN)";
        yield return $"CREATE TABLE pg_partitioned_table (partrelid {O}, partstrat {C}, partnatts SMALLINT, partdefid {O}, partattrs SMALLINT[], partclass {O}[], partcollation {O}[], partexprs VARCHAR)";
        yield return $$"""
            CREATE TABLE pg_policy (oid {{O}}, polname {{N}}, polrelid {{O}}, polcmd {{C}}, polpermissive BOOLEAN, polroles {{O}}[],
              polqual VARCHAR, polwithcheck VARCHAR)
            """;
        yield return $$"""
            CREATE TABLE pg_statistic_ext (oid {{O}}, stxrelid {{O}}, stxname {{N}}, stxnamespace {{O}}, stxowner {{O}},
              stxstattarget INTEGER, stxkeys SMALLINT[], stxkind VARCHAR[], stxexprs VARCHAR)
            """;
        yield return $$"""
            CREATE TABLE pg_publication (oid {{O}}, pubname {{N}}, pubowner {{O}}, puballtables BOOLEAN, pubinsert BOOLEAN,
              pubupdate BOOLEAN, pubdelete BOOLEAN, pubtruncate BOOLEAN, pubviaroot BOOLEAN)
            """;
        yield return $"CREATE TABLE pg_publication_namespace (oid {O}, pnpubid {O}, pnnspid {O})";
        yield return $"CREATE TABLE pg_publication_rel (oid {O}, prpubid {O}, prrelid {O}, prqual VARCHAR, prattrs SMALLINT[])";
        yield return $$"""
            CREATE TABLE pg_extension (oid {{O}}, extname {{N}}, extowner {{O}}, extnamespace {{O}}, extrelocatable BOOLEAN,
              extversion VARCHAR, extconfig {{O}}[], extcondition VARCHAR[])
            """;
        yield return $$"""
            CREATE TABLE pg_sequence (seqrelid {{O}}, seqtypid {{O}}, seqstart BIGINT, seqincrement BIGINT, seqmax BIGINT,
              seqmin BIGINT, seqcache BIGINT, seqcycle BOOLEAN)
            """;
        yield return $$"""
            CREATE TABLE pg_trigger (oid {{O}}, tgrelid {{O}}, tgparentid {{O}}, tgname {{N}}, tgfoid {{O}}, tgtype SMALLINT,
              tgenabled {{C}}, tgisinternal BOOLEAN, tgconstrrelid {{O}}, tgconstrindid {{O}}, tgconstraint {{O}}, tgdeferrable BOOLEAN,
              tginitdeferred BOOLEAN, tgnargs SMALLINT, tgattr SMALLINT[], tgargs VARCHAR, tgqual VARCHAR, tgoldtable {{N}}, tgnewtable {{N}})
            """;
        yield return $"CREATE TABLE pg_rewrite (oid {O}, rulename {N}, ev_class {O}, ev_type {C}, ev_enabled {C}, is_instead BOOLEAN, ev_qual VARCHAR, ev_action VARCHAR)";
        yield return $"CREATE TABLE pg_tablespace (oid {O}, spcname {N}, spcowner {O}, spcacl VARCHAR[], spcoptions VARCHAR[])";
        yield return $"INSERT INTO pg_tablespace VALUES (1663, 'pg_default', {OwnerRoleOid}, NULL, NULL), (1664, 'pg_global', {OwnerRoleOid}, NULL, NULL)";
        yield return $"CREATE TABLE pg_foreign_table (ftrelid {O}, ftserver {O}, ftoptions VARCHAR[])";
        yield return $"CREATE TABLE pg_event_trigger (oid {O}, evtname {N}, evtevent {N}, evtowner {O}, evtfoid {O}, evtenabled {C}, evttags VARCHAR[])";
        yield return $"CREATE TABLE pg_opclass (oid {O}, opcmethod {O}, opcname {N}, opcnamespace {O}, opcowner {O}, opcfamily {O}, opcintype {O}, opcdefault BOOLEAN, opckeytype {O})";
        yield return $"CREATE TABLE pg_operator (oid {O}, oprname {N}, oprnamespace {O}, oprowner {O}, oprkind {C}, oprcanmerge BOOLEAN, oprcanhash BOOLEAN, oprleft {O}, oprright {O}, oprresult {O}, oprcom {O}, oprnegate {O}, oprcode {O}, oprrest {O}, oprjoin {O})";
        yield return $"CREATE TABLE pg_cast (oid {O}, castsource {O}, casttarget {O}, castfunc {O}, castcontext {C}, castmethod {C})";
        yield return $"CREATE TABLE pg_language (oid {O}, lanname {N}, lanowner {O}, lanispl BOOLEAN, lanpltrusted BOOLEAN, lanplcallfoid {O}, laninline {O}, lanvalidator {O}, lanacl VARCHAR[])";
        yield return $"INSERT INTO pg_language VALUES (12, 'internal', {OwnerRoleOid}, false, false, 0, 0, 0, NULL), (14, 'sql', {OwnerRoleOid}, false, true, 0, 0, 0, NULL)";
        yield return $"CREATE TABLE pg_auth_members (oid {O}, roleid {O}, member {O}, grantor {O}, admin_option BOOLEAN, inherit_option BOOLEAN, set_option BOOLEAN)";

        // Per-session views: they read the variables the gateway sets for the connection (EngineSession.SetIdentity).
        yield return $$"""
            CREATE VIEW pg_roles AS
            SELECT * FROM (
              SELECT {{OwnerRoleOid}}::{{O}} AS oid, '{{OwnerRoleName}}'::{{N}} AS rolname
              UNION ALL
              -- PostgreSQL 15's owner of the public schema: whoever owns the database (it cannot log in).
              SELECT {{DatabaseOwnerRoleOid}}, 'pg_database_owner'
              UNION ALL
              SELECT {{UserRoleOid}}, {{PgCatalogEmulation.Identity("user")}}::{{N}}
              WHERE {{PgCatalogEmulation.Identity("user")}} IS NOT NULL)
            CROSS JOIN (SELECT false AS rolsuper, true AS rolinherit, false AS rolcreaterole, false AS rolcreatedb, true AS rolcanlogin,
              false AS rolreplication, -1 AS rolconnlimit, '********' AS rolpassword, NULL::TIMESTAMPTZ AS rolvaliduntil,
              false AS rolbypassrls, NULL::VARCHAR[] AS rolconfig)
            """;
        yield return $$"""
            CREATE VIEW pg_user AS
            SELECT rolname AS usename, oid AS usesysid, rolcreatedb AS usecreatedb, rolsuper AS usesuper, rolreplication AS userepl,
              rolbypassrls AS usebypassrls, rolpassword AS passwd, rolvaliduntil AS valuntil, rolconfig AS useconfig
            FROM pg_roles
            """;
        // The databases a user may connect to: the home database and the projects they belong to (set per session).
        yield return $$"""
            CREATE VIEW pg_database AS
            SELECT (100000 + hash(datname) % 1000000)::{{O}} AS oid, datname::{{N}} AS datname, {{OwnerRoleOid}}::{{O}} AS datdba,
              6 AS encoding, 'c'::{{C}} AS datlocprovider, false AS datistemplate, true AS datallowconn, -1 AS datconnlimit,
              0::{{O}} AS datfrozenxid, 0::{{O}} AS datminmxid, 1663::{{O}} AS dattablespace, 'C.UTF-8' AS datcollate, 'C.UTF-8' AS datctype,
              NULL::VARCHAR AS daticulocale, NULL::VARCHAR AS daticurules, NULL::VARCHAR AS datcollversion, NULL::VARCHAR[] AS datacl
            FROM (SELECT unnest({{PgCatalogEmulation.Identity("databases")}}) AS datname)
            """;

        yield return $$"""
            CREATE VIEW pg_tables AS
            SELECT n.nspname AS schemaname, c.relname AS tablename, '{{OwnerRoleName}}' AS tableowner,
              NULL::VARCHAR AS tablespace, false AS hasindexes, false AS hasrules, false AS hastriggers, false AS rowsecurity
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('r', 'p')
            """;
        yield return $"CREATE TABLE pg_views (schemaname {N}, viewname {N}, viewowner {N}, definition VARCHAR)";
        yield return $"CREATE TABLE pg_matviews (schemaname {N}, matviewname {N}, matviewowner {N}, tablespace {N}, hasindexes BOOLEAN, ispopulated BOOLEAN, definition VARCHAR)";
        yield return $"CREATE TABLE pg_indexes (schemaname {N}, tablename {N}, indexname {N}, tablespace {N}, indexdef VARCHAR)";
        yield return $"CREATE TABLE pg_sequences (schemaname {N}, sequencename {N}, sequenceowner {N}, data_type {O}, start_value BIGINT, min_value BIGINT, max_value BIGINT, increment_by BIGINT, cycle BOOLEAN, cache_size BIGINT, last_value BIGINT)";
        // Statistics views list the visible tables with zero counters: real counts would be taken over hidden rows.
        yield return """
            CREATE VIEW pg_stat_user_tables AS
            SELECT c.oid AS relid, n.nspname AS schemaname, c.relname AS relname, 0::BIGINT AS seq_scan, NULL::TIMESTAMPTZ AS last_seq_scan,
              0::BIGINT AS seq_tup_read, 0::BIGINT AS idx_scan, NULL::TIMESTAMPTZ AS last_idx_scan, 0::BIGINT AS idx_tup_fetch,
              0::BIGINT AS n_tup_ins, 0::BIGINT AS n_tup_upd, 0::BIGINT AS n_tup_del, 0::BIGINT AS n_tup_hot_upd, 0::BIGINT AS n_tup_newpage_upd,
              0::BIGINT AS n_live_tup, 0::BIGINT AS n_dead_tup, 0::BIGINT AS n_mod_since_analyze, 0::BIGINT AS n_ins_since_vacuum,
              NULL::TIMESTAMPTZ AS last_vacuum, NULL::TIMESTAMPTZ AS last_autovacuum, NULL::TIMESTAMPTZ AS last_analyze,
              NULL::TIMESTAMPTZ AS last_autoanalyze, 0::BIGINT AS vacuum_count, 0::BIGINT AS autovacuum_count, 0::BIGINT AS analyze_count,
              0::BIGINT AS autoanalyze_count
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('r', 'p')
            """;
        yield return "CREATE VIEW pg_stat_all_tables AS SELECT * FROM pg_stat_user_tables";
        yield return """
            CREATE VIEW pg_statio_user_tables AS
            SELECT c.oid AS relid, n.nspname AS schemaname, c.relname AS relname, 0::BIGINT AS heap_blks_read, 0::BIGINT AS heap_blks_hit,
              0::BIGINT AS idx_blks_read, 0::BIGINT AS idx_blks_hit, 0::BIGINT AS toast_blks_read, 0::BIGINT AS toast_blks_hit,
              0::BIGINT AS tidx_blks_read, 0::BIGINT AS tidx_blks_hit
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('r', 'p')
            """;
        yield return "CREATE VIEW pg_statio_all_tables AS SELECT * FROM pg_statio_user_tables";

        // The gateway's settings only, never DuckDB's (engine state, allowed paths): a few fixed server facts, and the
        // session's own parameters with their built-in defaults (so psql's \dconfig lists the ones this session changed).
        yield return $$"""
            CREATE VIEW pg_settings AS
            SELECT name, setting, NULL::VARCHAR AS unit, 'Preset Options' AS category, NULL::VARCHAR AS short_desc,
              NULL::VARCHAR AS extra_desc, context, vartype, 'default' AS source, NULL::VARCHAR AS min_val, NULL::VARCHAR AS max_val,
              NULL::VARCHAR[] AS enumvals, setting AS boot_val, setting AS reset_val, NULL::VARCHAR AS sourcefile,
              NULL::INTEGER AS sourceline, false AS pending_restart
            FROM (VALUES ('max_index_keys', '32', 'integer', 'internal'), ('block_size', '8192', 'integer', 'internal'),
              ('server_version_num', '{{PgCatalogEmulation.ServerVersionNum}}', 'integer', 'internal'),
              ('max_connections', '100', 'integer', 'postmaster')) f(name, setting, vartype, context)
            WHERE {{(settings.Count == 0 ? "true" : "false")}} -- the session's parameters below include these facts
            UNION ALL
            SELECT d.name, s.setting, NULL, 'Client Connection Defaults', NULL, NULL, d.context, d.vartype,
              CASE WHEN s.setting IS DISTINCT FROM d.boot THEN 'session' ELSE 'default' END, NULL, NULL, NULL, d.boot, d.boot, NULL,
              NULL, false
            FROM {{SettingRows(settings)}},
              LATERAL (SELECT COALESCE(map_extract_value(getvariable('{{PgCatalogEmulation.IdentityVariables.Settings}}')::MAP(VARCHAR, VARCHAR), lower(d.name)), d.boot) AS setting) s
            """;
    }

    /// <summary>The gateway's session settings as a relation (name, boot, context, vartype): constants of the instance.</summary>
    private static string SettingRows(IReadOnlyList<(string Name, string Boot, string Context, string Type)> settings) =>
        settings.Count == 0
            ? "(SELECT NULL::VARCHAR AS name, NULL::VARCHAR AS boot, NULL::VARCHAR AS context, NULL::VARCHAR AS vartype WHERE false) d"
            : "(VALUES " + string.Join(", ", settings.Select(s => $"({SqlNames.Literal(s.Name)}, {SqlNames.Literal(s.Boot)}, {SqlNames.Literal(s.Context)}, {SqlNames.Literal(s.Type)})"))
              + ") d(name, boot, context, vartype)";
}
