using System.Reflection;

namespace DataMesh.Gateway.Tests.Architecture;

/// <summary>Dependencies point one way: host → portal → server → {protocol, sql, authentication, engine}; engine → protocol.</summary>
public sealed class DependencyDirectionTests
{
    private static readonly Dictionary<string, string[]> Allowed = new()
    {
        ["DataMesh.Gateway.Protocol"] = [],
        ["DataMesh.Gateway.Sql"] = [],
        ["DataMesh.Gateway.Catalog"] = [],
        // The PostgreSQL driver's layer: opens a shared catalog for the host; nothing else references it.
        ["DataMesh.Gateway.Catalog.Postgres"] = ["DataMesh.Gateway.Catalog"],
        ["DataMesh.Gateway.Policy"] = ["DataMesh.Gateway.Sql", "DataMesh.Gateway.Catalog"],
        ["DataMesh.Gateway.Authentication"] = ["DataMesh.Gateway.Protocol"],
        ["DataMesh.Gateway.Engine"] = ["DataMesh.Gateway.Protocol"],
        ["DataMesh.Gateway.Storage"] = ["DataMesh.Gateway.Protocol"],
        ["DataMesh.Gateway.Admin"] = ["DataMesh.Gateway.Protocol", "DataMesh.Gateway.Sql", "DataMesh.Gateway.Catalog", "DataMesh.Gateway.Authentication", "DataMesh.Gateway.Engine", "DataMesh.Gateway.Storage"],
        ["DataMesh.Gateway.Server"] = ["DataMesh.Gateway.Protocol", "DataMesh.Gateway.Sql", "DataMesh.Gateway.Authentication", "DataMesh.Gateway.Engine", "DataMesh.Gateway.Admin", "DataMesh.Gateway.Catalog", "DataMesh.Gateway.Policy", "DataMesh.Gateway.Storage"],
        // The portal is a layer above the server and the admin commands: nothing below it references ASP.NET Core or it.
        ["DataMesh.Gateway.Portal"] = ["DataMesh.Gateway.Server", "DataMesh.Gateway.Admin", "DataMesh.Gateway.Catalog", "DataMesh.Gateway.Authentication", "DataMesh.Gateway.Policy", "DataMesh.Gateway.Protocol", "DataMesh.Gateway.Sql", "DataMesh.Gateway.Engine"],
    };

    public static TheoryData<string> Assemblies => new(Allowed.Keys);

    [Theory]
    [MemberData(nameof(Assemblies))]
    public void Assembly_references_only_the_layers_below_it(string name)
    {
        var assembly = Assembly.Load(name);
        var ours = assembly.GetReferencedAssemblies()
            .Select(a => a.Name!)
            .Where(n => n.StartsWith("DataMesh.", StringComparison.Ordinal) || n == "datamesh")
            .ToList();
        var forbidden = ours.Except(Allowed[name]).ToList();
        Assert.True(forbidden.Count == 0, $"{name} must not reference {string.Join(", ", forbidden)}");
    }

    /// <summary>Only the catalog's PostgreSQL layer knows the driver: the store itself speaks ADO.NET (CatalogDialect).</summary>
    [Theory]
    [MemberData(nameof(Assemblies))]
    public void Only_the_catalogs_postgres_layer_references_npgsql(string name)
    {
        var references = Assembly.Load(name).GetReferencedAssemblies().Select(a => a.Name!).ToList();
        if (name == "DataMesh.Gateway.Catalog.Postgres") Assert.Contains("Npgsql", references);
        else Assert.DoesNotContain("Npgsql", references);
    }

    [Fact]
    public void Protocol_layer_knows_no_engine_or_sockets_library()
    {
        var references = Assembly.Load("DataMesh.Gateway.Protocol").GetReferencedAssemblies().Select(a => a.Name).ToList();
        Assert.DoesNotContain("DuckDB.NET.Data", references);
        Assert.DoesNotContain("DuckDB.NET.Bindings", references);
        Assert.DoesNotContain("Microsoft.Data.Sqlite", references);
    }

    /// <summary>The engine is the only layer that speaks DuckDB.NET: the server sees prepared queries and cursors, never
    /// the driver's types (its statement-type enum included).</summary>
    [Theory]
    [InlineData("DataMesh.Gateway.Server")]
    [InlineData("DataMesh.Gateway.Policy")]
    [InlineData("DataMesh.Gateway.Sql")]
    public void Only_the_engine_and_admin_layers_name_DuckDB_types(string name)
    {
        var references = Assembly.Load(name).GetReferencedAssemblies().Select(a => a.Name!).ToList();
        Assert.DoesNotContain(references, r => r.StartsWith("DuckDB.NET", StringComparison.Ordinal));
    }

    /// <summary>
    /// Every layer of ours an assembly uses is declared in its project file: a dependency that only arrives through
    /// another project (the server used the catalog that way) does not show in the project graph.
    /// </summary>
    [Theory]
    [MemberData(nameof(Assemblies))]
    public void Every_layer_an_assembly_uses_is_declared_in_its_project(string name)
    {
        var used = Assembly.Load(name).GetReferencedAssemblies().Select(a => a.Name!)
            .Where(n => n.StartsWith("DataMesh.", StringComparison.Ordinal)).ToList();
        var project = System.Xml.Linq.XDocument.Load(Path.Combine(RepositoryRoot(), "src", name, name + ".csproj"));
        var declared = project.Descendants("ProjectReference")
            .Select(r => Path.GetFileNameWithoutExtension(r.Attribute("Include")!.Value)).ToList();
        var undeclared = used.Except(declared).ToList();
        Assert.True(undeclared.Count == 0, $"{name} uses {string.Join(", ", undeclared)} without a ProjectReference");
    }

    [Fact]
    public void Storage_knows_no_engine_catalog_or_policy()
    {
        var references = Assembly.Load("DataMesh.Gateway.Storage").GetReferencedAssemblies().Select(a => a.Name).ToList();
        Assert.DoesNotContain("DuckDB.NET.Data", references);
        Assert.DoesNotContain("Microsoft.Data.Sqlite", references);
        Assert.Contains("AWSSDK.S3", references);
    }

    [Fact]
    public void Catalog_knows_no_engine_protocol_or_server()
    {
        var references = Assembly.Load("DataMesh.Gateway.Catalog").GetReferencedAssemblies().Select(a => a.Name).ToList();
        Assert.DoesNotContain("DuckDB.NET.Data", references);
        Assert.DoesNotContain(references, r => r!.StartsWith("DataMesh.", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Assemblies))]
    public void Only_the_portal_and_the_host_know_aspnet_core(string name)
    {
        if (name == "DataMesh.Gateway.Portal") return;
        var references = Assembly.Load(name).GetReferencedAssemblies().Select(a => a.Name!).ToList();
        Assert.DoesNotContain(references, r => r.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal));
    }

    [Fact]
    public void Every_layer_is_checked()
    {
        var src = Path.Combine(RepositoryRoot(), "src");
        var projects = Directory.GetDirectories(src).Select(Path.GetFileName).Where(n => n != "DataMesh.Gateway").ToList();
        Assert.Equal(Allowed.Keys.Order(), projects.Order()!);
    }

    private static string RepositoryRoot()
    {
        var dir = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(dir, "DataMesh.Gateway.sln"))) dir = Path.GetDirectoryName(dir)!;
        return dir;
    }
}
