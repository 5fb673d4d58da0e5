using System.Globalization;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace DataMesh.Gateway.Tests.Fleet;

/// <summary>
/// Every catalog table of a SQLite file and of a PostgreSQL catalog, as text (one entry per table: its name, then its
/// rows sorted), to compare a migrated catalog with its source row for row, ids and times included. SQLite's FTS5 index
/// of assets is read as PostgreSQL's plain search documents; the PostgreSQL catalog's own schema-version table is left out.
/// </summary>
internal static class MigrationDump
{
    public static (List<string> Sqlite, List<string> Postgres) Tables(string sqliteFile, string connectionString)
    {
        using var sqlite = new SqliteConnection($"Data Source={sqliteFile};Mode=ReadOnly;Pooling=false");
        sqlite.Open();
        using var postgres = new NpgsqlConnection(connectionString);
        postgres.Open();
        var tables = new List<string>();
        using (var cmd = new NpgsqlCommand("SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' AND table_name <> 'datamesh_schema' ORDER BY 1", postgres))
        using (var reader = cmd.ExecuteReader())
            while (reader.Read()) tables.Add(reader.GetString(0));
        var fromSqlite = new List<string>();
        var fromPostgres = new List<string>();
        foreach (var table in tables)
        {
            var columns = Columns(postgres, table);
            var sqliteSelect = table == "asset_search_documents"
                ? "SELECT rowid, name, description, columns, terms, metadata FROM asset_search"
                : $"SELECT {string.Join(", ", columns.Select(c => '"' + c + '"'))} FROM \"{table}\"";
            using (var cmd = sqlite.CreateCommand())
            {
                cmd.CommandText = sqliteSelect;
                using var reader = cmd.ExecuteReader();
                fromSqlite.Add(Rows(table, reader));
            }
            using (var cmd = new NpgsqlCommand($"SELECT {string.Join(", ", columns.Select(c => '"' + c + '"'))} FROM \"{table}\"", postgres))
            using (var reader = cmd.ExecuteReader())
                fromPostgres.Add(Rows(table, reader));
        }
        return (fromSqlite, fromPostgres);
    }

    private static List<string> Columns(NpgsqlConnection postgres, string table)
    {
        var columns = new List<string>();
        using var cmd = new NpgsqlCommand("SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = @t ORDER BY ordinal_position", postgres);
        cmd.Parameters.AddWithValue("t", table);
        using var reader = cmd.ExecuteReader();
        while (reader.Read()) columns.Add(reader.GetString(0));
        return columns;
    }

    private static string Rows(string table, System.Data.Common.DbDataReader reader)
    {
        var rows = new List<string>();
        while (reader.Read())
            rows.Add(string.Join('|', Enumerable.Range(0, reader.FieldCount).Select(i => Text(reader.GetValue(i)))));
        rows.Sort(StringComparer.Ordinal);
        return table + "\n" + string.Join('\n', rows);
    }

    private static string Text(object value) => value switch
    {
        DBNull => "NULL",
        int i => i.ToString(CultureInfo.InvariantCulture),
        long l => l.ToString(CultureInfo.InvariantCulture),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        string s => "'" + s + "'",
        _ => value.GetType().Name + ":" + value,
    };
}
