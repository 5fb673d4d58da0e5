using System.Text.Json;

namespace DataMesh.Gateway.Authentication;

/// <summary>
/// Users kept in <c>&lt;data-dir&gt;/users.json</c> as name → SCRAM verifier. The file is re-read when it changes,
/// so <c>datamesh user add</c> takes effect without a restart. Writes go through a temp file and a rename.
/// </summary>
public sealed class FileUserStore : IUserStore
{
    private readonly string _path;
    private readonly object _gate = new();
    private Dictionary<string, ScramVerifier> _users = new(StringComparer.Ordinal);
    private DateTime _loadedStamp = DateTime.MinValue;

    public FileUserStore(string dataDirectory) => _path = Path.Combine(dataDirectory, "users.json");

    public ScramVerifier? FindVerifier(string userName)
    {
        lock (_gate)
        {
            Reload();
            return _users.GetValueOrDefault(userName);
        }
    }

    public IReadOnlyCollection<string> UserNames()
    {
        lock (_gate)
        {
            Reload();
            return _users.Keys.ToList();
        }
    }

    public void SetPassword(string userName, string password)
    {
        if (string.IsNullOrWhiteSpace(userName)) throw new ArgumentException("user name must not be empty", nameof(userName));
        lock (_gate)
        {
            Reload();
            var copy = new Dictionary<string, ScramVerifier>(_users, StringComparer.Ordinal) { [userName] = ScramVerifier.Create(password) };
            Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
            var temp = _path + ".tmp";
            File.WriteAllText(temp, JsonSerializer.Serialize(copy.ToDictionary(p => p.Key, p => p.Value.ToString()),
                new JsonSerializerOptions { WriteIndented = true }));
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            File.Move(temp, _path, overwrite: true);
            _users = copy;
            _loadedStamp = File.GetLastWriteTimeUtc(_path);
        }
    }

    private void Reload()
    {
        if (!File.Exists(_path))
        {
            _users = new(StringComparer.Ordinal);
            return;
        }
        var stamp = File.GetLastWriteTimeUtc(_path);
        if (stamp == _loadedStamp) return;
        var raw = JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(_path)) ?? [];
        _users = raw.ToDictionary(p => p.Key, p => ScramVerifier.Parse(p.Value), StringComparer.Ordinal);
        _loadedStamp = stamp;
    }
}
