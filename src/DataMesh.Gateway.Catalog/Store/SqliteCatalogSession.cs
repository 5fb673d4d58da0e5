using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace DataMesh.Gateway.Catalog.Store;

/// <summary>One transaction's view of the SQLite catalog. Split by aggregate into partial files.</summary>
internal sealed partial class SqliteCatalogSession(SqliteConnection connection, SqliteTransaction transaction) : ICatalogWriter
{
    public long Version => long.Parse(Scalar<string>("SELECT value FROM meta WHERE key = 'catalog_version'")!, CultureInfo.InvariantCulture);

    public string DomainName => Scalar<string>("SELECT value FROM meta WHERE key = 'domain_name'")!;

    public void SetDomainName(string name)
    {
        // Migration 2 inserts the row; an update that finds none means a damaged catalog, not a new domain.
        if (Execute("UPDATE meta SET value = $v WHERE key = 'domain_name'", ("$v", name)) != 1)
            throw new InvalidOperationException("the catalog has no domain_name entry in its meta table");
        Changed(ChangeKinds.Domain, "");
    }

    public string MaskSecret => Scalar<string>("SELECT value FROM meta WHERE key = 'mask_secret'")!;

    // ---- helpers ----

    private SqliteCommand Command(string sql, params (string Name, object? Value)[] parameters)
    {
        var cmd = connection.CreateCommand();
        cmd.Transaction = transaction;
        cmd.CommandText = sql;
        foreach (var (name, value) in parameters) cmd.Parameters.AddWithValue(name, value ?? DBNull.Value);
        return cmd;
    }

    private int Execute(string sql, params (string, object?)[] parameters)
    {
        using var cmd = Command(sql, parameters);
        return cmd.ExecuteNonQuery();
    }

    private T? Scalar<T>(string sql, params (string, object?)[] parameters)
    {
        using var cmd = Command(sql, parameters);
        var value = cmd.ExecuteScalar();
        return value is null or DBNull ? default : (T)Convert.ChangeType(value, typeof(T), CultureInfo.InvariantCulture);
    }

    private List<T> Query<T>(string sql, Func<SqliteDataReader, T> map, params (string, object?)[] parameters)
    {
        using var cmd = Command(sql, parameters);
        using var reader = cmd.ExecuteReader();
        var list = new List<T>();
        while (reader.Read()) list.Add(map(reader));
        return list;
    }

    private static string Json<T>(T value) => JsonSerializer.Serialize(value, JsonOptions);

    /// <summary>
    /// Parsed JSON values are shared between rows with the same text (<see cref="CatalogInterning"/>): a million grants
    /// pin a few distinct column lists, and an asset's schema is the same text in its row and its revisions. Records
    /// never mutate them.
    /// </summary>
    private static T FromJson<T>(string json) where T : class => CatalogInterning.Json<T>(json, JsonOptions);

    /// <summary>Names repeat across rows (a project in its assets and every grant to them): one string each.</summary>
    private static string Pool(string value) => CatalogInterning.Name(value);

    private static string PooledString(SqliteDataReader r, int i) => Pool(r.GetString(i));

    private static readonly JsonSerializerOptions JsonOptions = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    private static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    private static DateTimeOffset ParseTime(string s) => CatalogTime.Parse(s);

    private static string? NullableString(SqliteDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);

    private static DateTimeOffset? NullableTime(SqliteDataReader r, int i) => r.IsDBNull(i) ? null : ParseTime(r.GetString(i));
}
