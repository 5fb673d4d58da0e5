using System.Collections.Frozen;
using System.Globalization;
using System.Text;

using DataMesh.Gateway.Engine.Instances;

namespace DataMesh.Gateway.Engine.CatalogData;

/// <summary>
/// PostgreSQL 15's own type rows for the pg_catalog emulation: the built-in types of pg_type (with their real OIDs,
/// categories, array links and I/O functions), the pg_proc rows of those functions, and pg_range. Loaded from the
/// embedded <c>pg15-*.tsv</c> files that <c>tests/corpus/pg-types.sh</c> extracts from a real server, so a client
/// that looks a type up (jsonb, inet, name, regclass, int4range, …) finds the row PostgreSQL would give it.
/// </summary>
internal static class PgCatalogData
{
    public static IReadOnlyList<string[]> Types { get; } = Load("pg15-types.tsv", 24);
    public static IReadOnlyList<string[]> Procs { get; } = Load("pg15-procs.tsv", 9);
    public static IReadOnlyList<string[]> Ranges { get; } = Load("pg15-ranges.tsv", 7);

    /// <summary>The names of the I/O functions by OID: what a regproc column (pg_type.typinput …) shows as text.</summary>
    public static FrozenDictionary<uint, string> ProcNames { get; } =
        Procs.ToFrozenDictionary(p => uint.Parse(p[0], CultureInfo.InvariantCulture), p => p[1]);

    private static readonly FrozenDictionary<string, int> TypeOids =
        Types.ToFrozenDictionary(t => t[1], t => int.Parse(t[0], CultureInfo.InvariantCulture), StringComparer.OrdinalIgnoreCase);

    private static readonly FrozenDictionary<string, int> ArrayOids =
        Types.Where(t => t[9] != "0").ToFrozenDictionary(t => t[1], t => int.Parse(t[9], CultureInfo.InvariantCulture), StringComparer.OrdinalIgnoreCase);

    private static readonly FrozenDictionary<int, (char Align, char Storage)> Layouts =
        Types.ToFrozenDictionary(t => int.Parse(t[0], CultureInfo.InvariantCulture), t => (t[22][0], t[23][0]));

    /// <summary>typalign of a type (what pg_attribute.attalign copies); 'i' for a type not in the table.</summary>
    public static char Align(int oid) => Layouts.TryGetValue(oid, out var l) ? l.Align : 'i';

    /// <summary>typstorage of a type (pg_attribute.attstorage starts as it; pg_dump writes SET STORAGE when they differ).</summary>
    public static char Storage(int oid) => Layouts.TryGetValue(oid, out var l) ? l.Storage : 'p';

    /// <summary>A type name as SQL writes it, through PostgreSQL's grammar aliases, to its OID; null when unknown.</summary>
    public static int? TypeOid(string name)
    {
        var n = string.Join(' ', name.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToLowerInvariant();
        var array = n.EndsWith("[]", StringComparison.Ordinal);
        if (array) n = n[..^2].TrimEnd();
        if (n.StartsWith("pg_catalog.", StringComparison.Ordinal)) n = n["pg_catalog.".Length..];
        var paren = n.IndexOf('(');
        if (paren > 0) n = n[..paren].TrimEnd();
        n = n.Trim('"') switch
        {
            "int" or "integer" => "int4",
            "smallint" => "int2",
            "bigint" => "int8",
            "real" => "float4",
            "float" or "double precision" => "float8",
            "decimal" or "dec" => "numeric",
            "boolean" => "bool",
            "character varying" or "char varying" => "varchar",
            "character" or "nchar" => "bpchar",
            "timestamp without time zone" => "timestamp",
            "timestamp with time zone" => "timestamptz",
            "time without time zone" => "time",
            "time with time zone" => "timetz",
            var other => other,
        };
        return array ? (ArrayOids.TryGetValue(n, out var a) ? a : null) : (TypeOids.TryGetValue(n, out var o) ? o : null);
    }

    public static string TypeInserts()
    {
        var sql = new StringBuilder("""
            INSERT INTO pg_type (oid, typname, typnamespace, typowner, typlen, typbyval, typtype, typcategory, typispreferred,
              typisdefined, typdelim, typrelid, typelem, typarray, typinput, typoutput, typreceive, typsend, typmodin, typmodout,
              typanalyze, typsubscript, typnotnull, typbasetype, typtypmod, typndims, typcollation, typdefault, typalign, typstorage) VALUES
            """);
        var first = true;
        foreach (var t in Types)
        {
            if (!first) sql.Append(", ");
            first = false;
            sql.Append(CultureInfo.InvariantCulture,
                $"({t[0]}, {SqlNames.Literal(t[1])}, {PgCatalogEmulation.PgCatalogNamespaceOid}, 10, {t[2]}, {Bool(t[3])}, '{t[4]}', '{t[5]}', {Bool(t[6])}, true, {SqlNames.Literal(t[7])}, 0, ")
              .Append(CultureInfo.InvariantCulture, $"{t[8]}, {t[9]}, {t[10]}, {t[11]}, {t[12]}, {t[13]}, {t[14]}, {t[15]}, {t[16]}, {t[17]}, false, {t[18]}, {t[19]}, {t[20]}, {t[21]}, NULL, '{t[22]}', '{t[23]}')");
        }
        return sql.ToString();
    }

    public static string ProcInserts()
    {
        var sql = new StringBuilder(
            "INSERT INTO pg_proc (oid, proname, pronamespace, proowner, prorettype, proargtypes, pronargs, prokind, provolatile, proisstrict, prolang, prosrc) VALUES ");
        for (var i = 0; i < Procs.Count; i++)
        {
            var p = Procs[i];
            if (i > 0) sql.Append(", ");
            // Language 12 is "internal": every one of these is a C function of the server.
            sql.Append(CultureInfo.InvariantCulture,
                $"({p[0]}, {SqlNames.Literal(p[1])}, {PgCatalogEmulation.PgCatalogNamespaceOid}, 10, {p[2]}, {SqlNames.Literal(p[3])}, {p[4]}, '{p[5]}', '{p[6]}', {Bool(p[7])}, 12, {SqlNames.Literal(p[8])})");
        }
        return sql.ToString();
    }

    public static string RangeInserts() =>
        "INSERT INTO pg_range VALUES " + string.Join(", ", Ranges.Select(r => "(" + string.Join(", ", r) + ")"));

    private static string Bool(string value) => value == "t" ? "true" : "false";

    private static List<string[]> Load(string name, int fields)
    {
        using var stream = typeof(PgCatalogData).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"the embedded {name} is missing");
        using var reader = new StreamReader(stream);
        var rows = new List<string[]>();
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0 || line[0] == '#') continue;
            var f = line.Split('\t');
            if (f.Length != fields) throw new InvalidOperationException($"{name}: expected {fields} fields in \"{line}\"");
            rows.Add(f);
        }
        return rows;
    }
}
