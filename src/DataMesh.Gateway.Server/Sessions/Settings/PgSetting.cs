namespace DataMesh.Gateway.Server.Sessions.Settings;

/// <summary>Who may change a parameter and when, as PostgreSQL's pg_settings.context says.</summary>
public enum SettingContext
{
    Internal,
    Postmaster,
    Sighup,
    SuperuserBackend,
    Backend,
    Superuser,
    User,
}

/// <summary>pg_settings.vartype.</summary>
public enum SettingType
{
    Bool,
    Integer,
    Real,
    String,
    Enum,
}

/// <summary>
/// One PostgreSQL run-time parameter as the gateway answers it: PostgreSQL 15's name, context, type, unit, range and
/// enum values (<see cref="PgSettingTable"/>), its default as SHOW gives it, and the gateway's own rules on top
/// (<see cref="GatewaySettingRules"/>): which values it can honour and which changes are reported to the client.
/// </summary>
/// <param name="Unit">pg_settings.unit: "kB", "8kB", "MB", "B", "ms", "s", "min", or "" for none.</param>
/// <param name="EnumValues">The values SHOW can give, in PostgreSQL's order (its hint lists them so).</param>
/// <param name="SuperuserOnlyRead">Only a superuser may read it (SHOW is 42501 for everybody else; pg_settings hides it).</param>
public sealed record PgSetting(
    string Name,
    SettingContext Context,
    SettingType Type,
    string Unit,
    double Min,
    double Max,
    IReadOnlyList<string> EnumValues,
    string Default,
    bool SuperuserOnlyRead)
{
    /// <summary>Sent as ParameterStatus at startup and whenever it changes (PostgreSQL's GUC_REPORT).</summary>
    public bool Reportable { get; init; }

    /// <summary>SET takes a list (<c>SET search_path = a, b</c>): the values are joined with ", ".</summary>
    public bool ListInput { get; init; }

    /// <summary>List elements are identifiers: each is double-quoted where PostgreSQL's quote_ident would.</summary>
    public bool ListQuote { get; init; }

    /// <summary>
    /// The gateway's check of a value already in PostgreSQL's form (after <see cref="SettingValues.Canonical"/>), given
    /// the current value (DateStyle keeps the part a SET leaves out): returns the value SHOW will give, or throws when
    /// PostgreSQL would refuse it or the gateway cannot honour it. Null: any valid value is kept.
    /// </summary>
    public Func<string, string, string>? Honour { get; init; }

    /// <summary>SHOW gives the number without a unit (PostgreSQL's show hooks of the tcp_keepalives_* settings).</summary>
    public bool ShowPlain { get; init; }

    /// <summary>Not listed by pg_settings or SHOW ALL (PostgreSQL's GUC_NO_SHOW_ALL: is_superuser, role, …).</summary>
    public bool Hidden { get; init; }

    public bool IsSettable => Context == SettingContext.User;

    /// <summary>The pg_settings.context spelling.</summary>
    public string ContextName => Context switch
    {
        SettingContext.SuperuserBackend => "superuser-backend",
        _ => Context.ToString().ToLowerInvariant(),
    };

    public string TypeName => Type.ToString().ToLowerInvariant();
}
