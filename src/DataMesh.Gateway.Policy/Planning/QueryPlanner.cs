using DataMesh.Gateway.Policy.Functions;
using DataMesh.Gateway.Policy.Grants;
using DataMesh.Gateway.Policy.Rewrite;
using DataMesh.Gateway.Policy.Rewrite.Constants;
using DataMesh.Gateway.Sql.Ast;

namespace DataMesh.Gateway.Policy.Planning;

/// <summary>
/// The one entry point of governance: how a consumer's statement becomes the engine's governed SQL. The server (behind
/// its rewrite cache), the fuzzer, the benchmarks and the tests all plan through it, so none of them skips a step.
/// DuckDB's syntax tree is read once (<see cref="SqlAst"/>) and every step reads that one typed tree; only the
/// rewritten text is parsed again, to verify it.
/// </summary>
public static class QueryPlanner
{
    /// <summary>
    /// PostgreSQL spellings translated to the emulation's (everything after governs, and the engine runs, the
    /// translated text), numeric literals checked, DuckDB's parse, the size and nesting limits (a query too complex to
    /// plan in bounded time never reaches DuckDB's planner), the function allow list (a refused function never reaches
    /// the engine), the planning-time casts of string literals compared with typed columns, the constants evaluated
    /// before any data is touched (when <paramref name="constants"/> is given), the leak-proofness barrier decision, the
    /// rewrite of every asset reference into its policy subquery, and the verification of the result.
    /// </summary>
    /// <param name="constants">Evaluates the query's constants on the session's own instance; null plans without
    /// (fixed statements such as an approval's preview).</param>
    /// <exception cref="PolicyException">The statement is refused: its SQLSTATE, message and hint, and
    /// <see cref="PolicyException.Position"/> (a char offset into the translated text) when known.</exception>
    /// <param name="bindError">The error for a query whose bound plan (read for the casts over its constants) does not
    /// bind over the shadow tables: the engine's type and message, and the plan the query would have run.</param>
    public static RewriteResult Plan(string userSql, GrantSet grants, SqlSyntax syntax, RewriteOptions options,
        IConstantEvaluator? constants = null, Func<string, string, RewriteResult, Exception>? bindError = null)
    {
        ArgumentNullException.ThrowIfNull(userSql);
        ArgumentNullException.ThrowIfNull(grants);
        ArgumentNullException.ThrowIfNull(syntax);
        // The alias 'at' quoted for DuckDB, schema.table.* read as table.*, then PostgreSQL's catalog spellings.
        var sql = PgDialect.Translate(QualifiedStars.Shorten(DuckDbKeywordNames.Quote(userSql)));
        NumericLiterals.Check(sql);
        var parsed = Parse(sql, syntax);
        QueryComplexity.Check(parsed);
        if (FunctionPolicy.Default.Refusals(parsed) is [var refused, ..]) throw PolicyException.Refused(refused.Describe());
        LiteralCasts.Check(parsed, grants, syntax.CanCast);
        var constantPlan = constants is null ? ConstantPlan.None : ConstantFolding.Check(parsed, constants);
        var barrier = BarrierPolicy.Requires(parsed, grants);
        var result = QueryRewriter.Rewrite(parsed, grants, syntax.Serialize, grants.MaskSecret, barrier, options);
        if (constantPlan.SessionCalls.Count > 0 && result.Grants.Any(g => g.QualifiedRowFilter is not null))
        {
            // Session and clock values cannot be planned once; evaluated per row, they only meet rows the filter let through.
            var wrapped = PerRowCalls.Wrap(sql, constantPlan.SessionCalls, syntax.Serialize);
            result = QueryRewriter.Rewrite(wrapped, grants, syntax.Serialize, grants.MaskSecret, barrier: true, options);
        }
        // Casts DuckDB's binder puts over constants (item_id + 0 = lower('X')), read from its plan over the shadow tables.
        if (constants is not null && result.Grants.Count > 0)
        {
            var planned = result;
            constantPlan = ConstantFolding.CheckBoundCasts(parsed, constantPlan, constants,
                (type, message) => bindError?.Invoke(type, message, planned) ?? PolicyException.Refused(message));
        }
        // What RowDescription says of each column: its base table and attribute, and PostgreSQL's name when unaliased.
        return result with
        {
            Constants = constantPlan, ColumnSources = SelectColumnSources.Read(parsed), ColumnNames = PgColumnNaming.Names(parsed),
        };
    }

    /// <summary>DuckDB's tree of the text; its refusals as the policy's.</summary>
    private static ParsedQuery Parse(string sql, SqlSyntax syntax)
    {
        try
        {
            return SqlAst.Parse(syntax.Serialize(sql), sql);
        }
        catch (SqlAstException e) when (e.ErrorType is "not implemented" or "Not implemented" or "NOT_IMPLEMENTED")
        {
            throw PolicyException.Refused("only queries (SELECT, WITH, VALUES, set operations) are allowed through the gateway");
        }
        catch (SqlAstException e) when (e.ErrorType is { Length: > 0 })
        {
            // DuckDB's own parse error on the user's text: the message is about their query, positions are theirs.
            throw new PolicyException("42601", FirstLine(e.Message)) { Position = e.Position };
        }
        catch (SqlAstException e)
        {
            throw PolicyException.Refused("the query could not be governed: " + FirstLine(e.Message));
        }
    }

    private static string FirstLine(string s) => s.Split('\n', 2)[0].Trim();
}
