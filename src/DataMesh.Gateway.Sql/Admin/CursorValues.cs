using System.Globalization;
using System.Text;
using DataMesh.Gateway.Sql.Lexing;

namespace DataMesh.Gateway.Sql.Admin;

/// <summary>Reads the admin grammar's value forms: names, asset names, string literals, integers.</summary>
internal static class CursorValues
{
    /// <summary>PostgreSQL's NAMEDATALEN - 1: longer names would be silently truncated there, so we refuse them.</summary>
    public const int MaxNameLength = 63;

    /// <summary>
    /// An identifier: unquoted words fold to lower case, quoted identifiers keep their exact text. Folding is
    /// ASCII-only, as PostgreSQL does under UTF-8, so "Ärger" stays "Ärger" rather than becoming "ärger".
    /// </summary>
    public static string ExpectName(this TokenCursor cursor, string what)
    {
        if (cursor.Peek() is not { Kind: SqlTokenKind.Word or SqlTokenKind.QuotedIdentifier } token)
            throw cursor.Unexpected(what);
        var name = token.Kind == SqlTokenKind.Word ? FoldAscii(token.Value) : token.Value;
        if (name.Length == 0)
            throw cursor.ErrorAt(token, "zero-length delimited identifier");
        // Counted in characters (Unicode scalar values), not UTF-16 units, so one emoji is one character.
        if (name.EnumerateRunes().Count() > MaxNameLength)
            throw cursor.ErrorAt(token, $"{what} \"{TokenCursor.Show(token)}\" is too long (at most {MaxNameLength} characters)");
        cursor.Skip(1);
        return name;
    }

    /// <summary>project.asset — both parts are names; the dot is mandatory because assets live in projects.</summary>
    public static AssetName ExpectAssetName(this TokenCursor cursor)
    {
        var project = cursor.ExpectName("asset name (project.asset)");
        if (!cursor.AcceptSymbol(".")) throw cursor.Unexpected("\".\" and asset name (project.asset)");
        return new AssetName(project, cursor.ExpectName("asset name"));
    }

    /// <summary>A string literal's decoded value; its content is data and never interpreted.</summary>
    public static string ExpectString(this TokenCursor cursor, string what)
    {
        if (cursor.Peek() is not { Kind: SqlTokenKind.String } token) throw cursor.Unexpected(what);
        cursor.Skip(1);
        return token.Value;
    }

    /// <summary>Glossary terms may be written as a string literal ('Net Revenue') or as an identifier.</summary>
    public static string ExpectNameOrString(this TokenCursor cursor, string what) =>
        cursor.Peek() is { Kind: SqlTokenKind.String } ? cursor.ExpectString(what) : cursor.ExpectName(what);

    /// <summary>A subscription id: a positive integer written as digits only (no sign, decimal point or exponent).</summary>
    public static long ExpectSubscriptionId(this TokenCursor cursor)
    {
        var token = ExpectDigits(cursor, "subscription id");
        if (!long.TryParse(token.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var id) || id <= 0)
            throw cursor.ErrorAt(token, $"subscription id must be a positive integer, got \"{TokenCursor.Show(token)}\"");
        return id;
    }

    /// <summary>An integer in [min, max], written as digits only.</summary>
    public static int ExpectInteger(this TokenCursor cursor, string what, int min, int max)
    {
        var token = ExpectDigits(cursor, what);
        if (!int.TryParse(token.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
            throw cursor.ErrorAt(token, $"{what} must be an integer between {min} and {max}, got \"{TokenCursor.Show(token)}\"");
        return value;
    }

    private static SqlToken ExpectDigits(TokenCursor cursor, string what)
    {
        if (cursor.Peek() is not { Kind: SqlTokenKind.Number } token) throw cursor.Unexpected(what);
        if (!token.Value.All(char.IsAsciiDigit))
            throw cursor.ErrorAt(token, $"{what} must be a whole number, got \"{TokenCursor.Show(token)}\"");
        cursor.Skip(1);
        return token;
    }

    private static string FoldAscii(string word)
    {
        var sb = new StringBuilder(word.Length);
        foreach (var c in word) sb.Append(char.IsAsciiLetterUpper(c) ? (char)(c + ('a' - 'A')) : c);
        return sb.ToString();
    }
}
