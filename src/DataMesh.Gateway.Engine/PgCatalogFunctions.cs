namespace DataMesh.Gateway.Engine;

/// <summary>
/// The pg_catalog functions of the emulation, as macros in the instance's main schema (unqualified calls reach them
/// before DuckDB's built-ins of the same name; the gateway strips <c>pg_catalog.</c> from calls, PgDialect).
/// Each answers from the emulation's own tables, never from DuckDB's catalog. The functions that would print an
/// expression, a definition or a size (pg_get_expr, pg_get_viewdef, pg_table_size …) return NULL: the gateway has no
/// defaults, views or indexes to print, and the only expressions it holds are row filters, which must stay hidden.
/// </summary>
internal static class PgCatalogFunctions
{
    private const string O = Types.TypeMapper.OidAlias;

    /// <summary>PostgreSQL's display names of the built-in types (format_type), by typname.</summary>
    private const string DisplayName = """
        CASE t WHEN 'int8' THEN 'bigint' WHEN 'int4' THEN 'integer' WHEN 'int2' THEN 'smallint' WHEN 'float8' THEN 'double precision'
          WHEN 'float4' THEN 'real' WHEN 'bool' THEN 'boolean' WHEN 'varchar' THEN 'character varying' WHEN 'bpchar' THEN 'character'
          WHEN 'timestamp' THEN 'timestamp without time zone' WHEN 'timestamptz' THEN 'timestamp with time zone'
          WHEN 'time' THEN 'time without time zone' WHEN 'timetz' THEN 'time with time zone' WHEN 'char' THEN '"char"'
          ELSE t END
        """;

    // Macro bodies use aliases no query writes (__ft, __rc …): DuckDB substitutes a macro's arguments as written, so an
    // argument t.oid inside a body that aliases its own pg_type as t would bind to the body's t (pg_dump passes t.oid).
    public static IEnumerable<string> Statements()
    {
        // Names: a qualified 'schema.name' (optionally double-quoted parts) split into schema and name.
        yield return "CREATE OR REPLACE MACRO pg_ident_part(n, part) AS replace(CASE WHEN part = 2 THEN string_split(n, '.')[-1] WHEN len(string_split(n, '.')) > 1 THEN string_split(n, '.')[1] END, '\"', '')";
        yield return $"CREATE OR REPLACE MACRO pg_catalog_relation_oid(n) AS ({PgCatalogOids.LookupByName})";
        yield return $$"""
            CREATE OR REPLACE MACRO to_regclass(n) AS COALESCE(
              (SELECT min(__rc.oid) FROM pg_class __rc JOIN pg_namespace __rs ON __rs.oid = __rc.relnamespace
               WHERE __rc.relname = pg_ident_part(n, 2) AND (pg_ident_part(n, 1) IS NULL OR __rs.nspname = pg_ident_part(n, 1))),
              CASE WHEN pg_ident_part(n, 1) IS NULL OR pg_ident_part(n, 1) = 'pg_catalog' THEN pg_catalog_relation_oid(pg_ident_part(n, 2)) END)::{{O}}
            """;
        yield return $$"""
            CREATE OR REPLACE MACRO to_regtype(n) AS (SELECT min(oid) FROM pg_type WHERE typname = CASE lower(pg_ident_part(n, 2))
              WHEN 'integer' THEN 'int4' WHEN 'int' THEN 'int4' WHEN 'bigint' THEN 'int8' WHEN 'smallint' THEN 'int2' WHEN 'boolean' THEN 'bool'
              WHEN 'double precision' THEN 'float8' WHEN 'real' THEN 'float4' WHEN 'character varying' THEN 'varchar'
              WHEN 'character' THEN 'bpchar' WHEN 'timestamp without time zone' THEN 'timestamp' WHEN 'timestamp with time zone' THEN 'timestamptz'
              WHEN 'decimal' THEN 'numeric' ELSE lower(pg_ident_part(n, 2)) END)::{{O}}
            """;
        yield return $"CREATE OR REPLACE MACRO to_regproc(n) AS (SELECT min(oid) FROM pg_proc WHERE proname = pg_ident_part(n, 2))::{O}";
        yield return $"CREATE OR REPLACE MACRO to_regprocedure(n) AS (SELECT min(oid) FROM pg_proc WHERE proname = pg_ident_part(string_split(n, '(')[1], 2))::{O}";
        yield return $"CREATE OR REPLACE MACRO to_regnamespace(n) AS (SELECT min(oid) FROM pg_namespace WHERE nspname = replace(n, '\"', ''))::{O}";
        yield return $"CREATE OR REPLACE MACRO to_regrole(n) AS (SELECT min(oid) FROM pg_roles WHERE rolname = replace(n, '\"', ''))::{O}";

        yield return "CREATE OR REPLACE MACRO pg_get_userbyid(o) AS COALESCE((SELECT min(rolname) FROM pg_roles WHERE oid = o), 'unknown (OID=' || o || ')')";
        yield return "CREATE OR REPLACE MACRO pg_encoding_to_char(e) AS CASE e WHEN 6 THEN 'UTF8' WHEN 0 THEN 'SQL_ASCII' ELSE '' END";
        yield return "CREATE OR REPLACE MACRO pg_char_to_encoding(e) AS CASE upper(e) WHEN 'UTF8' THEN 6 WHEN 'SQL_ASCII' THEN 0 ELSE -1 END";
        yield return "CREATE OR REPLACE MACRO pg_table_is_visible(o) AS EXISTS (SELECT 1 FROM pg_class WHERE oid = o)";
        yield return "CREATE OR REPLACE MACRO pg_type_is_visible(o) AS EXISTS (SELECT 1 FROM pg_type WHERE oid = o)";
        yield return "CREATE OR REPLACE MACRO pg_function_is_visible(o) AS EXISTS (SELECT 1 FROM pg_proc WHERE oid = o)";
        yield return "CREATE OR REPLACE MACRO pg_collation_is_visible(o) AS EXISTS (SELECT 1 FROM pg_collation WHERE oid = o)";
        yield return "CREATE OR REPLACE MACRO pg_statistics_obj_is_visible(o) AS EXISTS (SELECT 1 FROM pg_statistic_ext WHERE oid = o)";
        yield return "CREATE OR REPLACE MACRO getdatabaseencoding() AS 'UTF8'";
        // A gateway is never a standby, and consumers write nothing: no column or relation is updatable (pg_dump, Npgsql's
        // KeyInfo column schema, pgjdbc's updatable result sets ask).
        yield return "CREATE OR REPLACE MACRO pg_is_in_recovery() AS false";
        // PostgreSQL's array_remove(array, element): every element not distinct from the one given is dropped.
        yield return "CREATE OR REPLACE MACRO array_remove(a, e) AS list_filter(a, x -> x IS DISTINCT FROM e)";
        yield return "CREATE OR REPLACE MACRO pg_column_is_updatable(r, a, t) AS false";
        yield return "CREATE OR REPLACE MACRO pg_relation_is_updatable(r, t) AS 0";
        yield return "CREATE OR REPLACE MACRO pg_get_function_sqlbody(o) AS NULL::VARCHAR";
        // No index exists, so no index column has any property (DBD::Pg's statistics_info asks).
        yield return "CREATE OR REPLACE MACRO pg_index_column_has_property(i, c, p) AS NULL::BOOLEAN";
        // PostgreSQL's built-in default privileges of an object owned by o, in aclitem text form (pg_dump compares them
        // with the object's own ACL to decide which GRANTs to write).
        yield return """
            CREATE OR REPLACE MACRO acldefault(t, o) AS CASE t::VARCHAR
              WHEN 'c' THEN []::VARCHAR[]
              WHEN 'r' THEN [pg_get_userbyid(o) || '=arwdDxt/' || pg_get_userbyid(o)]
              WHEN 's' THEN [pg_get_userbyid(o) || '=rwU/' || pg_get_userbyid(o)]
              WHEN 'd' THEN ['=Tc/' || pg_get_userbyid(o), pg_get_userbyid(o) || '=CTc/' || pg_get_userbyid(o)]
              WHEN 'f' THEN ['=X/' || pg_get_userbyid(o), pg_get_userbyid(o) || '=X/' || pg_get_userbyid(o)]
              WHEN 'l' THEN ['=U/' || pg_get_userbyid(o), pg_get_userbyid(o) || '=U/' || pg_get_userbyid(o)]
              WHEN 'L' THEN [pg_get_userbyid(o) || '=rw/' || pg_get_userbyid(o)]
              WHEN 'n' THEN [pg_get_userbyid(o) || '=UC/' || pg_get_userbyid(o)]
              WHEN 't' THEN [pg_get_userbyid(o) || '=C/' || pg_get_userbyid(o)]
              WHEN 'F' THEN [pg_get_userbyid(o) || '=U/' || pg_get_userbyid(o)]
              WHEN 'S' THEN [pg_get_userbyid(o) || '=U/' || pg_get_userbyid(o)]
              WHEN 'T' THEN ['=U/' || pg_get_userbyid(o), pg_get_userbyid(o) || '=U/' || pg_get_userbyid(o)]
              WHEN 'p' THEN [pg_get_userbyid(o) || '=sA/' || pg_get_userbyid(o)]
            END
            """;
        // The built-in tablespaces live in the data directory, which PostgreSQL reports as an empty location.
        yield return "CREATE OR REPLACE MACRO pg_tablespace_location(o) AS CASE WHEN o IN (1663, 1664) THEN '' END";
        yield return $"CREATE OR REPLACE MACRO pg_type_display_name(t) AS ({DisplayName})";
        yield return """
            CREATE OR REPLACE MACRO format_type(o, m) AS (
              SELECT CASE
                WHEN __ft.typcategory = 'A' THEN pg_type_display_name(__fe.typname)
                  || CASE WHEN __fe.typname IN ('varchar', 'bpchar') AND m > 4 THEN '(' || (m - 4) || ')'
                          WHEN __fe.typname = 'numeric' AND m > 4 THEN '(' || ((m - 4) >> 16) || ',' || ((m - 4) & 65535) || ')' ELSE '' END || '[]'
                WHEN __ft.typname IN ('varchar', 'bpchar') AND m > 4 THEN pg_type_display_name(__ft.typname) || '(' || (m - 4) || ')'
                WHEN __ft.typname = 'numeric' AND m > 4 THEN 'numeric(' || ((m - 4) >> 16) || ',' || ((m - 4) & 65535) || ')'
                ELSE pg_type_display_name(__ft.typname) END
              FROM pg_type __ft LEFT JOIN pg_type __fe ON __fe.oid = __ft.typelem AND __ft.typcategory = 'A'
              WHERE __ft.oid = o
              UNION ALL SELECT '???' WHERE o IS NOT NULL AND NOT EXISTS (SELECT 1 FROM pg_type WHERE oid = o)
              LIMIT 1)
            """;

        // Descriptions: asset and column descriptions of the visible assets only (pg_description holds nothing else).
        yield return """
            CREATE OR REPLACE MACRO obj_description(o, catalog) AS
              (SELECT min(description) FROM pg_description WHERE objoid = o AND classoid = to_regclass(catalog) AND objsubid = 0),
              (o) AS (SELECT min(description) FROM pg_description WHERE objoid = o AND objsubid = 0)
            """;
        yield return "CREATE OR REPLACE MACRO col_description(o, n) AS (SELECT min(description) FROM pg_description WHERE objoid = o AND classoid = 1259 AND objsubid = n)";
        yield return "CREATE OR REPLACE MACRO shobj_description(o, catalog) AS NULL::VARCHAR";

        // Printers of expressions and definitions: nothing the gateway holds may be printed (row filters stay hidden).
        yield return "CREATE OR REPLACE MACRO pg_get_expr(e, r) AS NULL::VARCHAR, (e, r, p) AS NULL::VARCHAR";
        yield return "CREATE OR REPLACE MACRO pg_get_viewdef(v) AS NULL::VARCHAR, (v, p) AS NULL::VARCHAR";
        yield return "CREATE OR REPLACE MACRO pg_get_constraintdef(o) AS NULL::VARCHAR, (o, p) AS NULL::VARCHAR";
        yield return "CREATE OR REPLACE MACRO pg_get_indexdef(o) AS NULL::VARCHAR, (o, c, p) AS NULL::VARCHAR";
        yield return "CREATE OR REPLACE MACRO pg_get_triggerdef(o) AS NULL::VARCHAR, (o, p) AS NULL::VARCHAR";
        yield return "CREATE OR REPLACE MACRO pg_get_ruledef(o) AS NULL::VARCHAR, (o, p) AS NULL::VARCHAR";
        // pg_proc holds PostgreSQL 15's own built-in rows only (CatalogData), so their definitions are public facts, written
        // as PostgreSQL writes them (pgcli's \sf, psql's \sf, DBeaver's source tab); any other OID gives NULL.
        yield return """
            CREATE OR REPLACE MACRO pg_get_functiondef(o) AS (
              SELECT 'CREATE OR REPLACE FUNCTION ' || n.nspname || '.' || p.proname || '('
                || (SELECT coalesce(string_agg(format_type(CAST(a.x AS UINTEGER), NULL), ', ' ORDER BY a.k), '')
                    FROM (SELECT unnest(l) AS x, generate_subscripts(l, 1) AS k
                          FROM (SELECT CASE WHEN coalesce(p.proargtypes, '') = '' THEN [] ELSE string_split(p.proargtypes, ' ') END AS l)) a)
                || ')' || chr(10) || ' RETURNS ' || CASE WHEN p.proretset THEN 'SETOF ' ELSE '' END || format_type(p.prorettype, NULL)
                || chr(10) || ' LANGUAGE ' || CASE CAST(p.prolang AS UINTEGER) WHEN 12 THEN 'internal' WHEN 13 THEN 'c' WHEN 14 THEN 'sql' ELSE 'plpgsql' END
                || chr(10) || ' ' || concat_ws(' ', CASE CAST(p.provolatile AS VARCHAR) WHEN 'i' THEN 'IMMUTABLE' WHEN 's' THEN 'STABLE' END,
                     CASE CAST(p.proparallel AS VARCHAR) WHEN 's' THEN 'PARALLEL SAFE' WHEN 'r' THEN 'PARALLEL RESTRICTED' END,
                     CASE WHEN p.proisstrict THEN 'STRICT' END)
                || chr(10) || 'AS $function$' || p.prosrc || '$function$' || chr(10)
              FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE p.oid = o)
            """;
        yield return "CREATE OR REPLACE MACRO pg_get_function_result(o) AS NULL::VARCHAR";
        yield return "CREATE OR REPLACE MACRO pg_get_function_arguments(o) AS NULL::VARCHAR";
        yield return "CREATE OR REPLACE MACRO pg_get_function_identity_arguments(o) AS NULL::VARCHAR";
        yield return "CREATE OR REPLACE MACRO pg_get_partkeydef(o) AS NULL::VARCHAR";
        yield return "CREATE OR REPLACE MACRO pg_get_statisticsobjdef_columns(o) AS NULL::VARCHAR";
        yield return "CREATE OR REPLACE MACRO pg_get_serial_sequence(t, c) AS NULL::VARCHAR";
        yield return "CREATE OR REPLACE MACRO pg_relation_is_publishable(o) AS false";

        // Sizes: computed over every row, hidden ones included, so never reported.
        yield return "CREATE OR REPLACE MACRO pg_table_size(o) AS NULL::BIGINT";
        yield return "CREATE OR REPLACE MACRO pg_relation_size(o) AS NULL::BIGINT, (o, f) AS NULL::BIGINT";
        yield return "CREATE OR REPLACE MACRO pg_total_relation_size(o) AS NULL::BIGINT";
        yield return "CREATE OR REPLACE MACRO pg_indexes_size(o) AS NULL::BIGINT";
        yield return "CREATE OR REPLACE MACRO pg_database_size(o) AS NULL::BIGINT";
        yield return "CREATE OR REPLACE MACRO pg_tablespace_size(o) AS NULL::BIGINT";
        // Statistics: counted over every session's queries, so never reported either.
        yield return "CREATE OR REPLACE MACRO pg_stat_get_numscans(o) AS NULL::BIGINT";
        yield return """
            CREATE OR REPLACE MACRO pg_size_pretty(b) AS CASE
              WHEN b IS NULL THEN NULL WHEN abs(b) < 10240 THEN b || ' bytes' WHEN abs(b) < 10485760 THEN round(b / 1024) || ' kB'
              WHEN abs(b) < 10737418240 THEN round(b / 1048576) || ' MB' WHEN abs(b) < 10995116277760 THEN round(b / 1073741824) || ' GB'
              ELSE round(b / 1099511627776) || ' TB' END
            """;

        // PostgreSQL's identifier quoting: only names that are not plain lower-case identifiers are quoted.
        yield return "CREATE OR REPLACE MACRO quote_ident(s) AS CASE WHEN regexp_full_match(s, '[a-z_][a-z0-9_$]*') THEN s ELSE '\"' || replace(s, '\"', '\"\"') || '\"' END";

        // PostgreSQL's literal quoting: quotes doubled; a value with a backslash is written as an E'' string with its
        // backslashes doubled, so it reads back the same whatever standard_conforming_strings is.
        yield return """
            CREATE OR REPLACE MACRO quote_literal(v) AS CASE
              WHEN v IS NULL THEN NULL
              WHEN contains(v::VARCHAR, '\') THEN 'E''' || replace(replace(v::VARCHAR, '\', '\\'), '''', '''''') || ''''
              ELSE '''' || replace(v::VARCHAR, '''', '''''') || '''' END
            """;

        // PostgreSQL's parse_ident: a qualified name split into its parts, quoted parts kept as written, the others
        // folded to lower case (parse_ident('marketing."Sales"') = {marketing,Sales}).
        const string parseIdent = "list_transform(regexp_extract_all(s, '\"(?:[^\"]|\"\")*\"|[^.\"]+'), x -> CASE WHEN x[1] = '\"' THEN replace(x[2:-2], '\"\"', '\"') ELSE lower(trim(x)) END)";
        yield return $"CREATE OR REPLACE MACRO parse_ident(s) AS {parseIdent}, (s, strict) AS {parseIdent}";

        // Arrays: PostgreSQL's 1-based array functions over DuckDB lists.
        yield return "CREATE OR REPLACE MACRO array_upper(a, d) AS CASE WHEN d = 1 AND len(a) > 0 THEN len(a) END";
        yield return "CREATE OR REPLACE MACRO array_lower(a, d) AS CASE WHEN d = 1 AND len(a) > 0 THEN 1 END";
        yield return "CREATE OR REPLACE MACRO array_ndims(a) AS CASE WHEN len(a) > 0 THEN 1 END";
        yield return "CREATE OR REPLACE MACRO _pg_expandarray(a) AS unnest(list_transform(range(1, len(a) + 1), i -> {'x': a[i], 'n': i}))";

        // An options array ('name=value' texts) as rows, as psql's \des+, \dew+ and \deu+ list them.
        yield return """
            CREATE OR REPLACE MACRO pg_options_to_table(options) AS TABLE
            SELECT split_part(o, '=', 1) AS option_name, CASE WHEN strpos(o, '=') > 0 THEN substr(o, strpos(o, '=') + 1) END AS option_value
            FROM (SELECT unnest(options) AS o)
            """;
        // The gateway has no partitioned tables: a relation's tree is what pg_inherits holds (nothing).
        yield return "CREATE OR REPLACE MACRO pg_partition_tree(r) AS TABLE SELECT inhrelid AS relid, inhparent AS parentrelid, true AS isleaf, 1 AS level FROM pg_inherits WHERE inhparent = r";

        yield return $$"""
            CREATE OR REPLACE MACRO pg_get_keywords() AS TABLE
            SELECT word, catcode, barelabel, CASE catcode WHEN 'R' THEN 'reserved' WHEN 'U' THEN 'unreserved'
              WHEN 'C' THEN 'unreserved (cannot be function or type name)' ELSE 'reserved (can be function or type name)' END AS catdesc,
              CASE WHEN barelabel THEN 'can be bare label' ELSE 'requires AS' END AS baredesc
            FROM (VALUES {{Keywords()}}) k(word, catcode, barelabel)
            """;
    }

    /// <summary>The SQL keywords of PostgreSQL 16 that clients highlight or quote (reserved ones, as the SQL standard lists them).</summary>
    private static string Keywords()
    {
        const string reserved = "all analyse analyze and any array as asc asymmetric both case cast check collate column constraint create current_catalog current_date current_role current_time current_timestamp current_user default deferrable desc distinct do else end except false fetch for foreign from grant group having in initially intersect into lateral leading limit localtime localtimestamp not null offset on only or order placing primary references returning select session_user some symmetric system_user table then to trailing true union unique user using variadic when where window with";
        const string typeFunc = "authorization binary collation concurrently cross current_schema freeze full ilike inner is isnull join left like natural notnull outer overlaps right similar tablesample verbose";
        const string colName = "between bigint bit boolean char character coalesce dec decimal exists extract float greatest grouping inout int integer interval least national nchar none normalize nullif numeric out overlay position precision real row setof smallint substring time timestamp treat trim values varchar xmlattributes xmlconcat xmlelement xmlexists xmlforest xmlparse xmlpi xmlroot xmlserialize xmltable";
        const string unreserved = "abort absolute access action add admin after aggregate also alter always assertion assignment at attach attribute backward before begin by cache call called cascade cascaded catalog chain characteristics checkpoint class close cluster columns comment comments commit committed configuration conflict connection constraints content continue conversion copy cost csv cube current cursor cycle data database day deallocate declare defaults deferred definer delete delimiter delimiters depends detach dictionary disable discard document domain double drop each enable encoding encrypted enum escape event exclude excluding exclusive execute explain expression extension external family filter first following force forward function functions generated global granted groups handler header hold hour identity if immediate immutable implicit import include including increment index indexes inherit inherits inline input insensitive insert instead invoker isolation key label language large last leakproof level listen load local location lock locked logged mapping match materialized maxvalue method minute minvalue mode month move name names new next no nothing notify nowait nulls object of off oids old operator option options ordinality others over owned owner parallel parser partial partition passing password plans policy preceding prepare prepared preserve prior privileges procedural procedure procedures program publication quote range read reassign recheck recursive ref referencing refresh reindex relative release rename repeatable replace replica reset restart restrict return returns revoke role rollback rollup routine routines rows rule savepoint schema schemas scroll search second security sequence sequences serializable server session set sets share show simple skip snapshot sql stable standalone start statement statistics stdin stdout storage stored strict strip subscription support sysid system tables tablespace temp template temporary text ties transaction transform trigger truncate trusted type types uescape unbounded uncommitted unencrypted unknown unlisten unlogged until update vacuum valid validate validator value varying version view views volatile whitespace within without work wrapper write xml year yes zone";
        var rows = new List<string>();
        void Add(string words, char code)
        {
            foreach (var w in words.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                rows.Add($"('{w}', '{code}', {(code == 'R' && w is "as" or "from" or "into" or "to" or "where" ? "false" : "true")})");
        }
        Add(reserved, 'R');
        Add(typeFunc, 'T');
        Add(colName, 'C');
        Add(unreserved, 'U');
        return string.Join(", ", rows);
    }
}
