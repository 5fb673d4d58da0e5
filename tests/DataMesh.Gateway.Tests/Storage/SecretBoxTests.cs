using DataMesh.Gateway.Protocol.Errors;
using DataMesh.Gateway.Sql.Admin;
using DataMesh.Gateway.Sql.Lexing;
using DataMesh.Gateway.Storage.Accounts;

namespace DataMesh.Gateway.Tests.Storage;

/// <summary>The storage key and sealed secrets; the audit text of account commands.</summary>
public sealed class SecretBoxTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "datamesh-tests", "box-" + Guid.NewGuid().ToString("N"));

    public SecretBoxTests() => Directory.CreateDirectory(_dir);

    [Fact]
    public void A_sealed_secret_opens_only_for_its_account_and_the_key_file_is_made_on_first_seal_with_mode_0600()
    {
        var box = new SecretBox(_dir, _ => null);
        var key = Path.Combine(_dir, SecretBox.KeyFileName);
        Assert.Equal("F0000", Assert.Throws<PgErrorException>(() => box.Open("v1:AAAA", "lake")).SqlState);
        Assert.False(File.Exists(key));

        var sealedText = box.Seal("s3cr3t", "lake");
        Assert.StartsWith("v1:", sealedText);
        Assert.DoesNotContain("s3cr3t", sealedText);
        Assert.NotEqual(sealedText, box.Seal("s3cr3t", "lake")); // a fresh nonce each time
        if (!OperatingSystem.IsWindows()) Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(key));
        Assert.Equal("s3cr3t", new SecretBox(_dir, _ => null).Open(sealedText, "lake"));

        var moved = Assert.Throws<PgErrorException>(() => box.Open(sealedText, "other_account"));
        Assert.Equal("F0000", moved.SqlState);
        Assert.DoesNotContain("s3cr3t", moved.Message);
    }

    [Fact]
    public void The_key_from_the_environment_wins_and_a_sealed_secret_does_not_open_with_another_key()
    {
        var envKey = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        var fromEnv = new SecretBox(_dir, name => name == SecretBox.KeyVariable ? envKey : null);
        var sealedText = fromEnv.Seal("s3cr3t", "lake");
        Assert.False(File.Exists(Path.Combine(_dir, SecretBox.KeyFileName)));
        Assert.Equal("s3cr3t", fromEnv.Open(sealedText, "lake"));
        var fromFile = new SecretBox(_dir, _ => null);
        fromFile.Seal("other", "x"); // makes a key file with another key
        Assert.Equal("F0000", Assert.Throws<PgErrorException>(() => fromFile.Open(sealedText, "lake")).SqlState);
        var bad = new SecretBox(_dir, name => name == SecretBox.KeyVariable ? "c2hvcnQ=" : null);
        Assert.Equal("F0000", Assert.Throws<PgErrorException>(() => bad.Seal("x", "y")).SqlState);
    }

    [Theory]
    [InlineData("ASSOCIATE ACCOUNT a LOCATION 's3://b/p/' ADMIN u WITH (endpoint = 'http://h:1', access_key_id = 'AK', secret_access_key = 'SK')",
        "ASSOCIATE ACCOUNT a LOCATION 's3://b/p/' ADMIN u WITH (endpoint = 'http://h:1', access_key_id = 'AK', secret_access_key = '********')")]
    [InlineData("ALTER ACCOUNT a SET CREDENTIALS (access_key_id = 'AK', secret_acess_key = 'SK')",
        "ALTER ACCOUNT a SET CREDENTIALS (access_key_id = 'AK', secret_acess_key = '********')")]
    [InlineData("ALTER ACCOUNT a SET CREDENTIALS (credentials = 'file:lake')", "ALTER ACCOUNT a SET CREDENTIALS (credentials = 'file:lake')")]
    [InlineData("CREATE USER x PASSWORD 'pw'", "CREATE USER x PASSWORD '********'")]
    [InlineData("ALTER ASSET p.a SET METADATA (secret_note = 'kept')", "ALTER ASSET p.a SET METADATA (secret_note = 'kept')")]
    public void Audit_text_keeps_no_secret_value(string text, string audited) =>
        Assert.Equal(audited, SecretRedaction.Redact(StatementSplitter.Split(text).Single()));

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
