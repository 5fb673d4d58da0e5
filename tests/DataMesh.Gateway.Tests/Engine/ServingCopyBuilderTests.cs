using DataMesh.Gateway.Engine.Serving;
using DuckDB.NET.Data;

namespace DataMesh.Gateway.Tests.Engine;

/// <summary>
/// The serving copy of a revision: every row of its files, in the declared clustering order, an ART index on the
/// declared key, and a file that appears at its path only when complete (a failed or cancelled build leaves nothing).
/// </summary>
public sealed class ServingCopyBuilderTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "datamesh-serving-" + Guid.NewGuid().ToString("N"));

    public ServingCopyBuilderTests()
    {
        Directory.CreateDirectory(_root);
        using var connection = Open();
        // Two files, rows shuffled (hash order), so the clustering is the builder's doing and not the files'.
        Exec(connection, $"COPY (SELECT i AS id, DATE '2024-01-01' + CAST(i % 97 AS INTEGER) AS day, 'r' || i AS label FROM range(0, 3000) t(i) ORDER BY hash(i)) TO '{Source(1)}' (FORMAT parquet, ROW_GROUP_SIZE 500)");
        Exec(connection, $"COPY (SELECT i AS id, DATE '2024-01-01' + CAST(i % 97 AS INTEGER) AS day, 'r' || i AS label FROM range(3000, 5000) t(i) ORDER BY hash(i)) TO '{Source(2)}' (FORMAT parquet, ROW_GROUP_SIZE 500)");
    }

    private string Source(int n) => Path.Combine(_root, $"part-{n}.parquet");

    private string Target => Path.Combine(_root, "serving", "asset-1-r1.duckdb");

    [Fact]
    public void The_copy_holds_every_row_sorted_by_the_clustering_with_an_index_on_the_key()
    {
        var copy = ServingCopyBuilder.Build(new ServingCopyRequest([Source(1), Source(2)], ["day", "id"], ["id"], Target));

        Assert.Equal(Target, copy.Path);
        Assert.Equal(5000, copy.Rows);
        Assert.Equal(new FileInfo(Target).Length, copy.Bytes);
        Assert.Equal([Path.GetFileName(Target)], Directory.GetFiles(Path.GetDirectoryName(Target)!).Select(Path.GetFileName));
        using var connection = Open();
        Exec(connection, $"ATTACH '{Target}' AS c (READ_ONLY)");
        // The same rows as the files, nothing more or less.
        Assert.Equal(0L, Scalar(connection, $"SELECT count(*) FROM (SELECT * FROM read_parquet(['{Source(1)}', '{Source(2)}']) EXCEPT ALL SELECT * FROM c.main.rows)"));
        Assert.Equal(0L, Scalar(connection, $"SELECT count(*) FROM (SELECT * FROM c.main.rows EXCEPT ALL SELECT * FROM read_parquet(['{Source(1)}', '{Source(2)}']))"));
        // Stored in clustering order: rowid order is (day, id) order.
        Assert.Equal(0L, Scalar(connection,
            "SELECT count(*) FROM (SELECT rowid AS r, row_number() OVER (ORDER BY day, id) - 1 AS expected FROM c.main.rows) WHERE r <> expected"));
        Assert.Equal("CREATE INDEX rows_key ON \"rows\"(id);", Scalar(connection, "SELECT \"sql\" FROM duckdb_indexes() WHERE database_name = 'c' AND table_name = 'rows'"));
        Assert.Equal("r4242", Scalar(connection, "SELECT label FROM c.main.rows WHERE id = 4242"));
    }

    [Fact]
    public void Without_a_key_or_clustering_the_copy_keeps_the_files_rows_and_has_no_index()
    {
        var copy = ServingCopyBuilder.Build(new ServingCopyRequest([Source(1)], [], [], Target));
        Assert.Equal(3000, copy.Rows);
        using var connection = Open();
        Exec(connection, $"ATTACH '{Target}' AS c (READ_ONLY)");
        Assert.Equal(0L, Scalar(connection, "SELECT count(*) FROM duckdb_indexes() WHERE database_name = 'c'"));
    }

    [Fact]
    public void A_failed_build_leaves_no_file_and_keeps_the_previous_copy()
    {
        ServingCopyBuilder.Build(new ServingCopyRequest([Source(1)], ["day"], ["id"], Target));
        var before = File.ReadAllBytes(Target);

        Assert.Throws<DuckDBException>(() => ServingCopyBuilder.Build(new ServingCopyRequest([Source(1), Source(2)], ["no_such_column"], ["id"], Target)));
        Assert.Throws<DuckDBException>(() => ServingCopyBuilder.Build(new ServingCopyRequest([Path.Combine(_root, "missing.parquet")], [], [], Target)));

        Assert.Equal(before, File.ReadAllBytes(Target));
        Assert.Equal([Path.GetFileName(Target)], Directory.GetFiles(Path.GetDirectoryName(Target)!).Select(Path.GetFileName));
    }

    [Fact]
    public void A_cancelled_build_leaves_no_file()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.ThrowsAny<Exception>(() => ServingCopyBuilder.Build(new ServingCopyRequest([Source(1), Source(2)], ["day"], ["id"], Target), cancelled.Token));
        Assert.False(File.Exists(Target));
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(Target)!));
    }

    private static DuckDBConnection Open()
    {
        var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        return connection;
    }

    private static void Exec(DuckDBConnection connection, string sql)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    private static object? Scalar(DuckDBConnection connection, string sql)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        return cmd.ExecuteScalar();
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
