using DataMesh.Gateway.Protocol.Errors;
using DataMesh.Gateway.Server.Startup;

namespace DataMesh.Gateway.Server.Sessions;

/// <summary>
/// The session's run-time parameters (what SET/SHOW/RESET act on). The gateway answers all of them itself;
/// none reaches the engine. Parameters marked reportable are sent as ParameterStatus at startup and on change.
/// </summary>
public sealed class SessionParameters
{
    private sealed record Definition(string Name, string Default, bool Reportable, bool Settable, Func<string, string>? Validate = null);

    private static readonly Definition[] Defined =
    [
        new("server_version", Engine.PgCatalogEmulation.ServerVersion, true, false),
        new("server_encoding", "UTF8", true, false),
        new("client_encoding", "UTF8", true, true, ParameterValues.ClientEncoding),
        new("DateStyle", "ISO, MDY", true, true, ParameterValues.DateStyle),
        new("IntervalStyle", "postgres", true, true, v => ParameterValues.OneOf("IntervalStyle", v, "postgres", "postgres", "postgres_verbose", "sql_standard", "iso_8601")),
        new("TimeZone", "UTC", true, true, ParameterValues.TimeZone),
        new("integer_datetimes", "on", true, false),
        new("standard_conforming_strings", "on", true, true, v => ParameterValues.OnlyOn("standard_conforming_strings", v, Boolean)),
        new("application_name", "", true, true),
        new("is_superuser", "off", true, false),
        new("session_authorization", "", true, false),
        new("default_transaction_read_only", "off", true, true, Boolean),
        new("in_hot_standby", "off", true, false),
        new("search_path", "\"$user\", public", false, true),
        new("extra_float_digits", "1", false, true),
        new("statement_timeout", "0", false, true, Duration),
        new("idle_in_transaction_session_timeout", "0", false, true, Duration),
        new("lock_timeout", "0", false, true),
        new("transaction_isolation", "read committed", false, false),
        new("default_transaction_isolation", "read committed", false, true),
        new("transaction_read_only", "off", false, false),
        new("max_identifier_length", "63", false, false),
        new("bytea_output", "hex", false, true, v => ParameterValues.OneOf("bytea_output", v, "hex", "escape", "hex")),
    ];

    /// <summary>Every parameter's name, built-in default, context and type, as pg_settings lists them.</summary>
    public static readonly IReadOnlyList<(string Name, string Boot, string Context, string Type)> Definitions =
        Defined.Select(d => (d.Name, d.Default, d.Settable ? "user" : "internal", d.Validate == (Func<string, string>)Boolean ? "bool" : "string")).ToList();

    private static readonly Dictionary<string, Definition> ByName =
        Defined.ToDictionary(d => d.Name, StringComparer.OrdinalIgnoreCase);

    private readonly Dictionary<string, string> _values = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, string> _startup = new(StringComparer.OrdinalIgnoreCase);

    // Inside a transaction block that changed settings: the values when it began (ROLLBACK), and the values as the
    // session-level changes in it left them, without the LOCAL ones (COMMIT). Null outside such a block.
    private Dictionary<string, string>? _atTransactionStart;
    private Dictionary<string, string>? _sessionLevel;

    public SessionParameters(string userName, IReadOnlyDictionary<string, string> startupParameters)
    {
        foreach (var d in ByName.Values) _values[d.Name] = d.Default;
        _values["session_authorization"] = userName;
        // Startup parameters a client may legitimately set (libpq sends application_name, client_encoding, options…).
        // Unknown ones are ignored and never reach the engine.
        foreach (var (name, value) in startupParameters)
        {
            if (!ByName.TryGetValue(name, out var d) || !d.Settable) continue;
            // A startup value we cannot honour (e.g. client_encoding=LATIN1) fails the way SET would.
            var v = d.Validate?.Invoke(value) ?? value;
            _values[d.Name] = v;
            _startup[d.Name] = v;
        }
    }

    public IEnumerable<KeyValuePair<string, string>> Reportable =>
        ByName.Values.Where(d => d.Reportable).Select(d => KeyValuePair.Create(d.Name, _values[d.Name]));

    /// <summary>Every parameter with its current value (what current_setting() reads in the engine session).</summary>
    public IEnumerable<KeyValuePair<string, string>> All => ByName.Values.Select(d => KeyValuePair.Create(d.Name, _values[d.Name]));

    /// <summary>
    /// The parameters whose values differ from their built-in defaults (<see cref="Definitions"/>): what the engine
    /// session is told (EngineSession.SetSettings); the defaults are built into its instance.
    /// </summary>
    public IEnumerable<KeyValuePair<string, string>> Changed =>
        ByName.Values.Where(d => _values[d.Name] != d.Default).Select(d => KeyValuePair.Create(d.Name, _values[d.Name]));

    /// <summary>True for a parameter the gateway itself answers (PostgreSQL's, such as TimeZone or search_path).</summary>
    public bool IsKnown(string name) => ByName.ContainsKey(name);

    /// <summary>The value RESET would give (the startup value, else the built-in default); "" for a custom placeholder.</summary>
    public string DefaultOf(string name) =>
        ByName.TryGetValue(name, out var d) ? (_startup.TryGetValue(d.Name, out var s) ? s : d.Default) : "";

    /// <summary>Checks a SET without applying it: an unknown name, a read-only parameter or a refused value throw.</summary>
    public void Validate(string name, string value) => Checked(name, value);

    /// <summary>
    /// What SET would store: the definition (null for a custom "class.name" placeholder, allowed as in PostgreSQL)
    /// and the validated value; an unknown name, a read-only parameter or a refused value throw.
    /// </summary>
    private static (Definition? Definition, string Value) Checked(string name, string value)
    {
        if (!ByName.TryGetValue(name, out var d))
            return name.Contains('.') ? (null, value) : throw Unrecognised(name);
        if (!d.Settable)
            throw new PgErrorException(SqlState.ObjectNotInPrerequisiteState, $"parameter \"{d.Name}\" cannot be changed");
        return (d, d.Validate?.Invoke(value) ?? value);
    }

    public string Get(string name)
    {
        if (ByName.TryGetValue(name, out var d)) return _values[d.Name];
        if (name.Contains('.') && _values.TryGetValue(name, out var custom)) return custom;
        if (name.Equals("all", StringComparison.OrdinalIgnoreCase)) throw new PgErrorException(SqlState.FeatureNotSupported, "SHOW ALL is not supported");
        throw Unrecognised(name);
    }

    /// <summary>Canonical name of a parameter (DateStyle for datestyle), for the SHOW column name.</summary>
    public static string CanonicalName(string name) => ByName.TryGetValue(name, out var d) ? d.Name : name;

    /// <summary>
    /// Sets a parameter; returns the canonical name when the client must be sent a ParameterStatus. A
    /// <paramref name="local"/> value (SET LOCAL, set_config(…, true)) lasts until the transaction block ends; the
    /// caller only passes it inside one (after <see cref="EnterTransaction"/>).
    /// </summary>
    public string? Set(string name, string value, bool local = false)
    {
        var (d, validated) = Checked(name, value);
        if (d is null)
        {
            Store(name, validated, local);
            return null;
        }
        var changed = _values[d.Name] != validated;
        Store(d.Name, validated, local);
        return d.Reportable && changed ? d.Name : null;
    }

    /// <summary>Resets a parameter to its startup or built-in default; returns the name when it must be reported.</summary>
    public string? Reset(string name)
    {
        if (!ByName.TryGetValue(name, out var d))
        {
            if (!name.Contains('.')) throw Unrecognised(name);
            Remove(name);
            return null;
        }
        var value = _startup.TryGetValue(d.Name, out var s) ? s : d.Default;
        if (d.Name == "session_authorization") return null;
        var changed = _values[d.Name] != value;
        Store(d.Name, value, local: false);
        return d.Reportable && changed ? d.Name : null;
    }

    public List<string> ResetAll()
    {
        var changed = new List<string>();
        foreach (var d in ByName.Values.Where(d => d.Settable))
            if (Reset(d.Name) is { } n) changed.Add(n);
        foreach (var custom in _values.Keys.Where(k => k.Contains('.')).ToList()) Remove(custom);
        return changed;
    }

    /// <summary>
    /// A transaction block is open and a statement is about to change settings: remember them as they stand, so that
    /// ROLLBACK can restore them and COMMIT can drop the LOCAL ones (PostgreSQL's GUC nesting; savepoints nest inside
    /// it through <see cref="MarkSavepoint"/>). Idempotent within one block.
    /// </summary>
    public void EnterTransaction()
    {
        if (_atTransactionStart is not null) return;
        _atTransactionStart = new Dictionary<string, string>(_values, StringComparer.OrdinalIgnoreCase);
        _sessionLevel = new Dictionary<string, string>(_values, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>
    /// The transaction block ended: COMMIT keeps session-level changes and drops LOCAL ones, ROLLBACK restores the
    /// settings as they were when it began. Returns the reportable parameters whose value changed by it.
    /// </summary>
    public List<string> EndTransaction(bool commit)
    {
        if (_atTransactionStart is null) return [];
        var changed = RestoreValues(commit ? _sessionLevel! : _atTransactionStart);
        _atTransactionStart = null;
        _sessionLevel = null;
        return changed;
    }

    /// <summary>The settings as they stood at a SAVEPOINT: the current values and, once the block changed any, the
    /// session-level ones COMMIT would keep.</summary>
    public sealed record Savepoint(Dictionary<string, string> Values, Dictionary<string, string>? SessionLevel);

    public Savepoint MarkSavepoint() => new(
        new Dictionary<string, string>(_values, StringComparer.OrdinalIgnoreCase),
        _sessionLevel is null ? null : new Dictionary<string, string>(_sessionLevel, StringComparer.OrdinalIgnoreCase));

    /// <summary>
    /// ROLLBACK TO a savepoint: every SET, SET LOCAL and set_config made after it is undone, as in PostgreSQL (RELEASE
    /// keeps them, so it needs nothing here). Returns the reportable parameters whose value changed back.
    /// </summary>
    public List<string> RollbackTo(Savepoint mark)
    {
        var changed = RestoreValues(mark.Values);
        // No change before the savepoint: what COMMIT would keep is what stood at it.
        if (_sessionLevel is not null)
            _sessionLevel = new Dictionary<string, string>(mark.SessionLevel ?? mark.Values, StringComparer.OrdinalIgnoreCase);
        return changed;
    }

    /// <summary>Puts every value back as <paramref name="target"/> holds it; returns the reportable parameters that changed.</summary>
    private List<string> RestoreValues(Dictionary<string, string> target)
    {
        var changed = ByName.Values.Where(d => d.Reportable && _values[d.Name] != target[d.Name]).Select(d => d.Name).ToList();
        Version++;
        _values.Clear();
        foreach (var (k, v) in target) _values[k] = v;
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

    private static string Boolean(string v) => v.ToLowerInvariant() switch
    {
        "on" or "true" or "yes" or "1" => "on",
        "off" or "false" or "no" or "0" => "off",
        _ => throw new PgErrorException(SqlState.InvalidParameterValue, $"parameter requires a Boolean value"),
    };

    private static string Duration(string v)
    {
        ParseMilliseconds(v);
        return v;
    }

    public static long ParseMilliseconds(string v)
    {
        var t = v.Trim().ToLowerInvariant();
        var units = new (string Suffix, long Factor)[] { ("ms", 1), ("s", 1000), ("min", 60_000), ("h", 3_600_000), ("d", 86_400_000) };
        foreach (var (suffix, factor) in units)
        {
            if (t.EndsWith(suffix, StringComparison.Ordinal) && long.TryParse(t[..^suffix.Length].Trim(), out var n)) return n * factor;
        }
        if (long.TryParse(t, out var plain)) return plain;
        throw new PgErrorException(SqlState.InvalidParameterValue, $"invalid value for a time parameter: \"{v}\"");
    }
}
