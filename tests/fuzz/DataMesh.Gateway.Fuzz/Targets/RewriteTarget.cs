using System.Text;
using DataMesh.Gateway.Engine;
using DataMesh.Gateway.Policy;
using DataMesh.Gateway.Policy.Grants;
using DataMesh.Gateway.Policy.Planning;
using DataMesh.Gateway.Policy.Rewrite;

namespace DataMesh.Gateway.Fuzz.Targets;

/// <summary>
/// Governance fed query text through its one entry point, <see cref="QueryPlanner"/>, exactly as the server plans:
/// the dialect translation, DuckDB's parser (json_serialize_sql), the function allow list, the literal-cast check, the
/// constant checks on a real instance (<see cref="RewriteConstants"/>: the server's evaluator, bounded), the barrier
/// decision, the bound-cast checks and the rewrite against a fixed grant set. The documented failures are
/// <see cref="PolicyException"/> and the engine's error for a constant (<see cref="ConstantError"/>): both become
/// an error for the client. On success the rewritten SQL must hold no source path, no <c>read_parquet</c>
/// and no hidden column outside the policy subqueries generated for the session's own grants (unless the user typed
/// that text themselves).
/// </summary>
public sealed class RewriteTarget : IFuzzTarget
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly SqlParser _parser = new();
    private readonly SqlSyntax _syntax;
    private readonly RewriteCatalog _catalog;
    private readonly RewriteConstants _constants;
    private readonly string[] _generated;

    public RewriteTarget()
    {
        _catalog = new RewriteCatalog(_parser.Serialize);
        _syntax = new SqlSyntax(_parser.Serialize, _parser.CanCast);
        _constants = new RewriteConstants(_catalog.Grants, _parser);
        // Every subquery the rewrite may splice in, fenced first: the fenced text extends the plain one.
        _generated = _catalog.Grants.All
            .SelectMany(g => new[] { PolicySubquery.Build(g, _catalog.MaskSecret, true), PolicySubquery.Build(g, _catalog.MaskSecret, false) })
            .ToArray();
        foreach (var text in _generated)
            if (text.Contains(RewriteCatalog.HiddenColumn, StringComparison.OrdinalIgnoreCase))
                throw new FuzzInvariantException("a policy subquery selects the hidden column");
    }

    public void Run(ReadOnlySpan<byte> input)
    {
        string sql;
        try
        {
            sql = StrictUtf8.GetString(input);
        }
        catch (DecoderFallbackException)
        {
            return; // the wire decoder refuses invalid UTF-8 before any SQL is read
        }
        if (sql.Contains('\0')) return; // a NUL ends the Query message's string on the wire

        RewriteResult result;
        try
        {
            result = QueryPlanner.Plan(sql, _catalog.Grants, _syntax, RewriteOptions.Default, _constants);
        }
        catch (PolicyException)
        {
            return;
        }
        catch (ConstantError)
        {
            return; // a constant's own error (or its evaluation interrupted at the limit), before any data is touched
        }
        Check(sql, result);
    }

    /// <summary>The evaluator the target plans with (for tests that plan as the target does).</summary>
    public RewriteConstants Constants => _constants;

    /// <summary>The fixed catalog (for tests of the oracle itself).</summary>
    public RewriteCatalog Catalog => _catalog;

    /// <summary>The invariant on one rewrite of <paramref name="sql"/>; throws <see cref="FuzzInvariantException"/>.</summary>
    public void Check(string sql, RewriteResult result)
    {
        foreach (var grant in result.Grants)
            if (!_catalog.Grants.All.Contains(grant))
                throw new FuzzInvariantException($"the rewrite used a grant the session does not hold: {grant.QualifiedName}");

        var residue = result.Sql;
        foreach (var text in _generated) residue = residue.Replace(text, "", StringComparison.Ordinal);
        foreach (var fragment in Forbidden())
        {
            if (sql.Contains(fragment, StringComparison.OrdinalIgnoreCase)) continue;
            if (residue.Contains(fragment, StringComparison.OrdinalIgnoreCase))
                throw new FuzzInvariantException($"the rewritten SQL holds \"{fragment}\" outside a policy subquery: {result.Sql}");
        }
    }

    private IEnumerable<string> Forbidden()
    {
        yield return _catalog.Directory;
        foreach (var path in _catalog.SourcePaths) yield return Path.GetFileName(path);
        yield return "read_parquet";
        yield return GrantSet.SourceAlias;
        yield return RewriteCatalog.HiddenColumn;
    }

    public void Dispose()
    {
        _constants.Dispose();
        _catalog.Dispose();
        _parser.Dispose();
    }
}
