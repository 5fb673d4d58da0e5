using DataMesh.Gateway.Sql.Ast;

namespace DataMesh.Gateway.Policy.Rewrite;

/// <summary>
/// Refuses a query too complex to plan safely before it reaches DuckDB's planner: planning time doubles with each
/// level of nested scalar subqueries (depth 20: 2 s, 25: 63 s; 50 never finished) and planning cannot be interrupted,
/// so one such query pinned a core until the gateway restarted; and it grows with the number of subqueries (a
/// binary tree of 1,023 scalar subqueries took 2.7 s, 255 took 0.7 s). Limits: <see cref="MaxQueryNesting"/> levels
/// of nested queries (subqueries, derived tables, CTE bodies, set operations), <see cref="MaxQueries"/> queries in all
/// and <see cref="MaxNodes"/> nodes in the syntax tree. 54001, PostgreSQL's "statement too complex" class (its own message there is "stack depth limit
/// exceeded").
/// </summary>
public static class QueryComplexity
{
    public const int MaxQueryNesting = 16;
    public const int MaxQueries = 256;
    public const int MaxNodes = 100_000;

    public static void Check(ParsedQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var nodes = 0;
        var deepest = 0;
        var queries = 0;
        var stack = new Stack<(AstNode Node, int Depth)>();
        stack.Push((query.Statement, 0));
        while (stack.Count > 0)
        {
            var (e, depth) = stack.Pop();
            if (++nodes > MaxNodes)
                throw TooComplex($"more than {MaxNodes} syntax tree nodes (the limit)");
            if (e.Has("cte_map"))
            {
                if (++queries > MaxQueries) throw TooComplex($"more than {MaxQueries} subqueries");
                if (++depth > deepest) deepest = depth;
            }
            if (deepest > MaxQueryNesting)
                throw TooComplex($"queries nested more than {MaxQueryNesting} levels deep");
            foreach (var (_, value) in e.Properties) Push(stack, value, depth);
        }
    }

    private static void Push(Stack<(AstNode Node, int Depth)> stack, AstValue value, int depth)
    {
        if (value.Node is { } node) stack.Push((node, depth));
        else foreach (var item in value.Items) Push(stack, item, depth);
    }

    private static PolicyException TooComplex(string what) =>
        new("54001", "statement is too complex: " + what, "Flatten nested subqueries into joins or WITH clauses, or split the query.");
}
