using DataMesh.Gateway.Sql.Lexing;

namespace DataMesh.Gateway.Sql;

/// <summary>
/// The types a statement's text gives its parameters with a cast written right after them (<c>$1::oid[]</c>,
/// <c>$2::pg_catalog.int8</c>, <c>$3::double precision</c>): PostgreSQL types such a parameter by its cast when the
/// client declared none, and clients depend on it (asyncpg's type introspection binds a Python list to
/// <c>any($1::oid[])</c> and encodes it by the type ParameterDescription names). The engine cannot always infer these
/// itself (a comparison with a pg_catalog oid column leaves the parameter untyped).
/// </summary>
public static class ExplicitParameterTypes
{
    /// <summary>
    /// One OID per parameter (<paramref name="count"/> of them): the type of the first <c>$n::type</c> cast of each,
    /// or 0 where the text casts it nowhere or to a type <paramref name="typeOid"/> does not know.
    /// </summary>
    public static int[] Read(string sql, int count, Func<string, int?> typeOid)
    {
        var oids = new int[count];
        if (count == 0 || !sql.Contains("::", StringComparison.Ordinal)) return oids;
        var t = SqlLexer.Tokenize(sql);
        for (var i = 0; i < t.Count; i++)
        {
            if (t[i].Kind != SqlTokenKind.Parameter || !int.TryParse(t[i].Value, out var n) || n < 1 || n > count || oids[n - 1] != 0) continue;
            var k = i + 1;
            if (k < t.Count && t[k].Text == "::") k++;
            else if (k + 1 < t.Count && t[k].Text == ":" && t[k + 1].Text == ":") k += 2;
            else continue;
            if (TypeName(t, k) is { } name && typeOid(name) is { } oid) oids[n - 1] = oid;
        }
        return oids;
    }

    /// <summary>The type name starting at <paramref name="k"/>: optional schema, one or two words, optional [].</summary>
    private static string? TypeName(IReadOnlyList<SqlToken> t, int k)
    {
        if (k >= t.Count || t[k].Kind is not (SqlTokenKind.Word or SqlTokenKind.QuotedIdentifier)) return null;
        var name = t[k].Value;
        if (k + 2 < t.Count && t[k + 1].Text == "." && t[k + 2].Kind is SqlTokenKind.Word or SqlTokenKind.QuotedIdentifier)
        {
            name = t[k].Value + "." + t[k + 2].Value;
            k += 2;
        }
        // The two-word names PostgreSQL's grammar knows (double precision, character varying).
        if (k + 1 < t.Count && t[k + 1].Kind == SqlTokenKind.Word && t[k + 1].Value.ToLowerInvariant() is "precision" or "varying")
            name += " " + t[++k].Value;
        if (k + 1 < t.Count && t[k + 1].Text == "[]" || k + 2 < t.Count && t[k + 1].Text == "[" && t[k + 2].Text == "]") name += "[]";
        return name;
    }
}
