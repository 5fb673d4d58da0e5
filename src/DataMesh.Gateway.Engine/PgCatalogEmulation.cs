using System.Globalization;
using System.Text;
using DataMesh.Gateway.Engine.Instances;
using DataMesh.Gateway.Engine.Types;
using DataMesh.Gateway.Protocol.Types;

namespace DataMesh.Gateway.Engine;

/// <summary>
/// Builds the engine's emulation of the pg_catalog tables that drivers read when they connect, with PostgreSQL's
/// real type OIDs (DuckDB's own pg_catalog has DuckDB type ids and lacks typreceive/typelem). The tables live in
/// the instance's main schema, so unqualified names such as <c>pg_type</c> resolve to them before DuckDB's
/// (a qualified <c>pg_catalog.pg_class</c> still reaches DuckDB's own). pg_class, pg_attribute and pg_description
/// describe only a project's shadow tables (<see cref="ShadowCatalogRows"/>); pg_namespace adds their schemas.
/// </summary>
public static class PgCatalogEmulation
{
    /// <summary>Names of the per-connection variables behind current_user, current_database and pg_backend_pid.</summary>
    public static class IdentityVariables
    {
        public const string User = "datamesh_user";
        public const string Database = "datamesh_database";
        public const string ProcessId = "datamesh_pid";
    }

    public const int PgCatalogNamespaceOid = 11;
    public const int PublicNamespaceOid = 2200;
    public const int PgToastNamespaceOid = 99;
    public const int InformationSchemaNamespaceOid = 13000;

    /// <summary>PostgreSQL's OID of pg_class itself: pg_description.classoid of table and column comments.</summary>
    public const int PgClassOid = 1259;

    internal static readonly IReadOnlySet<int> BuiltInNamespaceOids =
        new HashSet<int> { PgCatalogNamespaceOid, PublicNamespaceOid, PgToastNamespaceOid, InformationSchemaNamespaceOid };
    public const string ServerVersion = "16.4";
    public const string VersionString = "PostgreSQL 16.4 (DataMesh Gateway) on x86_64-pc-linux-gnu, compiled by .NET, 64-bit";

    public static IEnumerable<string> Statements()
    {
        yield return $"CREATE TYPE {TypeMapper.OidAlias} AS UINTEGER";
        yield return $"CREATE TYPE {TypeMapper.NameAlias} AS VARCHAR";
        yield return $"CREATE TYPE {TypeMapper.CharAlias} AS VARCHAR";

        yield return $"""
            CREATE TABLE pg_namespace (oid {TypeMapper.OidAlias}, nspname {TypeMapper.NameAlias}, nspowner {TypeMapper.OidAlias}, nspacl VARCHAR)
            """;
        yield return $"INSERT INTO pg_namespace VALUES ({PgCatalogNamespaceOid}, 'pg_catalog', 10, NULL), ({PublicNamespaceOid}, 'public', 10, NULL), ({PgToastNamespaceOid}, 'pg_toast', 10, NULL), ({InformationSchemaNamespaceOid}, 'information_schema', 10, NULL)";

        yield return $"""
            CREATE TABLE pg_type (oid {TypeMapper.OidAlias}, typname {TypeMapper.NameAlias}, typnamespace {TypeMapper.OidAlias},
              typowner {TypeMapper.OidAlias}, typlen SMALLINT, typbyval BOOLEAN, typtype {TypeMapper.CharAlias}, typcategory {TypeMapper.CharAlias},
              typispreferred BOOLEAN, typisdefined BOOLEAN, typdelim {TypeMapper.CharAlias}, typrelid {TypeMapper.OidAlias},
              typelem {TypeMapper.OidAlias}, typarray {TypeMapper.OidAlias}, typinput {TypeMapper.OidAlias}, typoutput {TypeMapper.OidAlias},
              typreceive {TypeMapper.OidAlias}, typsend {TypeMapper.OidAlias}, typnotnull BOOLEAN, typbasetype {TypeMapper.OidAlias},
              typtypmod INTEGER, typndims INTEGER, typcollation {TypeMapper.OidAlias}, typdefault VARCHAR)
            """;
        yield return $"""
            CREATE TABLE pg_proc (oid {TypeMapper.OidAlias}, proname {TypeMapper.NameAlias}, pronamespace {TypeMapper.OidAlias},
              proowner {TypeMapper.OidAlias}, prorettype {TypeMapper.OidAlias}, proargtypes VARCHAR, prokind {TypeMapper.CharAlias})
            """;
        yield return TypeRows(out var procRows);
        yield return procRows;

        yield return $"CREATE TABLE pg_range (rngtypid {TypeMapper.OidAlias}, rngsubtype {TypeMapper.OidAlias}, rngmultitypid {TypeMapper.OidAlias}, rngcollation {TypeMapper.OidAlias}, rngsubopc {TypeMapper.OidAlias}, rngcanonical {TypeMapper.OidAlias}, rngsubdiff {TypeMapper.OidAlias})";
        yield return $"""
            CREATE TABLE pg_class (oid {TypeMapper.OidAlias}, relname {TypeMapper.NameAlias}, relnamespace {TypeMapper.OidAlias},
              reltype {TypeMapper.OidAlias}, relowner {TypeMapper.OidAlias}, relkind {TypeMapper.CharAlias}, relnatts SMALLINT,
              relhasindex BOOLEAN, relpersistence {TypeMapper.CharAlias}, relispartition BOOLEAN)
            """;
        yield return $"""
            CREATE TABLE pg_attribute (attrelid {TypeMapper.OidAlias}, attname {TypeMapper.NameAlias}, atttypid {TypeMapper.OidAlias},
              attlen SMALLINT, attnum SMALLINT, atttypmod INTEGER, attnotnull BOOLEAN, attisdropped BOOLEAN, atthasdef BOOLEAN)
            """;
        yield return $"CREATE TABLE pg_description (objoid {TypeMapper.OidAlias}, classoid {TypeMapper.OidAlias}, objsubid INTEGER, description VARCHAR)";
        yield return $"CREATE TABLE pg_enum (oid {TypeMapper.OidAlias}, enumtypid {TypeMapper.OidAlias}, enumsortorder REAL, enumlabel {TypeMapper.NameAlias})";

        // Functions drivers call right after connecting. Macros in main shadow DuckDB's built-ins of the same name.
        yield return $"CREATE OR REPLACE MACRO version() AS '{VersionString}'";
        yield return "CREATE OR REPLACE MACRO pg_advisory_unlock_all() AS NULL";
        // Identity functions read per-connection variables the gateway sets at session start (EngineSession.SetIdentity).
        yield return $"CREATE OR REPLACE MACRO current_user() AS getvariable('{IdentityVariables.User}')";
        yield return $"CREATE OR REPLACE MACRO session_user() AS getvariable('{IdentityVariables.User}')";
        yield return $"CREATE OR REPLACE MACRO current_database() AS getvariable('{IdentityVariables.Database}')";
        yield return $"CREATE OR REPLACE MACRO current_catalog() AS getvariable('{IdentityVariables.Database}')";
        yield return $"CREATE OR REPLACE MACRO pg_backend_pid() AS getvariable('{IdentityVariables.ProcessId}')";
    }

    /// <summary>
    /// Rows that describe a project's shadow tables (<see cref="ShadowCatalog"/>): one pg_namespace row per shadow
    /// schema, one pg_class row per table, one pg_attribute row per column with the PostgreSQL type a query of it
    /// returns, and pg_description rows for the comments. <paramref name="columnTypes"/> is parallel to the tables.
    /// </summary>
    internal static IEnumerable<string> ShadowCatalogRows(EngineSpec spec, IReadOnlyList<IReadOnlyList<PgColumnType>> columnTypes)
    {
        foreach (var (schema, oid) in spec.SchemaOids)
            yield return Invariant($"INSERT INTO pg_namespace VALUES ({oid}, {SqlNames.Literal(schema)}, 10, NULL)");

        for (var t = 0; t < spec.ShadowTables.Count; t++)
        {
            var table = spec.ShadowTables[t];
            var types = columnTypes[t];
            var namespaceOid = spec.SchemaOids[table.Schema];
            yield return Invariant(
                $"INSERT INTO pg_class VALUES ({table.Oid}, {SqlNames.Literal(table.Name)}, {namespaceOid}, 0, 10, 'r', {table.Columns.Count}, false, 'p', false)");

            var attributes = new StringBuilder("INSERT INTO pg_attribute VALUES ");
            var descriptions = new List<string>();
            if (table.Description is { } tableDescription)
                descriptions.Add(Invariant($"({table.Oid}, {PgClassOid}, 0, {SqlNames.Literal(tableDescription)})"));
            for (var c = 0; c < table.Columns.Count; c++)
            {
                var column = table.Columns[c];
                var type = types[c];
                var attnum = c + 1;
                if (c > 0) attributes.Append(", ");
                attributes.Append(CultureInfo.InvariantCulture,
                    $"({table.Oid}, {SqlNames.Literal(column.Name)}, {type.Oid}, {type.Length}, {attnum}, {type.TypeModifier}, false, false, false)");
                if (column.Description is { } columnDescription)
                    descriptions.Add(Invariant($"({table.Oid}, {PgClassOid}, {attnum}, {SqlNames.Literal(columnDescription)})"));
            }
            yield return attributes.ToString();
            if (descriptions.Count > 0) yield return "INSERT INTO pg_description VALUES " + string.Join(", ", descriptions);
        }
    }

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

    private static string TypeRows(out string procRows)
    {
        var types = new StringBuilder("INSERT INTO pg_type VALUES ");
        var procs = new StringBuilder("INSERT INTO pg_proc VALUES ");
        var procOids = new Dictionary<string, int>(StringComparer.Ordinal);
        var first = true;
        foreach (var t in PgTypes.All)
        {
            if (!procOids.TryGetValue(t.ReceiveFunction, out var procOid))
            {
                procOid = 9000 + procOids.Count;
                procOids[t.ReceiveFunction] = procOid;
                if (procOids.Count > 1) procs.Append(", ");
                procs.Append(CultureInfo.InvariantCulture, $"({procOid}, '{t.ReceiveFunction}', {PgCatalogNamespaceOid}, 10, {t.Oid}, '', 'f')");
            }
            if (!first) types.Append(", ");
            first = false;
            var typtype = t.TypeKind;
            var byVal = t.Length is > 0 and <= 8 ? "true" : "false";
            types.Append(CultureInfo.InvariantCulture,
                $"({t.Oid}, '{t.Name}', {PgCatalogNamespaceOid}, 10, {t.Length}, {byVal}, '{typtype}', '{t.Category}', false, true, ',', 0, {t.ElementOid}, {t.ArrayOid}, 0, 0, {procOid}, 0, false, 0, -1, {(t.IsArray ? 1 : 0)}, 0, NULL)");
        }
        procRows = procs.ToString();
        return types.ToString();
    }
}
