using DataMesh.Gateway.Catalog.Following;
using DataMesh.Gateway.Catalog.Store;
using DataMesh.Gateway.Catalog.Store.Postgres;
using Npgsql;

namespace DataMesh.Gateway.Catalog.Postgres;

/// <summary>
/// Where the catalog lives (<c>serve --catalog</c>, <c>DATAMESH_CATALOG</c>): empty for the embedded SQLite file in the
/// data directory; <c>postgresql://USER@HOST:PORT/DATABASE</c> (or <c>postgres://</c>, or an Npgsql connection string
/// such as <c>Host=…;Username=…;Database=…</c>) for a catalog in PostgreSQL that several gateway nodes share. The
/// password comes from <c>DATAMESH_CATALOG_PASSWORD</c>, or the file <c>DATAMESH_CATALOG_PASSWORD_FILE</c> names, or
/// the driver's own sources (PGPASSWORD, ~/.pgpass): a password written into the location is accepted but never shown.
/// This is the only layer that knows the PostgreSQL driver.
/// </summary>
public static class CatalogLocation
{
    public const string PasswordVariable = "DATAMESH_CATALOG_PASSWORD";
    public const string PasswordFileVariable = "DATAMESH_CATALOG_PASSWORD_FILE";

    /// <summary>True when <paramref name="location"/> names a PostgreSQL catalog.</summary>
    public static bool IsPostgres(string? location) => location is { Length: > 0 } && (
        location.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase) || location.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase)
        || location.Contains('=', StringComparison.Ordinal));

    /// <summary>Opens the catalog store <paramref name="location"/> names: SQLite at <paramref name="sqlitePath"/> when it is empty.</summary>
    public static ICatalogStore Open(string? location, string sqlitePath, Func<string, string?>? environment = null)
    {
        if (string.IsNullOrWhiteSpace(location)) return SqliteCatalogStore.Open(sqlitePath);
        if (!IsPostgres(location))
            throw new ArgumentException("--catalog takes postgresql://USER@HOST:PORT/DATABASE or a connection string (Host=…;Database=…)");
        return PostgresCatalogStore.Open(NpgsqlDataSource.Create(ConnectionString(location, environment ?? Environment.GetEnvironmentVariable)));
    }

    /// <summary>
    /// The change announcements of the catalog <paramref name="location"/> names (LISTEN on its own connection), or
    /// null for the embedded SQLite catalog, which no other node shares.
    /// </summary>
    public static ICatalogChangeFeed? ChangeFeed(string? location, Func<string, string?>? environment = null) =>
        IsPostgres(location) ? new PostgresChangeFeed(ConnectionString(location!, environment ?? Environment.GetEnvironmentVariable)) : null;

    /// <summary>The Npgsql connection string for <paramref name="location"/>, with the password from the environment when it has none.</summary>
    public static string ConnectionString(string location, Func<string, string?> environment)
    {
        var builder = location.Contains("://", StringComparison.Ordinal) ? FromUrl(location) : new NpgsqlConnectionStringBuilder(location);
        if (string.IsNullOrEmpty(builder.Password))
        {
            if (environment(PasswordVariable) is { Length: > 0 } password) builder.Password = password;
            else if (environment(PasswordFileVariable) is { Length: > 0 } file) builder.Password = File.ReadAllText(file).TrimEnd('\r', '\n');
        }
        builder.ApplicationName ??= "datamesh";
        return builder.ConnectionString;
    }

    private static NpgsqlConnectionStringBuilder FromUrl(string location)
    {
        if (!Uri.TryCreate(location, UriKind.Absolute, out var uri) || uri.Host.Length == 0)
            throw new ArgumentException("--catalog: not a postgresql://USER@HOST:PORT/DATABASE address");
        var database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/'));
        if (database.Length == 0) throw new ArgumentException("--catalog: the address names no database (postgresql://USER@HOST:PORT/DATABASE)");
        var builder = new NpgsqlConnectionStringBuilder { Host = uri.Host, Port = uri.IsDefaultPort || uri.Port < 0 ? 5432 : uri.Port, Database = database };
        var userInfo = uri.UserInfo.Split(':', 2);
        if (userInfo[0].Length > 0) builder.Username = Uri.UnescapeDataString(userInfo[0]);
        if (userInfo.Length == 2) builder.Password = Uri.UnescapeDataString(userInfo[1]);
        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var (key, value) = pair.Split('=', 2) is [var k, var v] ? (Uri.UnescapeDataString(k), Uri.UnescapeDataString(v)) : (pair, "");
            if (key.Equals("sslmode", StringComparison.OrdinalIgnoreCase)) builder.SslMode = Enum.Parse<SslMode>(value.Replace("-", "", StringComparison.Ordinal), ignoreCase: true);
            else throw new ArgumentException($"--catalog: unknown parameter {key} (sslmode is supported; use the connection-string form for others)");
        }
        return builder;
    }
}
