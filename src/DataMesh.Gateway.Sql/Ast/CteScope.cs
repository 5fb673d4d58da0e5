namespace DataMesh.Gateway.Sql.Ast;

/// <summary>
/// The CTE names visible at one point of a query, as DuckDB 1.5.6's binder resolves them (checked by running queries
/// against real tables of the same names):
/// <list type="bullet">
/// <item>a CTE is visible in the query node that defines it (for a WITH before a UNION, both sides) and in every
/// query nested inside it, including later sibling CTE bodies; an inner CTE shadows an outer one and any table;</item>
/// <item>a CTE body does not see itself nor later siblings, even under WITH RECURSIVE; only the recursive term (the
/// right side of a RECURSIVE_CTE_NODE, and subqueries in it) sees the CTE being defined, the anchor does not;</item>
/// <item>only unqualified names match: <c>main.t</c> and <c>memory.main.t</c> are tables even with a CTE t in scope,
/// and so is <c>recurring.r</c> of USING KEY (left as a table: fail closed);</item>
/// <item>matching ignores ASCII case only, and quoting does not matter: <c>"A"</c> matches CTE <c>a</c>,
/// <c>"K"</c> matches CTE <c>"k"</c>, but <c>"é"</c> does not match CTE <c>"É"</c>; a string-literal table name
/// (<c>FROM 'x.parquet'</c>) also matches a CTE named <c>"x.parquet"</c>.</item>
/// </list>
/// </summary>
public sealed class CteScope
{
    public static readonly CteScope Empty = new(null, null);

    private readonly CteScope? _parent;
    private readonly string? _name;

    private CteScope(CteScope? parent, string? name)
    {
        _parent = parent;
        _name = name;
    }

    public CteScope With(string name) => new(this, name);

    public bool Contains(string name)
    {
        for (var s = this; s is not null; s = s._parent)
            if (s._name is not null && NamesMatch(s._name, name)) return true;
        return false;
    }

    /// <summary>DuckDB compares identifiers with ASCII-only case folding (StringUtil::CIEquals).</summary>
    public static bool NamesMatch(string a, string b)
    {
        if (a.Length != b.Length) return false;
        for (var i = 0; i < a.Length; i++)
            if (AsciiLower(a[i]) != AsciiLower(b[i])) return false;
        return true;
    }

    private static char AsciiLower(char c) => c is >= 'A' and <= 'Z' ? (char)(c + 32) : c;
}
