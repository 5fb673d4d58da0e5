using DataMesh.Gateway.Protocol.Errors;
using DataMesh.Gateway.Server.Sessions.Settings;
using DataMesh.Gateway.Sql.Statements;

namespace DataMesh.Gateway.Server.Sessions;

/// <summary>
/// The session's run-time parameters (what SET/SHOW/RESET act on): every parameter of PostgreSQL 15
/// (<see cref="PgSettingTable"/>), changed and refused as PostgreSQL would, with the gateway's rules for the few whose
/// value changes what a client sees. The gateway answers all of them itself; none reaches the engine. Parameters marked
/// reportable are sent as ParameterStatus at startup and on change.
/// </summary>
public sealed partial class SessionParameters
{
    /// <summary>Every listed parameter's name, default, context and type, as pg_settings shows them.</summary>
    public static readonly IReadOnlyList<(string Name, string Boot, string Context, string Type)> Definitions =
        PgSettingTable.All.Where(s => !s.Hidden && !s.SuperuserOnlyRead).Select(s => (s.Name, s.Default, s.ContextName, s.TypeName)).ToList();

    private readonly Dictionary<string, string> _values = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, string> _startup = new(StringComparer.OrdinalIgnoreCase);

    // Inside a transaction block that changed settings: the values when it began (ROLLBACK), and the values as the
    // session-level changes in it left them, without the LOCAL ones (COMMIT). Null outside such a block.
    private Dictionary<string, string>? _atTransactionStart;
    private Dictionary<string, string>? _sessionLevel;

    public SessionParameters(string userName, IReadOnlyDictionary<string, string> startupParameters)
    {
        foreach (var s in PgSettingTable.All) _values[s.Name] = s.Default;
        _values["session_authorization"] = userName;
        // Startup parameters a client may legitimately set (libpq sends application_name, client_encoding, options…).
        // Unknown ones are ignored and never reach the engine.
        foreach (var (name, value) in startupParameters)
        {
            if (PgSettingTable.Find(name) is not { IsSettable: true } s || s.Name == "session_authorization") continue;
            // A startup value we cannot honour (e.g. client_encoding=LATIN1) fails the way SET would.
            var v = Validated(s, value, name);
            _values[s.Name] = v;
            _startup[s.Name] = v;
        }
    }

    private static IEnumerable<PgSetting> ReportableSettings => PgSettingTable.All.Where(s => s.Reportable);

    public IEnumerable<KeyValuePair<string, string>> Reportable =>
        ReportableSettings.Select(s => KeyValuePair.Create(s.Name, _values[s.Name]));

    /// <summary>Every parameter with its current value.</summary>
    public IEnumerable<KeyValuePair<string, string>> All => PgSettingTable.All.Select(s => KeyValuePair.Create(s.Name, _values[s.Name]));

    /// <summary>
    /// The parameters whose values differ from their built-in defaults (<see cref="Definitions"/>): what the engine
    /// session is told (EngineSession.SetSettings); the defaults are built into its instance. Custom "class.name"
    /// placeholders are included, so current_setting() finds them.
    /// </summary>
    public IEnumerable<KeyValuePair<string, string>> Changed =>
        _values.Where(p => PgSettingTable.Find(p.Key) is not { } s ? true : !s.SuperuserOnlyRead && p.Value != s.Default);

    /// <summary>True for a parameter the gateway itself answers (PostgreSQL's, such as TimeZone or search_path).</summary>
    public bool IsKnown(string name) => PgSettingTable.Find(name) is not null;

    /// <summary>The value RESET would give (the startup value, else the built-in default); "" for a custom placeholder.</summary>
    public string DefaultOf(string name) =>
        PgSettingTable.Find(name) is { } s ? (_startup.TryGetValue(s.Name, out var v) ? v : s.Default) : "";

    /// <summary>Checks a SET without applying it: an unknown name, a read-only parameter or a refused value throw.</summary>
    public void Validate(string name, string value) => Checked(name, value);

    /// <summary>
    /// What SET would store: the definition (null for a custom "class.name" placeholder, allowed as in PostgreSQL)
    /// and the value as SHOW will give it; an unknown name, a parameter the session may not change or a refused value throw.
    /// </summary>
    private (PgSetting? Setting, string Value) Checked(string name, string value)
    {
        if (PgSettingTable.Find(name) is not { } s)
            return name.Contains('.') ? (null, value) : throw Unrecognised(name);
        RequireSettable(s);
        return (s, Validated(s, value, name));
    }

    private string Validated(PgSetting s, string value, string name)
    {
        var canonical = SettingValues.Canonical(s, value, name);
        return s.Honour?.Invoke(canonical, _values.TryGetValue(s.Name, out var current) ? current : s.Default) ?? canonical;
    }

    /// <summary>PostgreSQL's refusals by context: 55P02 for server-wide parameters, 42501 for superuser ones.</summary>
    private static void RequireSettable(PgSetting s)
    {
        var message = s.Context switch
        {
            SettingContext.User => null,
            SettingContext.Superuser => "",
            SettingContext.Internal => $"parameter \"{s.Name}\" cannot be changed",
            SettingContext.Postmaster => $"parameter \"{s.Name}\" cannot be changed without restarting the server",
            SettingContext.Sighup => $"parameter \"{s.Name}\" cannot be changed now",
            _ => $"parameter \"{s.Name}\" cannot be set after connection start",
        };
        if (message is null) return;
        if (message.Length == 0) throw new PgErrorException(SqlState.InsufficientPrivilege, $"permission denied to set parameter \"{s.Name}\"");
        throw new PgErrorException(SqlState.CantChangeRuntimeParam, message);
    }

    /// <summary>SHOW's answer; a superuser-only parameter is 42501 and an unknown one 42704, as in PostgreSQL.</summary>
    public string Get(string name)
    {
        if (PgSettingTable.Find(name) is { } s)
        {
            if (s.SuperuserOnlyRead)
                throw new PgErrorException(SqlState.InsufficientPrivilege, $"must be superuser or have privileges of pg_read_all_settings to examine \"{s.Name}\"");
            return _values[s.Name];
        }
        if (name.Contains('.') && _values.TryGetValue(name, out var custom)) return custom;
        if (name.Equals("all", StringComparison.OrdinalIgnoreCase)) throw new PgErrorException(SqlState.FeatureNotSupported, "SHOW ALL is not supported");
        throw Unrecognised(name);
    }

    /// <summary>Canonical name of a parameter (DateStyle for datestyle), for the SHOW column name.</summary>
    public static string CanonicalName(string name) => PgSettingTable.Find(name)?.Name ?? name;

    /// <summary>
    /// Sets a parameter; returns the canonical name when the client must be sent a ParameterStatus. A
    /// <paramref name="local"/> value (SET LOCAL, set_config(…, true)) lasts until the transaction block ends; the
    /// caller only passes it inside one (after <see cref="EnterTransaction"/>).
    /// </summary>
    public string? Set(string name, string value, bool local = false)
    {
        var (s, validated) = Checked(name, value);
        if (s is null)
        {
            Store(name, validated, local);
            return null;
        }
        var changed = _values[s.Name] != validated;
        Store(s.Name, validated, local);
        return s.Reportable && changed ? s.Name : null;
    }

    /// <summary>SET name TO v1, v2, …: the arguments flattened as PostgreSQL does (<see cref="SetArguments"/>), then set.</summary>
    public string? Set(string name, IReadOnlyList<SetArgument> arguments, bool local = false) =>
        Set(name, SetArguments.Flatten(name, PgSettingTable.Find(name), arguments), local);

    /// <summary>Resets a parameter to its startup or built-in default; returns the name when it must be reported.</summary>
    public string? Reset(string name)
    {
        if (PgSettingTable.Find(name) is not { } s)
        {
            if (!name.Contains('.')) throw Unrecognised(name);
            Remove(name);
            return null;
        }
        if (s.Name == "session_authorization") return null;
        RequireSettable(s);
        var value = _startup.TryGetValue(s.Name, out var v) ? v : s.Default;
        var changed = _values[s.Name] != value;
        Store(s.Name, value, local: false);
        return s.Reportable && changed ? s.Name : null;
    }

    public List<string> ResetAll()
    {
        var changed = new List<string>();
        foreach (var s in PgSettingTable.All.Where(s => s.IsSettable && s.Name != "session_authorization"))
            if (Reset(s.Name) is { } n) changed.Add(n);
        foreach (var custom in _values.Keys.Where(k => k.Contains('.')).ToList()) Remove(custom);
        return changed;
    }

    /// <summary>Changes with every change of a value: tells the runner when the engine's copy must be refreshed.</summary>
    public int Version { get; private set; }

    private void Store(string name, string value, bool local)
    {
        Version++;
        _values[name] = value;
        if (_sessionLevel is not null && !local) _sessionLevel[name] = value;
    }

    private void Remove(string name)
    {
        Version++;
        _values.Remove(name);
        _sessionLevel?.Remove(name);
    }

    /// <summary>statement_timeout in milliseconds (0 = none).</summary>
    public long StatementTimeoutMs => ParseMilliseconds(_values["statement_timeout"]);

    private static PgErrorException Unrecognised(string name) =>
        new(SqlState.UndefinedObject, $"unrecognized configuration parameter \"{name}\"");

    /// <summary>A time setting as SHOW gives it (<c>5s</c>, <c>1min</c>, <c>1500ms</c>, <c>0</c>) in milliseconds.</summary>
    public static long ParseMilliseconds(string v)
    {
        var t = v.Trim();
        var units = new (string Suffix, long Factor)[] { ("ms", 1), ("min", 60_000), ("s", 1000), ("h", 3_600_000), ("d", 86_400_000) };
        foreach (var (suffix, factor) in units)
        {
            if (t.EndsWith(suffix, StringComparison.Ordinal) && long.TryParse(t[..^suffix.Length].Trim(), out var n)) return n * factor;
        }
        if (long.TryParse(t, out var plain)) return plain;
        throw new PgErrorException(SqlState.InvalidParameterValue, $"invalid value for a time parameter: \"{v}\"");
    }
}
