using System.Globalization;
using System.Text.Json;
using System.Data.Common;

namespace DataMesh.Gateway.Catalog.Store;

/// <summary>
/// One transaction's view of the catalog, in SQL both stores run (docs/ARCHITECTURE.md, "The catalog store"): the
/// statements are written once, with <c>$name</c> parameters, and <see cref="CatalogDialect"/> turns them into what
/// the store's driver takes. What only one store has (SQLite's FTS5 index, PostgreSQL's search documents) lives in
/// its subclass. Split by aggregate into partial files.
/// </summary>
internal abstract partial class CatalogSession(DbConnection connection, DbTransaction transaction, CatalogDialect dialect) : ICatalogWriter
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

    private protected DbCommand Command(string sql, params (string Name, object? Value)[] parameters)
    {
        var cmd = connection.CreateCommand();
        cmd.Transaction = transaction;
        cmd.CommandText = dialect.Sql(sql);
        foreach (var (name, value) in parameters) cmd.Parameters.Add(Parameter(cmd, name, value));
        return cmd;
    }

    private protected DbParameter Parameter(DbCommand cmd, string name, object? value)
    {
        var parameter = cmd.CreateParameter();
        parameter.ParameterName = dialect.ParameterName(name);
        parameter.Value = value ?? DBNull.Value;
        return parameter;
    }

    /// <summary>Foreign keys are checked at commit from here on (a rename changes a key and its references in one write).</summary>
    private void DeferForeignKeys() => Execute(dialect.DeferForeignKeys);

    private protected int Execute(string sql, params (string, object?)[] parameters)
    {
        using var cmd = Command(sql, parameters);
        return cmd.ExecuteNonQuery();
    }

    private protected T? Scalar<T>(string sql, params (string, object?)[] parameters)
    {
        using var cmd = Command(sql, parameters);
        var value = cmd.ExecuteScalar();
        return value is null or DBNull ? default : (T)Convert.ChangeType(value, typeof(T), CultureInfo.InvariantCulture);
    }

    private protected List<T> Query<T>(string sql, Func<DbDataReader, T> map, params (string, object?)[] parameters)
    {
        using var cmd = Command(sql, parameters);
        using var reader = cmd.ExecuteReader();
        var list = new List<T>();
        while (reader.Read()) list.Add(map(reader));
        return list;
    }

    private protected static string Json<T>(T value) => JsonSerializer.Serialize(value, JsonOptions);

    /// <summary>
    /// Parsed JSON values are shared between rows with the same text (<see cref="CatalogInterning"/>): a million grants
    /// pin a few distinct column lists, and an asset's schema is the same text in its row and its revisions. Records
    /// never mutate them.
    /// </summary>
    private static T FromJson<T>(string json) where T : class => CatalogInterning.Json<T>(json, JsonOptions);

    /// <summary>Names repeat across rows (a project in its assets and every grant to them): one string each.</summary>
    private protected static string Pool(string value) => CatalogInterning.Name(value);

    private protected static string PooledString(DbDataReader r, int i) => Pool(r.GetString(i));

    private static readonly JsonSerializerOptions JsonOptions = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    private static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    private static DateTimeOffset ParseTime(string s) => CatalogTime.Parse(s);

    private static string? NullableString(DbDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);

    private static DateTimeOffset? NullableTime(DbDataReader r, int i) => r.IsDBNull(i) ? null : ParseTime(r.GetString(i));
}
