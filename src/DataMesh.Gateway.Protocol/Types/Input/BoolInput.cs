using DataMesh.Gateway.Protocol.Errors;

namespace DataMesh.Gateway.Protocol.Types.Input;

/// <summary>
/// PostgreSQL's boolin: surrounding spaces ignored; true/false, yes/no, on/off and 1/0 in any case, and unique prefixes
/// of the words ("t", "tr", "ye", "of"; not "o"). Anything else is 22P02.
/// </summary>
public static class BoolInput
{
    public static bool Parse(string text) => TryParse(text.Trim()) ?? throw new PgErrorException(
        SqlState.InvalidTextRepresentation, $"invalid input syntax for type boolean: \"{text}\"");

    public static bool? TryParse(string value)
    {
        var v = value.ToLowerInvariant();
        if (v.Length == 0) return null;
        return v[0] switch
        {
            't' when IsPrefix(v, "true", 1) => true,
            'f' when IsPrefix(v, "false", 1) => false,
            'y' when IsPrefix(v, "yes", 1) => true,
            'n' when IsPrefix(v, "no", 1) => false,
            'o' when v == "on" => true,
            'o' when IsPrefix(v, "off", 2) => false,
            '1' when v.Length == 1 => true,
            '0' when v.Length == 1 => false,
            _ => null,
        };
    }

    private static bool IsPrefix(string v, string word, int minimum) =>
        v.Length >= minimum && v.Length <= word.Length && word.StartsWith(v, StringComparison.Ordinal);
}
