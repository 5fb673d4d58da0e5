using System.Globalization;
using DataMesh.Gateway.Catalog.Store;
using DataMesh.Gateway.Catalog.Store.Postgres;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace DataMesh.Gateway.Catalog.Postgres;

/// <summary>What <see cref="CatalogMigration.Copy"/> copied: rows per target table, and the change-log position.</summary>
public sealed record CatalogCopyReport(IReadOnlyDictionary<string, long> Rows, long CatalogVersion);

/// <summary>
/// <c>datamesh catalog migrate --from sqlite:PATH --to postgresql://…</c>: copies an embedded catalog whole into a
/// PostgreSQL one — every table row for row with its ids, the audit log and events, the mask key, the change log and
/// its position (<c>catalog_version</c>), and the counters that keep dropped ids from being handed out again. Both
/// catalogs are first brought to this release's schema (the same version number means the same tables and columns:
/// CatalogSchemaAgreementTests), then the copy runs in ONE PostgreSQL transaction holding the catalog's write lock:
/// either everything is there at commit or nothing is (a failure leaves the target as it was, and the command can simply
/// be run again). The source is read in one SQLite read transaction, so a gateway still writing to it cannot tear the copy.
/// </summary>
public static class CatalogMigration
{
    /// <summary>Tables the copy never writes: the target's own schema version.</summary>
    private static readonly HashSet<string> TargetOnly = new(StringComparer.Ordinal) { "datamesh_schema" };

    /// <summary>SQLite's FTS5 index of assets (and its shadow tables); PostgreSQL keeps the same documents as plain rows.</summary>
    private const string SearchTable = "asset_search";
    private const string SearchDocuments = "asset_search_documents";

    /// <summary>The SQLite file <c>sqlite:PATH</c> names (a plain path is taken as well).</summary>
    public static string SqlitePath(string from)
    {
        var path = from.StartsWith("sqlite:", StringComparison.OrdinalIgnoreCase) ? from["sqlite:".Length..] : from;
        if (path.Length == 0) throw new ArgumentException("--from takes sqlite:PATH (the catalog.db of a data directory)");
        return Path.GetFullPath(path);
    }

    /// <summary>
    /// Copies the catalog at <paramref name="sqlitePath"/> into the PostgreSQL catalog <paramref name="connectionString"/>
    /// names. A target that holds anything beyond a fresh catalog is refused unless <paramref name="replace"/>, which
    /// empties it (its audit log too) in the same transaction as the copy.
    /// </summary>
    public static CatalogCopyReport Copy(string sqlitePath, string connectionString, bool replace)
    {
        // Opening a store migrates it to this release's schema; a missing file must not become a new, empty catalog.
        if (!File.Exists(sqlitePath)) throw new ArgumentException($"--from: no catalog at {sqlitePath}");
        SqliteCatalogStore.Open(sqlitePath).Dispose();
        PostgresCatalogStore.Open(NpgsqlDataSource.Create(connectionString)).Dispose();

        using var source = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = sqlitePath, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        source.Open();
        using var read = source.BeginTransaction(deferred: true);
        using var target = new NpgsqlConnection(connectionString);
        target.Open();
        using var write = target.BeginTransaction();
        Execute(target, "SELECT value FROM meta WHERE key = 'catalog_version' FOR UPDATE");

        var tables = TargetTables(target);
        var sourceTables = SourceTables(source);
        var missing = tables.Keys.Where(t => t != SearchDocuments && !sourceTables.ContainsKey(t)).ToList();
        var unknown = sourceTables.Keys.Where(t => !t.StartsWith(SearchTable, StringComparison.Ordinal) && !tables.ContainsKey(t)).ToList();
        if (missing.Count > 0 || unknown.Count > 0)
            throw new InvalidOperationException($"the catalogs' schemas differ (only in PostgreSQL: {string.Join(", ", missing)}; only in SQLite: {string.Join(", ", unknown)})");

        var existing = Describe(target, tables.Keys);
        if (existing is not null && !replace)
            throw new InvalidOperationException($"the target catalog is not empty ({existing}); pass --replace to overwrite it (its audit log included)");
        Empty(target, tables.Keys);
        Execute(target, "SET CONSTRAINTS ALL DEFERRED");

        var rows = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (table, columns) in tables)
        {
            var select = table == SearchDocuments
                ? $"SELECT rowid, name, coalesce(description, ''), coalesce(columns, ''), coalesce(terms, ''), coalesce(metadata, '') FROM {SearchTable}"
                : $"SELECT {string.Join(", ", columns.Select(Quote))} FROM {Quote(table)}";
            if (table != SearchDocuments && !columns.ToHashSet(StringComparer.OrdinalIgnoreCase).SetEquals(sourceTables[table]))
                throw new InvalidOperationException($"table {table} has other columns in the two catalogs");
            rows[table] = CopyTable(source, read, target, table, columns, select);
        }
        RestartIdentities(source, read, target);

        // Read back what the transaction holds before it commits: a row the target dropped silently would show here.
        foreach (var (table, count) in rows)
            if (Scalar(target, $"SELECT count(*) FROM {Quote(table)}") is var held && held != count)
                throw new InvalidOperationException($"table {table}: {count} rows copied, {held} held");
        var version = long.Parse(ScalarText(target, "SELECT value FROM meta WHERE key = 'catalog_version'"), CultureInfo.InvariantCulture);
        write.Commit();
        return new CatalogCopyReport(rows, version);
    }

    /// <summary>The target's tables and their columns in order (the catalog's tables in the public schema).</summary>
    private static SortedDictionary<string, List<string>> TargetTables(NpgsqlConnection target)
    {
        var tables = new SortedDictionary<string, List<string>>(StringComparer.Ordinal);
        using var cmd = new NpgsqlCommand(
            "SELECT c.table_name, c.column_name FROM information_schema.columns c JOIN information_schema.tables t " +
            "ON t.table_schema = c.table_schema AND t.table_name = c.table_name " +
            "WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE' ORDER BY c.table_name, c.ordinal_position", target);
        using var reader = cmd.ExecuteReader();
        while (reader.Read())
        {
            var table = reader.GetString(0);
            if (TargetOnly.Contains(table)) continue;
            if (!tables.TryGetValue(table, out var columns)) tables[table] = columns = [];
            columns.Add(reader.GetString(1));
        }
        return tables;
    }

    private static Dictionary<string, HashSet<string>> SourceTables(SqliteConnection source)
    {
        var tables = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        using var cmd = source.CreateCommand();
        cmd.CommandText = "SELECT m.name, p.name FROM sqlite_master m JOIN pragma_table_info(m.name) p " +
                          "WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite\\_%' ESCAPE '\\'";
        using var reader = cmd.ExecuteReader();
        while (reader.Read())
        {
            var table = reader.GetString(0);
            if (!tables.TryGetValue(table, out var columns)) tables[table] = columns = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            columns.Add(reader.GetString(1));
        }
        return tables;
    }

    /// <summary>What makes the target more than a fresh catalog (null when it is fresh): a fresh one has only its meta
    /// rows and the change log's first entry, at version 1.</summary>
    private static string? Describe(NpgsqlConnection target, IEnumerable<string> tables)
    {
        var held = new List<string>();
        foreach (var table in tables.Where(t => t is not "meta" and not "catalog_changes"))
            if (Scalar(target, $"SELECT count(*) FROM {Quote(table)}") is > 0 and var count) held.Add($"{count} rows in {table}");
        var version = ScalarText(target, "SELECT value FROM meta WHERE key = 'catalog_version'");
        if (version != "1") held.Add($"catalog version {version}");
        return held.Count == 0 ? null : string.Join(", ", held);
    }

    /// <summary>
    /// Empties every catalog table. The audit log and events refuse deletes (append-only triggers); replacing a whole
    /// catalog is the one place they are lifted, inside this transaction only (ALTER TABLE is transactional).
    /// </summary>
    private static void Empty(NpgsqlConnection target, IEnumerable<string> tables)
    {
        string[] appendOnly = ["audit_log", "events"];
        foreach (var table in appendOnly) Execute(target, $"ALTER TABLE {table} DISABLE TRIGGER USER");
        Execute(target, "TRUNCATE " + string.Join(", ", tables.Select(Quote)));
        foreach (var table in appendOnly) Execute(target, $"ALTER TABLE {table} ENABLE TRIGGER USER");
    }

    private static long CopyTable(SqliteConnection source, SqliteTransaction read, NpgsqlConnection target, string table, List<string> columns, string select)
    {
        using var cmd = source.CreateCommand();
        cmd.Transaction = read;
        cmd.CommandText = select;
        using var reader = cmd.ExecuteReader();
        long count = 0;
        var line = new System.Text.StringBuilder();
        using (var writer = target.BeginTextImport($"COPY {Quote(table)} ({string.Join(", ", columns.Select(Quote))}) FROM STDIN"))
        {
            while (reader.Read())
            {
                line.Clear();
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    if (i > 0) line.Append('\t');
                    CopyText.Append(line, reader.GetValue(i), table, columns[i]);
                }
                line.Append('\n');
                writer.Write(line.ToString());
                count++;
            }
        }
        return count;
    }

    /// <summary>
    /// Identity columns (audit, events, change requests) continue after the highest id the source ever gave out: its
    /// largest row, or SQLite's AUTOINCREMENT counter (sqlite_sequence), whichever is higher.
    /// </summary>
    private static void RestartIdentities(SqliteConnection source, SqliteTransaction read, NpgsqlConnection target)
    {
        var identities = new List<(string Table, string Column)>();
        using (var cmd = new NpgsqlCommand("SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema() AND is_identity = 'YES'", target))
        using (var reader = cmd.ExecuteReader())
            while (reader.Read()) identities.Add((reader.GetString(0), reader.GetString(1)));
        foreach (var (table, column) in identities)
        {
            using var sequence = source.CreateCommand();
            sequence.Transaction = read;
            sequence.CommandText = "SELECT coalesce((SELECT seq FROM sqlite_sequence WHERE name = $t), 0)";
            sequence.Parameters.AddWithValue("$t", table);
            long highest;
            try
            {
                highest = Convert.ToInt64(sequence.ExecuteScalar(), CultureInfo.InvariantCulture);
            }
            catch (SqliteException)
            {
                highest = 0; // no AUTOINCREMENT table in the file: no sqlite_sequence
            }
            highest = Math.Max(highest, Scalar(target, $"SELECT coalesce(max({Quote(column)}), 0) FROM {Quote(table)}"));
            Execute(target, highest > 0
                ? $"SELECT setval(pg_get_serial_sequence('{table}', '{column}'), {highest.ToString(CultureInfo.InvariantCulture)}, true)"
                : $"SELECT setval(pg_get_serial_sequence('{table}', '{column}'), 1, false)");
        }
    }

    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static void Execute(NpgsqlConnection connection, string sql)
    {
        using var cmd = new NpgsqlCommand(sql, connection);
        cmd.ExecuteNonQuery();
    }

    private static long Scalar(NpgsqlConnection connection, string sql)
    {
        using var cmd = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(cmd.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    private static string ScalarText(NpgsqlConnection connection, string sql)
    {
        using var cmd = new NpgsqlCommand(sql, connection);
        return Convert.ToString(cmd.ExecuteScalar(), CultureInfo.InvariantCulture) ?? "";
    }
}
