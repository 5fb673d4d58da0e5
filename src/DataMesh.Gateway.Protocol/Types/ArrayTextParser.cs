using System.Text;
using DataMesh.Gateway.Protocol.Errors;

namespace DataMesh.Gateway.Protocol.Types;

/// <summary>Parses PostgreSQL's one-dimensional array text form, <c>{1,"a b",NULL}</c>, into element texts.</summary>
public static class ArrayTextParser
{
    public static List<string?> Parse(string text)
    {
        var t = text.Trim();
        if (t.Length < 2 || t[0] != '{' || t[^1] != '}')
            throw new PgErrorException(SqlState.InvalidTextRepresentation, $"malformed array literal: \"{text}\"");
        var items = new List<string?>();
        var body = t.AsSpan(1, t.Length - 2);
        if (body.Trim().IsEmpty) return items;
        var sb = new StringBuilder();
        var i = 0;
        while (i <= body.Length)
        {
            sb.Clear();
            while (i < body.Length && char.IsWhiteSpace(body[i])) i++;
            var quoted = i < body.Length && body[i] == '"';
            if (quoted)
            {
                i++;
                while (i < body.Length && body[i] != '"')
                {
                    if (body[i] == '\\' && i + 1 < body.Length) i++;
                    sb.Append(body[i++]);
                }
                if (i >= body.Length) throw new PgErrorException(SqlState.InvalidTextRepresentation, $"malformed array literal: \"{text}\"");
                i++;
                while (i < body.Length && char.IsWhiteSpace(body[i])) i++;
            }
            else
            {
                while (i < body.Length && body[i] != ',')
                {
                    if (body[i] is '{' or '"') throw new PgErrorException(SqlState.FeatureNotSupported, "only one-dimensional arrays are supported");
                    sb.Append(body[i++]);
                }
            }
            var value = quoted ? sb.ToString() : sb.ToString().Trim();
            items.Add(!quoted && value.Equals("NULL", StringComparison.OrdinalIgnoreCase) ? null : value);
            if (i < body.Length && body[i] != ',') throw new PgErrorException(SqlState.InvalidTextRepresentation, $"malformed array literal: \"{text}\"");
            i++;
        }
        return items;
    }

    /// <summary>Appends one element to an array's text form, quoting it when PostgreSQL would.</summary>
    public static void AppendElement(StringBuilder sb, string? element)
    {
        if (element is null)
        {
            sb.Append("NULL");
            return;
        }
        var needsQuotes = element.Length == 0 || element.Equals("NULL", StringComparison.OrdinalIgnoreCase)
            || element.AsSpan().IndexOfAny("{},\"\\ \t\n") >= 0;
        if (!needsQuotes)
        {
            sb.Append(element);
            return;
        }
        sb.Append('"');
        foreach (var c in element)
        {
            if (c is '"' or '\\') sb.Append('\\');
            sb.Append(c);
        }
        sb.Append('"');
    }
}
