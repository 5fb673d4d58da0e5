namespace DataMesh.Gateway.Engine;

/// <summary>
/// Catalog relations for kinds of object a gateway never has: encoding conversions, operator families and their
/// members, foreign-data wrappers, servers and user mappings, text-search configurations, large objects,
/// subscriptions, default privileges, parameter privileges and per-database role settings. psql's <c>\dc</c>,
/// <c>\dd</c>, <c>\dA*</c>, <c>\de*</c>, <c>\dF*</c>, <c>\dl</c>, <c>\dRs</c>, <c>\ddp</c>, <c>\dconfig+</c> and
/// <c>\drds</c> read them. They exist with PostgreSQL's column names and types and stay empty, so those commands
/// answer "none" instead of failing.
/// </summary>
internal static class PgCatalogAbsentObjects
{
    private const string O = Types.TypeMapper.OidAlias;
    private const string N = Types.TypeMapper.NameAlias;
    private const string C = Types.TypeMapper.CharAlias;

    public static IEnumerable<string> Statements()
    {
        yield return $"CREATE TABLE pg_conversion (oid {O}, conname {N}, connamespace {O}, conowner {O}, conforencoding INTEGER, contoencoding INTEGER, conproc {O}, condefault BOOLEAN)";
        yield return $"CREATE TABLE pg_opfamily (oid {O}, opfmethod {O}, opfname {N}, opfnamespace {O}, opfowner {O})";
        yield return $$"""
            CREATE TABLE pg_amop (oid {{O}}, amopfamily {{O}}, amoplefttype {{O}}, amoprighttype {{O}}, amopstrategy SMALLINT,
              amoppurpose {{C}}, amopopr {{O}}, amopmethod {{O}}, amopsortfamily {{O}})
            """;
        yield return $"CREATE TABLE pg_amproc (oid {O}, amprocfamily {O}, amproclefttype {O}, amprocrighttype {O}, amprocnum SMALLINT, amproc {O})";

        yield return $"CREATE TABLE pg_foreign_data_wrapper (oid {O}, fdwname {N}, fdwowner {O}, fdwhandler {O}, fdwvalidator {O}, fdwacl VARCHAR[], fdwoptions VARCHAR[])";
        yield return $"CREATE TABLE pg_foreign_server (oid {O}, srvname {N}, srvowner {O}, srvfdw {O}, srvtype VARCHAR, srvversion VARCHAR, srvacl VARCHAR[], srvoptions VARCHAR[])";
        yield return $"CREATE TABLE pg_user_mapping (oid {O}, umuser {O}, umserver {O}, umoptions VARCHAR[])";
        yield return $"""
            CREATE VIEW pg_user_mappings AS
            SELECT u.oid AS umid, s.oid AS srvid, s.srvname, u.umuser, r.rolname AS usename, u.umoptions
            FROM pg_user_mapping u JOIN pg_foreign_server s ON s.oid = u.umserver LEFT JOIN pg_roles r ON r.oid = u.umuser
            """;

        yield return $"CREATE TABLE pg_ts_config (oid {O}, cfgname {N}, cfgnamespace {O}, cfgowner {O}, cfgparser {O})";
        yield return $"CREATE TABLE pg_ts_config_map (mapcfg {O}, maptokentype INTEGER, mapseqno INTEGER, mapdict {O})";
        yield return $"CREATE TABLE pg_ts_dict (oid {O}, dictname {N}, dictnamespace {O}, dictowner {O}, dicttemplate {O}, dictinitoption VARCHAR)";
        yield return $"CREATE TABLE pg_ts_parser (oid {O}, prsname {N}, prsnamespace {O}, prsstart {O}, prstoken {O}, prsend {O}, prsheadline {O}, prslextype {O})";
        yield return $"CREATE TABLE pg_ts_template (oid {O}, tmplname {N}, tmplnamespace {O}, tmplinit {O}, tmpllexize {O})";

        yield return $"CREATE TABLE pg_largeobject_metadata (oid {O}, lomowner {O}, lomacl VARCHAR[])";
        yield return $$"""
            CREATE TABLE pg_subscription (oid {{O}}, subdbid {{O}}, subskiplsn VARCHAR, subname {{N}}, subowner {{O}}, subenabled BOOLEAN,
              subbinary BOOLEAN, substream {{C}}, subtwophasestate {{C}}, subdisableonerr BOOLEAN, subpasswordrequired BOOLEAN,
              subrunasowner BOOLEAN, subfailover BOOLEAN, subconninfo VARCHAR, subslotname {{N}}, subsynccommit VARCHAR,
              subpublications VARCHAR[], suborigin VARCHAR)
            """;
        yield return $"CREATE TABLE pg_default_acl (oid {O}, defaclrole {O}, defaclnamespace {O}, defaclobjtype {C}, defaclacl VARCHAR[])";
        yield return $"CREATE TABLE pg_parameter_acl (oid {O}, parname VARCHAR, paracl VARCHAR[])";
        yield return $"CREATE TABLE pg_db_role_setting (setdatabase {O}, setrole {O}, setconfig VARCHAR[])";
        // pg_dump reads these: no transforms, no privileges set at initdb time, no security labels.
        yield return $"CREATE TABLE pg_transform (oid {O}, trftype {O}, trflang {O}, trffromsql regproc, trftosql regproc)";
        yield return $"CREATE TABLE pg_init_privs (objoid {O}, classoid {O}, objsubid INTEGER, privtype {C}, initprivs VARCHAR[])";
        yield return $"CREATE TABLE pg_seclabel (objoid {O}, classoid {O}, objsubid INTEGER, provider VARCHAR, label VARCHAR)";
        yield return $"""
            CREATE VIEW pg_seclabels AS SELECT objoid, classoid, objsubid, NULL::VARCHAR AS objtype, NULL::{O} AS objnamespace,
              NULL::VARCHAR AS objname, provider, label FROM pg_seclabel
            """;
    }
}
