using DataMesh.Gateway.Admin;
using DataMesh.Gateway.Protocol.Errors;
using DataMesh.Gateway.Sql.Admin;
using DataMesh.Gateway.Sql.Lexing;
using Microsoft.Extensions.Logging;

namespace DataMesh.Gateway.Demo;

/// <summary>
/// Runs catalog-seed/demo.sql through the admin path (parser, executor, permissions, audit) as the users it names.
/// It is re-runnable: objects that already exist (42710) or are already in the target state (55000) are skipped, so a
/// seed interrupted by a crash completes on the next start.
/// </summary>
public static class DemoSeed
{
    public static void Run(AdminCatalog catalog, string scriptPath, string dataDirectory, ILogger logger)
    {
        var script = File.ReadAllText(scriptPath).Replace("{data_dir}", dataDirectory.Replace("'", "''", StringComparison.Ordinal), StringComparison.Ordinal);
        var user = "carol";
        var applied = 0;
        foreach (var (text, runAs) in Statements(script))
        {
            user = runAs ?? user;
            var statement = StatementSplitter.Split(text).Single();
            if (!AdminParser.TryParse(statement, out var command) || command is null)
                throw new InvalidOperationException($"demo seed line is not an admin command: {text}");
            try
            {
                catalog.Executor.Execute(command, user, "postgres", statement.Text);
                applied++;
            }
            catch (PgErrorException e) when (e.SqlState is SqlState.DuplicateObject or SqlState.ObjectNotInPrerequisiteState)
            {
                // already applied by an earlier (interrupted) start
            }
        }
        logger.LogInformation("Demo catalog seeded: {Count} admin command(s) applied", applied);
    }

    /// <summary>Splits the script into statements, each with the "-- @as" user in force before it.</summary>
    private static IEnumerable<(string Text, string? RunAs)> Statements(string script)
    {
        string? runAs = null;
        var current = new System.Text.StringBuilder();
        foreach (var line in script.Split('\n'))
        {
            var trimmed = line.Trim();
            if (trimmed.StartsWith("-- @as ", StringComparison.Ordinal))
            {
                runAs = trimmed["-- @as ".Length..].Trim();
                continue;
            }
            if (trimmed.StartsWith("--", StringComparison.Ordinal) || trimmed.Length == 0) continue;
            current.Append(line).Append('\n');
            if (trimmed.EndsWith(';'))
            {
                yield return (current.ToString().Trim().TrimEnd(';'), runAs);
                runAs = null;
                current.Clear();
            }
        }
    }
}
