using System.Globalization;
using DataMesh.Gateway.Catalog.Model;
using DataMesh.Gateway.Protocol.Errors;

namespace DataMesh.Gateway.Admin.Commands;

/// <summary>
/// The project's gateway-owned directory (&lt;data-dir&gt;/projects/&lt;dir&gt;: its workspace file, and its repository when it
/// has no storage) and what a DROP does with it: moved under &lt;data-dir&gt;/dropped/, never deleted, so that a project
/// created later under the same name provisions a new, empty workspace instead of inheriting the old one.
/// </summary>
internal static class ProjectFiles
{
    public static string? DirectoryOf(AdminContext ctx, ProjectRecord project)
    {
        var root = Path.Combine(ctx.Services.DataDirectory, "projects") + Path.DirectorySeparatorChar;
        var candidates = project.Resources.Values
            .Select(v => v.StartsWith("file://", StringComparison.Ordinal) ? v["file://".Length..] : v)
            .Where(v => v.StartsWith(root, StringComparison.Ordinal))
            .Select(v => root + v[root.Length..].Split(Path.DirectorySeparatorChar)[0])
            .Append(Path.Combine(root, project.Name));
        return candidates.FirstOrDefault(Directory.Exists);
    }

    /// <summary>
    /// The directory name a new project gets under &lt;data-dir&gt;/projects: its own name, unless a project renamed from
    /// that name still records paths there ("name.2", "name.3", … then). A directory nobody records (left by a crash
    /// between provisioning and recording, or by a transaction block's rehearsal) is the new project's to reuse.
    /// </summary>
    public static string FreeDirectoryName(AdminContext ctx, IEnumerable<ProjectRecord> projects, string name)
    {
        var root = Path.Combine(ctx.Services.DataDirectory, "projects") + Path.DirectorySeparatorChar;
        var taken = projects.SelectMany(p => p.Resources.Values)
            .Select(v => v.StartsWith("file://", StringComparison.Ordinal) ? v["file://".Length..] : v)
            .Where(v => v.StartsWith(root, StringComparison.Ordinal))
            .Select(v => v[root.Length..].Split(Path.DirectorySeparatorChar)[0])
            .ToHashSet(StringComparer.Ordinal);
        var candidate = name;
        for (var n = 2; taken.Contains(candidate); n++) candidate = $"{name}.{n.ToString(CultureInfo.InvariantCulture)}";
        return candidate;
    }

    public static void SetAside(AdminContext ctx, string project, string? directory)
    {
        if (directory is null || !Directory.Exists(directory)) return;
        var dropped = Path.Combine(ctx.Services.DataDirectory, "dropped");
        Directory.CreateDirectory(dropped);
        var target = Path.Combine(dropped, $"{project}-{ctx.Now.UtcDateTime.ToString("yyyyMMdd'T'HHmmss", CultureInfo.InvariantCulture)}");
        for (var n = 2; Directory.Exists(target); n++) target = Path.Combine(dropped, $"{project}-{ctx.Now.UtcDateTime.ToString("yyyyMMdd'T'HHmmss", CultureInfo.InvariantCulture)}-{n}");
        Directory.Move(directory, target);
    }
}

/// <summary>A project that sessions are connected to is neither dropped nor renamed (55006, as PostgreSQL's DROP and ALTER DATABASE).</summary>
internal static class ProjectSessions
{
    public static void RequireUnused(AdminContext ctx, string project, string verb)
    {
        if (ctx.Database == project)
            throw new PgErrorException(SqlState.ObjectInUse, $"cannot {verb} the currently open project \"{project}\"",
                hint: "Connect to another database (postgres) first.");
        var sessions = ctx.Services.Sessions?.CountIn(project) ?? 0;
        if (sessions > 0)
            throw new PgErrorException(SqlState.ObjectInUse, $"project \"{project}\" is being accessed by other users",
                detail: $"There {(sessions == 1 ? "is 1 other session" : $"are {sessions.ToString(CultureInfo.InvariantCulture)} other sessions")} using the project.");
    }
}
