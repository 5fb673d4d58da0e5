using System.Globalization;
using System.Text;
using DataMesh.Gateway.Engine.Instances;
using DataMesh.Gateway.Engine.Types;
using DataMesh.Gateway.Protocol.Types;

namespace DataMesh.Gateway.Engine;

/// <summary>
/// Builds the engine's emulation of the pg_catalog tables and functions clients read, with PostgreSQL's real type
/// OIDs (DuckDB's own pg_catalog has DuckDB type ids and lacks typreceive/typelem). Everything lives in the
/// instance's main schema, which unqualified names reach first; the gateway strips <c>pg_catalog.</c> from client
/// text (Policy.Rewrite.PgDialect) and refuses what stays qualified. The relations beyond the type tables are in
/// <see cref="PgCatalogRelations"/>, the functions in <see cref="PgCatalogFunctions"/>, information_schema in
/// <see cref="InformationSchemaEmulation"/>. pg_class, pg_attribute and pg_description describe only a project's
/// shadow tables (<see cref="Instances.ShadowCatalogRows"/>); pg_namespace adds their schemas.
/// </summary>
public static class PgCatalogEmulation
{
    /// <summary>Names of the per-connection variables behind current_user, current_database and pg_backend_pid.</summary>
    public static class IdentityVariables
    {
        /// <summary>
        /// Who the session is, one STRUCT (<see cref="IdentityType"/>): the user, the database, the process id and the
        /// databases the user may connect to (pg_database). One variable, so a session start sets it in one statement.
        /// </summary>
        public const string Identity = "datamesh_identity";
        /// <summary>The gateway's session settings that differ from their built-in defaults (current_setting, pg_settings),
        /// a MAP(VARCHAR, VARCHAR) keyed by lower-case name; the defaults are built into the instance.</summary>
        public const string Settings = "datamesh_settings";
        /// <summary>The schemas unqualified names resolve through, in order (current_schemas), a VARCHAR[].</summary>
        public const string Schemas = "datamesh_schemas";
    }

    /// <summary>The type of <see cref="IdentityVariables.Identity"/>.</summary>
    internal const string IdentityType = "STRUCT(\"user\" VARCHAR, \"database\" VARCHAR, pid INTEGER, databases VARCHAR[])";

    /// <summary>One field of the session's identity (NULL before the gateway set it): user, database, pid or databases.</summary>
    internal static string Identity(string field) =>
        $"struct_extract(getvariable('{IdentityVariables.Identity}')::{IdentityType}, '{field}')";

    public const int PgCatalogNamespaceOid = 11;
    public const int PublicNamespaceOid = 2200;
    public const int PgToastNamespaceOid = 99;
    public const int InformationSchemaNamespaceOid = 13000;

    /// <summary>PostgreSQL's OID of pg_class itself: pg_description.classoid of table and column comments.</summary>
    public const int PgClassOid = 1259;

    internal static readonly IReadOnlySet<int> BuiltInNamespaceOids =
        new HashSet<int> { PgCatalogNamespaceOid, PublicNamespaceOid, PgToastNamespaceOid, InformationSchemaNamespaceOid };
    // PostgreSQL 15: the version whose parameters, catalogs and input rules the gateway follows, and one pg_dump 15 (which
    // refuses a newer server) accepts.
    public const string ServerVersion = "15.18";
    public const string ServerVersionNum = "150018";
    public const string VersionString = "PostgreSQL 15.18 (DataMesh Gateway) on x86_64-pc-linux-gnu, compiled by .NET, 64-bit";

    /// <summary>
    /// The OID of a PostgreSQL type by the name SQL may give it (<c>int</c>, <c>integer</c>, <c>pg_catalog.oid</c>,
    /// <c>text[]</c>, <c>double precision</c>), from PostgreSQL's own pg_type rows; null when PostgreSQL has no such type.
    /// </summary>
    public static int? TypeOid(string name) => CatalogData.PgCatalogData.TypeOid(name);

    /// <summary>
    /// Registers the emulation's column types (oid, name, "char", reg*) in the database <paramref name="connection"/>
    /// belongs to; <see cref="Statements"/> need them. Registered types keep their alias in results, where types made
    /// with CREATE TYPE do not (<see cref="Interop.PgTypeAliases"/>).
    /// </summary>
    public static void RegisterTypes(DuckDB.NET.Data.DuckDBConnection connection) => Interop.PgTypeAliases.Register(connection);

    /// <param name="settings">The gateway's session settings (name, built-in default, context, type), see
    /// <see cref="EngineSpec.SettingDefinitions"/>; none: pg_settings lists only its fixed facts.</param>
    public static IEnumerable<string> Statements(IReadOnlyList<(string Name, string Boot, string Context, string Type)>? settings = null) =>
        Definitions(settings ?? []).Select(PgCatalogOids.WithTableOid);

    private static IEnumerable<string> Definitions(IReadOnlyList<(string Name, string Boot, string Context, string Type)> settings)
    {
        // The column types oid, name, "char" and the reg* types are registered first (RegisterTypes). An OID cast to
        // regclass (regtype, …) stays the number; a name cast to one is a lookup (PgDialect: to_regclass).
        yield return $"""
            CREATE TABLE pg_namespace (oid {TypeMapper.OidAlias}, nspname {TypeMapper.NameAlias}, nspowner {TypeMapper.OidAlias}, nspacl VARCHAR[])
            """;
        // public as PostgreSQL 15 creates it (owner pg_database_owner, its standard ACL and comment), so that pg_dump, which
        // compares against those, writes nothing for it.
        yield return $"INSERT INTO pg_namespace VALUES ({PgCatalogNamespaceOid}, 'pg_catalog', 10, NULL), ({PublicNamespaceOid}, 'public', {PgCatalogRelations.DatabaseOwnerRoleOid}, ['pg_database_owner=UC/pg_database_owner', '=U/pg_database_owner']), ({PgToastNamespaceOid}, 'pg_toast', 10, NULL), ({InformationSchemaNamespaceOid}, 'information_schema', 10, NULL)";

        yield return $"""
            CREATE TABLE pg_type (oid {TypeMapper.OidAlias}, typname {TypeMapper.NameAlias}, typnamespace {TypeMapper.OidAlias},
              typowner {TypeMapper.OidAlias}, typlen SMALLINT, typbyval BOOLEAN, typtype {TypeMapper.CharAlias}, typcategory {TypeMapper.CharAlias},
              typispreferred BOOLEAN, typisdefined BOOLEAN, typdelim {TypeMapper.CharAlias}, typrelid {TypeMapper.OidAlias},
              typelem {TypeMapper.OidAlias}, typarray {TypeMapper.OidAlias}, typinput regproc, typoutput regproc,
              typreceive regproc, typsend regproc, typnotnull BOOLEAN, typbasetype {TypeMapper.OidAlias},
              typtypmod INTEGER, typndims INTEGER, typcollation {TypeMapper.OidAlias}, typdefault VARCHAR, typalign {TypeMapper.CharAlias},
              typstorage {TypeMapper.CharAlias}, typmodin regproc DEFAULT 0, typmodout regproc DEFAULT 0,
              typanalyze regproc DEFAULT 0, typsubscript regproc DEFAULT 0, typdefaultbin VARCHAR, typacl VARCHAR[])
            """;
        yield return $"""
            CREATE TABLE pg_proc (oid {TypeMapper.OidAlias}, proname {TypeMapper.NameAlias}, pronamespace {TypeMapper.OidAlias},
              proowner {TypeMapper.OidAlias}, prolang {TypeMapper.OidAlias} DEFAULT 12, procost REAL DEFAULT 1, prorows REAL DEFAULT 0,
              provariadic {TypeMapper.OidAlias} DEFAULT 0, prosupport {TypeMapper.OidAlias} DEFAULT 0, prokind {TypeMapper.CharAlias},
              prosecdef BOOLEAN DEFAULT false, proleakproof BOOLEAN DEFAULT false, proisstrict BOOLEAN DEFAULT true,
              proretset BOOLEAN DEFAULT false, provolatile {TypeMapper.CharAlias} DEFAULT 'i', proparallel {TypeMapper.CharAlias} DEFAULT 's',
              pronargs SMALLINT DEFAULT 1, pronargdefaults SMALLINT DEFAULT 0, prorettype {TypeMapper.OidAlias},
              proargtypes VARCHAR, proallargtypes {TypeMapper.OidAlias}[], proargmodes VARCHAR[], proargnames VARCHAR[],
              proargdefaults VARCHAR, protrftypes {TypeMapper.OidAlias}[], prosrc VARCHAR, probin VARCHAR, prosqlbody VARCHAR,
              proconfig VARCHAR[], proacl VARCHAR[])
            """;
        // PostgreSQL 15's own built-in types, their I/O functions and ranges (CatalogData, extracted from a real server).
        yield return CatalogData.PgCatalogData.TypeInserts();
        yield return CatalogData.PgCatalogData.ProcInserts();

        yield return $"CREATE TABLE pg_range (rngtypid {TypeMapper.OidAlias}, rngsubtype {TypeMapper.OidAlias}, rngmultitypid {TypeMapper.OidAlias}, rngcollation {TypeMapper.OidAlias}, rngsubopc {TypeMapper.OidAlias}, rngcanonical regproc, rngsubdiff regproc)";
        yield return CatalogData.PgCatalogData.RangeInserts();
        foreach (var sql in PgCatalogRelations.Statements(settings)) yield return sql;
        foreach (var sql in PgCatalogAbsentObjects.Statements()) yield return sql;
        foreach (var sql in PgCatalogFunctions.Statements()) yield return sql;
        foreach (var sql in InformationSchemaEmulation.Statements()) yield return sql;

        // Functions drivers call right after connecting. Macros in main shadow DuckDB's built-ins of the same name.
        yield return $"CREATE OR REPLACE MACRO version() AS '{VersionString}'";
        yield return "CREATE OR REPLACE MACRO pg_advisory_unlock_all() AS NULL";
        // Identity functions read per-connection variables the gateway sets at session start (EngineSession.SetIdentity).
        yield return $"CREATE OR REPLACE MACRO current_user() AS {Identity("user")}";
        yield return $"CREATE OR REPLACE MACRO session_user() AS {Identity("user")}";
        yield return $"CREATE OR REPLACE MACRO current_database() AS {Identity("database")}";
        yield return $"CREATE OR REPLACE MACRO current_catalog() AS {Identity("database")}";
        yield return $"CREATE OR REPLACE MACRO pg_backend_pid() AS {Identity("pid")}";
        // The gateway's own session settings (the policy lets only their names through): never DuckDB's settings. The
        // session's map holds the values that differ from the built-in defaults; the defaults are constants here.
        var setting = $"""
            CASE lower(n) WHEN 'server_version_num' THEN '{ServerVersionNum}' WHEN 'max_index_keys' THEN '32' WHEN 'block_size' THEN '8192'
              ELSE COALESCE(map_extract_value(getvariable('{IdentityVariables.Settings}')::MAP(VARCHAR, VARCHAR), lower(n)), {SettingDefault(settings, "lower(n)")}) END
            """;
        yield return $"CREATE OR REPLACE MACRO current_setting(n) AS {setting}, (n, missing_ok) AS {setting}";
        // The schemas unqualified names resolve through (the shadow schemas; DuckDB's own would list "main").
        yield return $"CREATE OR REPLACE MACRO current_schemas(implicit) AS CASE WHEN implicit THEN ['pg_catalog'] ELSE [] END || COALESCE(getvariable('{IdentityVariables.Schemas}')::VARCHAR[], [])";
        yield return $"CREATE OR REPLACE MACRO current_schema() AS COALESCE((getvariable('{IdentityVariables.Schemas}')::VARCHAR[])[1], 'public')";
        // Guards in front of DuckDB's value builders, the per-row wrapper and the privilege inquiry functions.
        foreach (var sql in GatewayMacros.Statements()) yield return sql;
    }

    /// <summary>
    /// The built-in default of the setting named <paramref name="lowerName"/> (a lower-case SQL expression), or NULL: a
    /// lookup by position in two constant lists, so the name expression appears once (a CASE chain would copy it into
    /// every branch, and binding grows with each copy).
    /// </summary>
    internal static string SettingDefault(IReadOnlyList<(string Name, string Boot, string Context, string Type)> settings, string lowerName) =>
        settings.Count == 0 ? "NULL::VARCHAR"
        : $"[{string.Join(", ", settings.Select(s => SqlNames.Literal(s.Boot)))}][list_position([{string.Join(", ", settings.Select(s => SqlNames.Literal(s.Name.ToLowerInvariant())))}], {lowerName})]";

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
