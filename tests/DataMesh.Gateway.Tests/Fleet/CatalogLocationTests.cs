using DataMesh.Gateway.Catalog.Postgres;
using Npgsql;

namespace DataMesh.Gateway.Tests.Fleet;

/// <summary><c>--catalog</c>: which store, the address forms, and where the password comes from.</summary>
public sealed class CatalogLocationTests
{
    [Theory]
    [InlineData(null, false)]
    [InlineData("", false)]
    [InlineData("postgresql://dm@db:5432/catalog", true)]
    [InlineData("postgres://dm@db/catalog", true)]
    [InlineData("Host=db;Username=dm;Database=catalog", true)]
    [InlineData("./catalog.db", false)]
    public void Names_a_postgres_catalog_only_in_its_two_forms(string? location, bool postgres) =>
        Assert.Equal(postgres, CatalogLocation.IsPostgres(location));

    [Fact]
    public void An_address_becomes_host_port_user_database_and_the_password_comes_from_the_environment()
    {
        var cs = new NpgsqlConnectionStringBuilder(CatalogLocation.ConnectionString("postgresql://dm%40corp@db.internal:6543/mesh_catalog?sslmode=require",
            name => name == CatalogLocation.PasswordVariable ? "from-env" : null));
        Assert.Equal(("db.internal", 6543, "dm@corp", "mesh_catalog", "from-env", SslMode.Require), (cs.Host, cs.Port, cs.Username, cs.Database, cs.Password, cs.SslMode));
    }

    [Fact]
    public void The_password_file_is_read_when_the_variable_is_not_set_and_a_password_in_the_address_wins()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, "from-file\n");
            string? Env(string name) => name == CatalogLocation.PasswordFileVariable ? file : null;
            Assert.Equal("from-file", new NpgsqlConnectionStringBuilder(CatalogLocation.ConnectionString("postgresql://dm@db/c", Env)).Password);
            Assert.Equal("inline", new NpgsqlConnectionStringBuilder(CatalogLocation.ConnectionString("postgresql://dm:inline@db/c", Env)).Password);
            Assert.Equal(5432, new NpgsqlConnectionStringBuilder(CatalogLocation.ConnectionString("postgresql://dm@db/c", Env)).Port);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Theory]
    [InlineData("postgresql://dm@db:5432/", "names no database")]
    [InlineData("postgresql://dm@db/c?application_name=x", "unknown parameter application_name")]
    [InlineData("mysql://dm@db/c", "--catalog takes postgresql://")]
    public void A_wrong_address_is_refused_with_what_is_wrong(string location, string message)
    {
        var e = Assert.Throws<ArgumentException>(() => CatalogLocation.Open(location, "unused.db", _ => null));
        Assert.Contains(message, e.Message);
    }
}
