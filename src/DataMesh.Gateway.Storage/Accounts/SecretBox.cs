using System.Security.Cryptography;
using System.Text;
using DataMesh.Gateway.Protocol.Errors;

namespace DataMesh.Gateway.Storage.Accounts;

/// <summary>
/// Seals account secrets for the catalog with AES-256-GCM. The key comes from the environment variable
/// <c>DATAMESH_STORAGE_KEY</c> (32 bytes, base64) or from <c>storage.key</c> in the data directory, created with mode
/// 0600 the first time a secret is sealed. The account's name is the associated data, so a sealed secret copied to
/// another account's row does not open. Sealed text: <c>v1:</c> + base64(nonce ‖ tag ‖ ciphertext).
/// </summary>
public sealed class SecretBox
{
    public const string KeyVariable = "DATAMESH_STORAGE_KEY";
    public const string KeyFileName = "storage.key";
    private const string Version = "v1:";
    private const int KeyBytes = 32, NonceBytes = 12, TagBytes = 16;

    private readonly string _keyFile;
    private readonly Func<string, string?> _environment;
    private readonly object _gate = new();
    private byte[]? _key;

    public SecretBox(string dataDirectory, Func<string, string?>? environment = null)
    {
        _keyFile = Path.Combine(Path.GetFullPath(dataDirectory), KeyFileName);
        _environment = environment ?? Environment.GetEnvironmentVariable;
    }

    public string Seal(string secret, string context)
    {
        var key = Key(create: true);
        var plain = Encoding.UTF8.GetBytes(secret);
        var sealedBytes = new byte[NonceBytes + TagBytes + plain.Length];
        var nonce = sealedBytes.AsSpan(0, NonceBytes);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(key, TagBytes);
        aes.Encrypt(nonce, plain, sealedBytes.AsSpan(NonceBytes + TagBytes), sealedBytes.AsSpan(NonceBytes, TagBytes), Encoding.UTF8.GetBytes(context));
        CryptographicOperations.ZeroMemory(plain);
        return Version + Convert.ToBase64String(sealedBytes);
    }

    public string Open(string sealedText, string context)
    {
        var key = Key(create: false);
        byte[] sealedBytes;
        try
        {
            sealedBytes = sealedText.StartsWith(Version, StringComparison.Ordinal) ? Convert.FromBase64String(sealedText[Version.Length..]) : [];
        }
        catch (FormatException)
        {
            sealedBytes = [];
        }
        if (sealedBytes.Length < NonceBytes + TagBytes) throw Unusable(context, "its sealed secret is malformed");
        var plain = new byte[sealedBytes.Length - NonceBytes - TagBytes];
        try
        {
            using var aes = new AesGcm(key, TagBytes);
            aes.Decrypt(sealedBytes.AsSpan(0, NonceBytes), sealedBytes.AsSpan(NonceBytes + TagBytes), sealedBytes.AsSpan(NonceBytes, TagBytes), plain,
                Encoding.UTF8.GetBytes(context));
        }
        catch (AuthenticationTagMismatchException)
        {
            throw Unusable(context, "its sealed secret does not open with this gateway's storage key (" + KeySource + ")");
        }
        return Encoding.UTF8.GetString(plain);
    }

    private string KeySource => _environment(KeyVariable) is { Length: > 0 } ? KeyVariable : _keyFile;

    private byte[] Key(bool create)
    {
        lock (_gate)
        {
            if (_key is not null) return _key;
            if (_environment(KeyVariable) is { Length: > 0 } fromEnvironment)
            {
                byte[] key;
                try
                {
                    key = Convert.FromBase64String(fromEnvironment);
                }
                catch (FormatException)
                {
                    key = [];
                }
                if (key.Length != KeyBytes)
                    throw new PgErrorException(SqlState.ConfigFileError, $"{KeyVariable} must hold {KeyBytes} bytes in base64");
                return _key = key;
            }
            if (File.Exists(_keyFile)) return _key = ReadKeyFile();
            if (!create)
                throw new PgErrorException(SqlState.ConfigFileError, $"the storage key ({_keyFile}) is missing: sealed account secrets cannot be opened");
            return _key = CreateKeyFile();
        }
    }

    private byte[] ReadKeyFile()
    {
        var key = Convert.FromBase64String(File.ReadAllText(_keyFile).Trim());
        if (key.Length != KeyBytes) throw new PgErrorException(SqlState.ConfigFileError, $"the storage key ({_keyFile}) must hold {KeyBytes} bytes in base64");
        return key;
    }

    private byte[] CreateKeyFile()
    {
        var key = RandomNumberGenerator.GetBytes(KeyBytes);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        try
        {
            using var stream = new FileStream(_keyFile, options);
            using var writer = new StreamWriter(stream);
            writer.Write(Convert.ToBase64String(key));
        }
        catch (IOException) when (File.Exists(_keyFile))
        {
            return ReadKeyFile(); // another process created it first
        }
        return key;
    }

    private static PgErrorException Unusable(string account, string why) =>
        new(SqlState.ConfigFileError, $"the credentials of account \"{account}\" cannot be used: {why}",
            hint: $"an account admin can set them again with ALTER ACCOUNT {account} SET CREDENTIALS (…)");
}
