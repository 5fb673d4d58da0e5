using System.Globalization;
using System.Text.RegularExpressions;

namespace DataMesh.Gateway.Engine;

/// <summary>
/// PostgreSQL's OIDs of its own catalog relations. Clients use them two ways: by name (<c>'pg_class'::regclass</c>,
/// <c>obj_description(oid, 'pg_ts_dict')</c>) and through the <c>tableoid</c> system column, which psql's describe
/// queries join to <c>pg_description.classoid</c> (<c>d.classoid = c.tableoid</c>). DuckDB tables have no system
/// columns, so every emulated catalog table gets <c>tableoid</c> as a virtual generated column of that constant.
/// </summary>
internal static partial class PgCatalogOids
{
    public static readonly (string Name, int Oid)[] Relations =
    [
        ("pg_class", 1259), ("pg_type", 1247), ("pg_attribute", 1249), ("pg_proc", 1255), ("pg_namespace", 2615),
        ("pg_description", 2609), ("pg_constraint", 2606), ("pg_database", 1262), ("pg_extension", 3079), ("pg_trigger", 2620),
        ("pg_am", 2601), ("pg_index", 2610), ("pg_rewrite", 2618), ("pg_depend", 2608), ("pg_collation", 3456),
        ("pg_policy", 3256), ("pg_inherits", 2611), ("pg_attrdef", 2604), ("pg_tablespace", 1213), ("pg_authid", 1260),
        ("pg_operator", 2617), ("pg_opclass", 2616), ("pg_cast", 2605), ("pg_language", 2612), ("pg_enum", 3501),
        ("pg_range", 3541), ("pg_sequence", 2224), ("pg_statistic_ext", 3381), ("pg_publication", 6104),
        ("pg_event_trigger", 3466), ("pg_foreign_table", 3118), ("pg_conversion", 2607), ("pg_opfamily", 2753),
        ("pg_amop", 2602), ("pg_amproc", 2603), ("pg_foreign_data_wrapper", 2328), ("pg_foreign_server", 1417),
        ("pg_user_mapping", 1418), ("pg_ts_config", 3602), ("pg_ts_config_map", 3603), ("pg_ts_dict", 3600),
        ("pg_ts_parser", 3601), ("pg_ts_template", 3764), ("pg_largeobject", 2613), ("pg_largeobject_metadata", 2995),
        ("pg_subscription", 6100), ("pg_default_acl", 826), ("pg_parameter_acl", 6243), ("pg_db_role_setting", 2964),
        ("pg_auth_members", 1261), ("pg_shdescription", 2396), ("pg_publication_rel", 6106), ("pg_publication_namespace", 6237),
        ("pg_partitioned_table", 3350), ("pg_transform", 3576), ("pg_init_privs", 3394), ("pg_seclabel", 3596),
    ];

    private static readonly Dictionary<string, int> ByName = Relations.ToDictionary(r => r.Name, r => r.Oid, StringComparer.Ordinal);

    /// <summary>
    /// The OID for the relation name <c>n</c>, or NULL: a lookup by position in two constant lists, so <c>n</c> appears
    /// once. A <c>CASE n WHEN …</c> chain would copy <c>n</c> into each of its branches, and <c>n</c> is itself
    /// <c>pg_ident_part(…)</c>: preparing one <c>'pg_class'::regclass</c> (pgjdbc's getTables) took 10–25 ms that way.
    /// </summary>
    public static readonly string LookupByName =
        "[" + string.Join(", ", ByName.Values.Select(o => o.ToString(CultureInfo.InvariantCulture)))
        + "][list_position([" + string.Join(", ", ByName.Keys.Select(n => "'" + n + "'")) + "], n)]";

    [GeneratedRegex(@"^\s*CREATE TABLE (pg_\w+) \(", RegexOptions.CultureInvariant)]
    private static partial Regex CreateCatalogTable();

    /// <summary>
    /// <paramref name="sql"/> with a <c>tableoid</c> column added when it creates a catalog table with a known OID;
    /// any other statement unchanged. The column is virtual, so the positional INSERTs of the emulation still list
    /// only the stored columns.
    /// </summary>
    public static string WithTableOid(string sql)
    {
        var match = CreateCatalogTable().Match(sql);
        if (!match.Success || !ByName.TryGetValue(match.Groups[1].Value, out var oid)) return sql;
        var close = sql.LastIndexOf(')');
        return string.Create(CultureInfo.InvariantCulture,
            $"{sql[..close]}, tableoid {Types.TypeMapper.OidAlias} GENERATED ALWAYS AS ({oid}::{Types.TypeMapper.OidAlias}) VIRTUAL{sql[close..]}");
    }
}
