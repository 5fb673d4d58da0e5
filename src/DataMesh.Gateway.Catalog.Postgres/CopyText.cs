using System.Globalization;
using System.Text;

namespace DataMesh.Gateway.Catalog.Postgres;

/// <summary>
/// One field of PostgreSQL's COPY text format (tab-separated, <c>\N</c> for NULL, backslash escapes), from a value
/// SQLite returned. PostgreSQL parses the text into the column's type, so a value the column cannot hold (a word in an
/// integer column of a damaged file) fails the copy instead of being changed on the way.
/// </summary>
internal static class CopyText
{
    public static void Append(StringBuilder line, object value, string table, string column)
    {
        switch (value)
        {
            case DBNull:
                line.Append("\\N");
                break;
            case long l:
                line.Append(l.ToString(CultureInfo.InvariantCulture));
                break;
            case double d:
                // Round-trip form; .NET writes the non-finite values as PostgreSQL reads them (Infinity, -Infinity, NaN).
                line.Append(d.ToString("R", CultureInfo.InvariantCulture));
                break;
            case string s:
                AppendEscaped(line, s);
                break;
            default:
                throw new InvalidOperationException($"{table}.{column} holds a {value.GetType().Name}, which no catalog column stores");
        }
    }

    private static void AppendEscaped(StringBuilder line, string s)
    {
        foreach (var c in s)
        {
            switch (c)
            {
                case '\\': line.Append("\\\\"); break;
                case '\t': line.Append("\\t"); break;
                case '\n': line.Append("\\n"); break;
                case '\r': line.Append("\\r"); break;
                case '\0': throw new InvalidOperationException("a catalog text holds a NUL character, which PostgreSQL text cannot store");
                default: line.Append(c); break;
            }
        }
    }
}
