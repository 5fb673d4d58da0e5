namespace DataMesh.Gateway.Tests.AdminTranscripts;

/// <summary>SHOW DOMAIN and ALTER DOMAIN RENAME TO through the real psql.</summary>
public sealed class DomainTranscriptTests
{
    private const string Script = """
        -- @as bob
        SHOW DOMAIN;
        ALTER DOMAIN RENAME TO bobs_mesh;
        -- @as carol
        ALTER DOMAIN RENAME TO "Acme Data Mesh";
        SHOW DOMAIN;
        ALTER DOMAIN RENAME TO "";
        ALTER DOMAIN RENAME TO 'acme';
        ALTER DOMAIN RENAME acme;
        ALTER DOMAIN RENAME TO acme extra;
        SHOW DOMAIN please;
        ALTER DOMAIN RENAME TO Acme_Mesh;
        SHOW AUDIT LIMIT 4;
        -- @as bob
        SHOW DOMAIN;
        """;

    [Fact]
    public async Task Show_and_rename_the_domain()
    {
        await using var gateway = TranscriptGateway.Start();
        TranscriptGateway.AssertMatches("domain", await gateway.RunAsync(Script));
    }
}
