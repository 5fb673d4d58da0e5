using DataMesh.Gateway.Protocol.Errors;
using DataMesh.Gateway.Sql.Admin;

namespace DataMesh.Gateway.Admin.Commands;

/// <summary>HELP: the admin commands with a one-line summary each, or one command's syntax, from the parser's own table.</summary>
internal static class HelpCommands
{
    public static AdminResult Help(AdminContext ctx, Help s, int offset)
    {
        _ = ctx;
        if (s.Topic is null)
            return new AdminResult([new("command"), new("summary")],
                AdminParser.Commands.Select(c => new object?[] { c.Phrase, c.Summary }).ToList(), $"HELP {AdminParser.Commands.Count}");
        var matches = AdminParser.Commands.Where(c => c.Phrase == s.Topic).ToList();
        if (matches.Count == 0) matches = AdminParser.Commands.Where(c => c.Phrase.StartsWith(s.Topic + " ", StringComparison.Ordinal)).ToList();
        if (matches.Count == 0)
        {
            var nearest = NearestCommands.Nearest(s.Topic.Split(' '));
            throw new PgErrorException(SqlState.UndefinedObject, $"no admin command \"{s.Topic}\"", position: offset + s.TopicOffset + 1,
                hint: nearest is null ? "HELP lists the admin commands" : $"did you mean HELP {nearest.Phrase}?");
        }
        var rows = new List<object?[]>();
        foreach (var command in matches)
        {
            rows.Add([command.Phrase, command.Summary]);
            rows.AddRange(command.Syntax.Split('\n').Select(line => new object?[] { "", line }));
        }
        return new AdminResult([new("command"), new("help")], rows, $"HELP {rows.Count}");
    }
}
