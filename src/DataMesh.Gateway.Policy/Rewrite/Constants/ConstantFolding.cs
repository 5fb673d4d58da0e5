using DataMesh.Gateway.Sql.Ast;

namespace DataMesh.Gateway.Policy.Rewrite.Constants;

/// <summary>
/// What planning learned about a query's constants: the check to run with the bound values before each execution
/// (its SQL text with the query's own <c>$n</c>, and the parameter numbers it names), and the session or clock calls.
/// </summary>
public sealed record ConstantPlan(string? ParameterCheck, IReadOnlySet<int> CheckedParameters, IReadOnlyList<SessionCall> SessionCalls)
{
    public static readonly ConstantPlan None = new(null, new HashSet<int>(), []);

    /// <summary>The expressions <see cref="ParameterCheck"/> evaluates, so that later checks can be added to it.</summary>
    internal IReadOnlyList<ConstantExpression> Parameterized { get; init; } = [];
}

/// <summary>
/// Evaluates every maximal constant sub-expression of a consumer query at planning time, before any data is touched,
/// as PostgreSQL does when it analyses and plans a query: an error there is the query's error (the engine's own
/// SQLSTATE and message), whatever the data and its statistics; an expression that evaluates stays as written (it is
/// deterministic, and the evaluation ran with the instance's settings and macros, so the engine computes the same
/// value). The casts DuckDB's binder puts over constants are added in a second step (<see cref="CheckBoundCasts"/>).
/// Expressions with parameters are checked the same way before each execution (<see cref="ConstantPlan.ParameterCheck"/>).
/// </summary>
public static class ConstantFolding
{
    public static ConstantPlan Check(ParsedQuery query, IConstantEvaluator evaluator)
    {
        ArgumentNullException.ThrowIfNull(evaluator);
        return FailClosed(() =>
        {
            var scan = ConstantScan.Of(query);
            return Evaluate(scan.Constants, new ConstantPlan(null, new HashSet<int>(), scan.SessionCalls), evaluator);
        });
    }

    /// <summary>
    /// Adds the casts DuckDB's binder puts over the query's constants (<see cref="BoundCasts"/>): the query, its
    /// parameters written as NULLs of their values' types (<see cref="PlanText"/>), is bound on the evaluator's
    /// connection, which holds the project's empty shadow tables under the names the query uses, and each fallible cast
    /// over a constant is evaluated like the constants themselves. A query that does not bind there fails with the
    /// engine's own error, as it would when it runs.
    /// </summary>
    public static ConstantPlan CheckBoundCasts(ParsedQuery query, ConstantPlan plan, IConstantEvaluator evaluator, Func<string, string, Exception> bindError)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(evaluator);
        ArgumentNullException.ThrowIfNull(bindError);
        return FailClosed(() =>
        {
            var scan = ConstantScan.Of(query);
            var text = PlanText.Of(query.OriginalSql);
            var bound = BoundCasts.Find(evaluator.SerializePlan(text.Sql), scan, text);
            if (bound.ErrorType is { } type)
            {
                // With parameters the text binds as if every untyped one were text; the server may plan it again with
                // the types the engine infers for them (Server: ParameterInference.TypeUntyped), and if it keeps this
                // plan, the engine binds the same value types and fails the same way, before any row is read.
                if (text.HasParameters) return plan;
                throw bindError(type, bound.ErrorMessage ?? "");
            }
            return Evaluate(bound.Checks, plan, evaluator);
        });
    }

    private static ConstantPlan FailClosed(Func<ConstantPlan> check)
    {
        try
        {
            return check();
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException or KeyNotFoundException or FormatException)
        {
            // An AST shape the check cannot rebuild: fail closed rather than run constants that were not checked.
            throw PolicyException.Refused("the query's constant expressions could not be checked before it runs");
        }
    }

    /// <summary>Evaluates the immutable expressions now and adds those over parameters to the plan's parameter check.</summary>
    private static ConstantPlan Evaluate(IReadOnlyList<ConstantExpression> constants, ConstantPlan plan, IConstantEvaluator evaluator)
    {
        var immutable = constants.Where(c => c.Kind == ConstantKind.Immutable).ToList();
        if (immutable.Count > 0) evaluator.Run(ConstantCheckQuery.Of(immutable, evaluator));
        var parameterized = constants.Where(c => c.Kind == ConstantKind.Parameterized).ToList();
        if (parameterized.Count == 0) return plan;
        parameterized.InsertRange(0, plan.Parameterized);
        var select = ConstantCheckQuery.Of(parameterized, evaluator);
        return plan with { ParameterCheck = evaluator.Print(select), CheckedParameters = ConstantCheckQuery.ParameterNumbers(parameterized), Parameterized = parameterized };
    }
}
