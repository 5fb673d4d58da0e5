using System.Text;
using DataMesh.Gateway.Sql.Lexing;

namespace DataMesh.Gateway.Policy.Rewrite.Constants;

/// <summary>
/// The text whose plan tells which casts DuckDB's binder puts over the query's constants, and the way back from its
/// locations to the query's own. A parameter has no type until a value is bound, and DuckDB binds the statement again
/// with the value's type when it differs from the one it inferred (a text value for <c>item_id + 0 = $1</c>): the cast
/// over it then exists only in that second binding. So each parameter is written as a text value (not a literal, not
/// NULL: DuckDB drops casts of NULL and types literals by context): a bare parameter's value stays text, and the server
/// writes <c>CAST($n AS T)</c> for a parameter of a declared or inferred type, whose value it decodes as T at Bind, so
/// that explicit cast is the value's own type (BoundCasts does not check it).
/// </summary>
public sealed class PlanText
{
    /// <summary>What stands for each parameter in <see cref="Sql"/>.</summary>
    public const string ParameterStandIn = "('0'::VARCHAR)";

    // Replaced spans, in UTF-8 bytes: where each starts in the plan text, its length there, and the parameter's offset
    // and length in the query text.
    private readonly List<(long PlanStart, long PlanLength, long QueryStart, long QueryLength)> _spans = [];
    private readonly Dictionary<string, List<ulong>> _parameters = new(StringComparer.Ordinal);

    private PlanText(string sql) => Sql = sql;

    /// <summary>The text to bind: the query with every parameter replaced by <see cref="ParameterStandIn"/>.</summary>
    public string Sql { get; }

    public bool HasParameters => _spans.Count > 0;

    public static PlanText Of(string sql)
    {
        ArgumentNullException.ThrowIfNull(sql);
        var tokens = SqlLexer.Tokenize(sql).Where(t => t.Kind == SqlTokenKind.Parameter || (t.Kind == SqlTokenKind.Symbol && t.Text == "?")).ToList();
        if (tokens.Count == 0) return new PlanText(sql);
        var text = new StringBuilder(sql.Length + tokens.Count * ParameterStandIn.Length);
        var spans = new List<(long, long, long, long)>();
        var identifiers = new List<string>();
        var positional = 0;
        var last = 0;
        long planBytes = 0, queryBytes = 0;
        foreach (var token in tokens)
        {
            var between = sql.AsSpan(last, token.Offset - last);
            var betweenBytes = Encoding.UTF8.GetByteCount(between);
            text.Append(between);
            planBytes += betweenBytes;
            queryBytes += betweenBytes;
            spans.Add((planBytes, ParameterStandIn.Length, queryBytes, token.Text.Length));
            // DuckDB numbers ? parameters by position, as the AST's PARAMETER identifiers say.
            identifiers.Add(token.Kind == SqlTokenKind.Parameter && int.TryParse(token.Value, out var n)
                ? n.ToString(System.Globalization.CultureInfo.InvariantCulture)
                : (++positional).ToString(System.Globalization.CultureInfo.InvariantCulture));
            text.Append(ParameterStandIn);
            planBytes += ParameterStandIn.Length;
            queryBytes += token.Text.Length;
            last = token.Offset + token.Text.Length;
        }
        text.Append(sql, last, sql.Length - last);
        var result = new PlanText(text.ToString());
        result._spans.AddRange(spans);
        for (var i = 0; i < spans.Count; i++)
        {
            if (!result._parameters.TryGetValue(identifiers[i], out var at)) result._parameters[identifiers[i]] = at = [];
            at.Add((ulong)spans[i].Item3);
        }
        return result;
    }

    /// <summary>The query-text byte locations of a parameter (the AST gives parameters none), by its identifier.</summary>
    public IReadOnlyList<ulong> ParameterLocations(string identifier) =>
        _parameters.TryGetValue(identifier, out var at) ? at : [];

    /// <summary>Whether a plan-text byte location lies inside a parameter's stand-in.</summary>
    public bool IsInParameter(ulong planLocation) =>
        _spans.Any(s => (long)planLocation >= s.PlanStart && (long)planLocation < s.PlanStart + s.PlanLength);

    /// <summary>The query-text byte location of a plan-text byte location (anything inside a parameter's stand-in is
    /// the parameter's own location); null for DuckDB's "no location".</summary>
    public ulong? ToQueryLocation(ulong planLocation)
    {
        if (planLocation == ulong.MaxValue) return null;
        long shift = 0;
        foreach (var (planStart, planLength, queryStart, queryLength) in _spans)
        {
            if ((long)planLocation < planStart) break;
            if ((long)planLocation < planStart + planLength) return (ulong)queryStart;
            shift += planLength - queryLength;
        }
        return (ulong)((long)planLocation - shift);
    }
}
