using System.Diagnostics;
using DataMesh.Gateway.Engine.Instances;
using DuckDB.NET.Data;

namespace DataMesh.Gateway.Engine.Serving;

/// <summary>What to build: the revision's files, the declared clustering and key, and where the copy goes.</summary>
/// <param name="Target">The finished copy's path. The copy is written beside it under a temporary name and renamed
/// into place only when complete, so a reader never finds a half-written file at <paramref name="Target"/>.</param>
public sealed record ServingCopyRequest(IReadOnlyList<string> SourceFiles, IReadOnlyList<string> ClusterBy,
    IReadOnlyList<string> PrimaryKey, string Target, int Threads = 1, string MemoryLimit = "1GB");

/// <summary>A finished serving copy: its file, rows, size on disk and the time the build took, with its phases
/// (reading and sorting into the table, the key's index, the checkpoint that writes the file) for profiles.</summary>
public sealed record ServingCopy(string Path, long Rows, long Bytes, TimeSpan Elapsed)
{
    public TimeSpan Loading { get; init; }
    public TimeSpan Indexing { get; init; }
    public TimeSpan Writing { get; init; }
}

/// <summary>
/// Builds a serving copy of one published revision: a native DuckDB database holding table <see cref="Table"/> with
/// every row and column of the revision's Parquet files (all of them: governance applies when it is read, exactly as
/// over the files), in the declared clustering order (so zone maps prune range scans) and with an ART index on the
/// declared key (so point lookups read a few rows instead of row groups). Runs on a private connection of its own that
/// never sees consumer SQL; the text it runs is built only from catalog-resolved paths and schema column names.
/// </summary>
public static class ServingCopyBuilder
{
    public const string Table = "rows";
    private const string BuildCatalog = "serving_build";

    public static ServingCopy Build(ServingCopyRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.SourceFiles.Count == 0) throw new ArgumentException("a serving copy needs at least one source file", nameof(request));
        if (!Path.IsPathFullyQualified(request.Target)) throw new ArgumentException($"the serving copy's path must be absolute: '{request.Target}'", nameof(request));
        var clock = Stopwatch.StartNew();
        var directory = Path.GetDirectoryName(request.Target)!;
        Directory.CreateDirectory(directory);
        var temporary = Path.Combine(directory, "." + Path.GetFileName(request.Target) + "." + Guid.NewGuid().ToString("N") + ".building");
        long rows;
        TimeSpan loading, indexing, writing;
        try
        {
            using (var connection = new DuckDBConnection(InstanceBuilder.ConnectionString))
            {
                connection.Open();
                using var command = connection.CreateCommand();
                using var cancel = cancellationToken.Register(command.Cancel);
                Run(command, $"SET threads = {Math.Max(1, request.Threads)}");
                Run(command, $"SET memory_limit = {DuckDbEngine.Literal(request.MemoryLimit)}");
                // Insertion order is what the zone maps of the copy are made of: keep the ORDER BY's order.
                Run(command, "SET preserve_insertion_order = true");
                Run(command, $"ATTACH {DuckDbEngine.Literal(temporary)} AS {BuildCatalog}");
                var files = "[" + string.Join(", ", request.SourceFiles.Select(DuckDbEngine.Literal)) + "]";
                var order = request.ClusterBy.Count == 0 ? "" : " ORDER BY " + string.Join(", ", request.ClusterBy.Select(SqlNames.Identifier));
                var phase = Stopwatch.StartNew();
                Run(command, $"CREATE TABLE {BuildCatalog}.main.{Table} AS SELECT * FROM read_parquet({files}){order}");
                loading = phase.Elapsed;
                phase.Restart();
                if (request.PrimaryKey.Count > 0)
                    Run(command, $"CREATE INDEX {Table}_key ON {BuildCatalog}.main.{Table} ({string.Join(", ", request.PrimaryKey.Select(SqlNames.Identifier))})");
                indexing = phase.Elapsed;
                command.CommandText = $"SELECT count(*) FROM {BuildCatalog}.main.{Table}";
                rows = Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
                phase.Restart();
                Run(command, $"DETACH {BuildCatalog}"); // checkpoints: the file alone holds everything
                writing = phase.Elapsed;
            }
            cancellationToken.ThrowIfCancellationRequested();
            File.Move(temporary, request.Target, overwrite: true);
        }
        finally
        {
            foreach (var leftover in new[] { temporary, temporary + ".wal" })
                if (File.Exists(leftover)) File.Delete(leftover);
        }
        return new ServingCopy(request.Target, rows, new FileInfo(request.Target).Length, clock.Elapsed)
        {
            Loading = loading, Indexing = indexing, Writing = writing,
        };
    }

    private static void Run(DuckDBCommand command, string sql)
    {
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
