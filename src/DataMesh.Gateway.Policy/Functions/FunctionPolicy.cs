using DataMesh.Gateway.Sql.Ast;

namespace DataMesh.Gateway.Policy.Functions;

/// <summary>The verdict on one function call of a consumer query.</summary>
public sealed record FunctionDecision(FunctionCall Call, bool IsAllowed, string? Reason)
{
    public static FunctionDecision Allow(FunctionCall call) => new(call, true, null);

    public static FunctionDecision Refuse(FunctionCall call, string reason) => new(call, false, reason);

    /// <summary>A message for the client: the function and why it is refused.</summary>
    public string Describe() =>
        IsAllowed ? $"function {Call.FunctionName} is allowed" : $"function {Call.FunctionName} is not allowed: {Reason}";
}

/// <summary>
/// The function allow list of governed queries. A call is allowed only when its bare name (whatever catalog or schema
/// qualifies it: <c>system.main.current_setting</c> is <c>current_setting</c>) is on the allow list for its position
/// (<see cref="FunctionCatalog.AllowedScalar"/> for expressions, aggregates and windows,
/// <see cref="FunctionCatalog.AllowedTable"/> for FROM-clause table functions). Everything else is refused: names on
/// <see cref="FunctionCatalog.Refused"/> with their reason, unknown names as unknown. Pure: decisions over the AST only.
/// </summary>
public sealed class FunctionPolicy
{
    public static readonly FunctionPolicy Default = new();

    /// <summary>DuckDB matches function names with ASCII-only case folding; so does the policy.</summary>
    public static string Normalize(string name)
    {
        Span<char> buffer = name.Length <= 256 ? stackalloc char[name.Length] : new char[name.Length];
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            buffer[i] = c is >= 'A' and <= 'Z' ? (char)(c + 32) : c;
        }
        return new string(buffer);
    }

    /// <summary>True when the bare name is allowed as a scalar/aggregate/window function or operator.</summary>
    public static bool IsAllowedScalar(string name) => FunctionCatalog.AllowedScalar.Contains(Normalize(name));

    /// <summary>True when the bare name is allowed as a FROM-clause table function.</summary>
    public static bool IsAllowedTable(string name) => FunctionCatalog.AllowedTable.Contains(Normalize(name));

    /// <summary>True when the name is on any list (allowed somewhere or refused on purpose).</summary>
    public static bool IsClassified(string name)
    {
        var n = Normalize(name);
        return FunctionCatalog.AllowedScalar.Contains(n) || FunctionCatalog.AllowedTable.Contains(n) || FunctionCatalog.Refused.ContainsKey(n);
    }

    public FunctionDecision Check(FunctionCall call)
    {
        ArgumentNullException.ThrowIfNull(call);
        var name = Normalize(call.FunctionName);
        if (name.Length == 0) return FunctionDecision.Refuse(call, "a function call without a name");

        // current_setting is allowed only by its argument (CheckAll): on its own, the call reads engine state.
        if (name == SettingReader) return FunctionDecision.Refuse(call, FunctionCatalog.EngineState);
        var allowed = call.IsTableFunction ? FunctionCatalog.AllowedTable : FunctionCatalog.AllowedScalar;
        if (allowed.Contains(name))
        {
            if ((call.Schema.Length > 0 || call.Catalog.Length > 0) && FunctionCatalog.GatewayShadowed.Contains(name))
                return FunctionDecision.Refuse(call,
                    "a qualified call reaches DuckDB's built-in instead of the gateway's macro; call it unqualified");
            return FunctionDecision.Allow(call);
        }
        if (FunctionCatalog.Refused.TryGetValue(name, out var reason))
            return FunctionDecision.Refuse(call, call.IsTableFunction && FunctionCatalog.AllowedScalar.Contains(name)
                ? $"as a table function it {reason}" : reason);
        // Families a future DuckDB may extend: refused as unknown anyway, but with the reason that applies.
        if (name.StartsWith("duckdb_", StringComparison.Ordinal) || name.StartsWith("pragma_", StringComparison.Ordinal))
            return FunctionDecision.Refuse(call, FunctionCatalog.EngineCatalog);
        if (name.StartsWith("read_", StringComparison.Ordinal))
            return FunctionDecision.Refuse(call, FunctionCatalog.FileOrScan);
        if (name.StartsWith("parquet_", StringComparison.Ordinal))
            return FunctionDecision.Refuse(call, FunctionCatalog.Statistics);
        return FunctionDecision.Refuse(call, call.IsTableFunction
            ? FunctionCatalog.NotOnTableAllowList
            : "unknown function: not on the gateway's allow list");
    }

    /// <summary>
    /// Decisions for every function call of the query, plus: bare identifiers the binder turns into calls
    /// (<c>SELECT current_schema</c>), and the aggregate named by a string in <c>list_aggr(l, 'name')</c> and its aliases
    /// (refused unless it is a constant naming an allowed aggregate).
    /// </summary>
    public IEnumerable<FunctionDecision> CheckAll(ParsedQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        foreach (var call in query.FunctionCalls)
            if (Normalize(call.FunctionName) != SettingReader) yield return Check(call); // decided by its argument below

        foreach (var column in query.ColumnReferences)
        {
            if (column.ColumnNames.Count != 1) continue;
            var name = Normalize(column.ColumnNames[0]);
            if (!FunctionCatalog.SqlValueFunctions.TryGetValue(name, out var function)) continue;
            yield return Check(new FunctionCall(function, "", "", false, false, false, "FUNCTION", column.Offset));
        }

        foreach (var decision in CheckAggregateNames(query)) yield return decision;
        foreach (var decision in CheckSettingNames(query)) yield return decision;
    }

    private const string SettingReader = "current_setting";

    /// <summary>
    /// <c>current_setting('name')</c> reaches the pg_catalog emulation's macro, which answers from the gateway's own
    /// session settings; it is allowed only unqualified (a qualified call reaches DuckDB's built-in, which reads engine
    /// settings such as allowed paths). A string constant must name one of <see cref="FunctionCatalog.GatewaySettings"/>
    /// (an unknown name is refused with a clear reason rather than answered NULL); a computed name is allowed, since the
    /// macro answers it from the gateway's settings map alone (NULL for anything else).
    /// </summary>
    private static IEnumerable<FunctionDecision> CheckSettingNames(ParsedQuery query)
    {
        var found = new List<FunctionDecision>();
        foreach (var node in query.Statement.Descendants())
        {
            if (node.Class != "FUNCTION" || Normalize(node.FunctionName) != SettingReader) continue;
            var call = new FunctionCall(node.FunctionName, node.FunctionSchema, node.FunctionCatalog, false, false, false, "FUNCTION", node.Offset);
            var children = node.Children;
            if (call.Schema.Length > 0 || call.Catalog.Length > 0)
                found.Add(FunctionDecision.Refuse(call, FunctionCatalog.EngineState + "; call it unqualified for the gateway's session settings"));
            else if (children.Count is < 1 or > 2)
                found.Add(FunctionDecision.Refuse(call, "current_setting takes a setting name and an optional missing_ok"));
            else if (children[0].Constant is not { } constant)
                // A computed name (psql's \dconfig: current_setting(s.name) over pg_settings) still reaches only the
                // unqualified macro, which looks names up in the gateway's settings map: nothing else can answer it.
                found.Add(FunctionDecision.Allow(call));
            else if (!constant.TryString(out var name))
                found.Add(FunctionDecision.Refuse(call, "the setting name must be a string"));
            else if (Settings.PgSettingsData.IsSuperuserOnly(name))
                found.Add(FunctionDecision.Refuse(call, $"must be superuser or have privileges of pg_read_all_settings to examine \"{name}\""));
            else if (!FunctionCatalog.GatewaySettings.Contains(name) && !name.Contains('.'))
                found.Add(FunctionDecision.Refuse(call, $"\"{name}\" is not one of the gateway's session settings; {FunctionCatalog.EngineState}"));
            else
                found.Add(FunctionDecision.Allow(call));
        }
        return found;
    }

    /// <summary>The refusals of <see cref="CheckAll"/> only.</summary>
    public IReadOnlyList<FunctionDecision> Refusals(ParsedQuery query) => CheckAll(query).Where(d => !d.IsAllowed).ToList();

    private static IEnumerable<FunctionDecision> CheckAggregateNames(ParsedQuery query)
    {
        var found = new List<FunctionDecision>();
        foreach (var node in query.Statement.Descendants())
        {
            if (node.Class != "FUNCTION") continue;
            var name = Normalize(node.FunctionName);
            if (!FunctionCatalog.AggregateByName.Contains(name)) continue;
            var call = new FunctionCall(name, node.FunctionSchema, node.FunctionCatalog, false, false, false, "FUNCTION", node.Offset);
            var children = node.Children;
            if (children.Count < 2)
            {
                // One argument is a bind error; no name reaches DuckDB.
                continue;
            }
            if (children[1].Constant is not { } constant || !constant.TryString(out var aggregate))
            {
                found.Add(FunctionDecision.Refuse(call, "the aggregate name must be a string constant"));
                continue;
            }
            var aggName = Normalize(aggregate);
            if (!FunctionCatalog.Aggregates.Contains(aggName) || !FunctionCatalog.AllowedScalar.Contains(aggName))
                found.Add(FunctionDecision.Refuse(call, $"'{aggregate}' is not an allowed aggregate"));
        }
        return found;
    }
}
