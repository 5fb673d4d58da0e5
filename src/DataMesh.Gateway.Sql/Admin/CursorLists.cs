using System.Globalization;
using DataMesh.Gateway.Sql.Lexing;

namespace DataMesh.Gateway.Sql.Admin;

/// <summary>Reads parenthesised lists: <c>(a, b)</c> and option lists <c>(key = 'value', ...)</c>.</summary>
internal static class CursorLists
{
    /// <summary>
    /// <c>( item, item, ... )</c>. Empty lists are allowed only where they mean "none" (e.g. SET TERMS () clears
    /// the terms); elsewhere an empty list is a mistake worth reporting at the closing parenthesis.
    /// </summary>
    public static List<T> ExpectList<T>(this TokenCursor cursor, string what, bool allowEmpty, Func<TokenCursor, T> item)
    {
        cursor.ExpectSymbol("(");
        var items = new List<T>();
        if (cursor.IsSymbol(")"))
        {
            if (!allowEmpty) throw cursor.Unexpected(what);
            cursor.Skip(1);
            return items;
        }
        do items.Add(item(cursor));
        while (cursor.AcceptSymbol(","));
        if (!cursor.AcceptSymbol(")")) throw cursor.Unexpected("\",\" or \")\"");
        return items;
    }

    /// <summary>A list of names where each may appear once (columns): a repeat is an error at the repeat.</summary>
    public static List<string> ExpectNameList(this TokenCursor cursor, string what, bool allowEmpty = false)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        return cursor.ExpectList(what, allowEmpty, c =>
        {
            var token = c.Peek();
            var name = c.ExpectName(what);
            if (!seen.Add(name)) throw c.ErrorAt(token!.Value, $"{what} \"{name}\" is listed twice");
            return name;
        });
    }

    /// <summary>
    /// <c>( key = 'value', ... )</c>. Keys are names (folded); a repeated key is an error rather than "last wins"
    /// so a typo cannot silently drop a setting. Numbers are allowed where <paramref name="allowNumbers"/> says so
    /// (blueprint parameters such as <c>max_rows = 1000</c>) and are kept as written.
    /// </summary>
    public static Dictionary<string, string> ExpectOptions(this TokenCursor cursor, string what, bool allowNumbers, bool allowEmpty)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        cursor.ExpectList(what, allowEmpty, c =>
        {
            var keyToken = c.Peek();
            var key = c.ExpectName($"{what} name");
            if (options.ContainsKey(key)) throw c.ErrorAt(keyToken!.Value, $"{what} \"{key}\" is specified more than once");
            c.ExpectSymbol("=");
            options[key] = allowNumbers ? ExpectStringOrNumber(c) : c.ExpectString("string literal");
            return key;
        });
        return options;
    }

    private static string ExpectStringOrNumber(TokenCursor cursor)
    {
        if (cursor.Peek() is { Kind: SqlTokenKind.String }) return cursor.ExpectString("value");
        var negative = cursor.AcceptSymbol("-");
        if (cursor.Peek() is not { Kind: SqlTokenKind.Number } token) throw cursor.Unexpected("string literal or number");
        // The lexer lets letters run on ("2GB" is one Number token); such values must be quoted instead.
        if (!double.TryParse(token.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
            throw cursor.ErrorAt(token, $"invalid number \"{TokenCursor.Show(token)}\" (quote it as a string)");
        cursor.Skip(1);
        return negative ? "-" + token.Value : token.Value;
    }
}
