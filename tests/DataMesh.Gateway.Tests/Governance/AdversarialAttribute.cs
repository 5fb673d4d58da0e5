using DataMesh.Gateway.Sql.Ast;
using DuckDB.NET.Native;

namespace DataMesh.Gateway.Tests.Governance;

/// <summary>The classes of attack on the governed-query policy (issue 4, "Adversarial suite").</summary>
public enum AttackClass
{
    Session,
    NameResolution,
    FilePath,
    TableFunction,
    WrappedTableFunction,
    CatalogQualifiedName,
    TimeTravel,
    SettingsAndState,
    EngineStatement,
    Explain,
    MultiStatement,
    CteShadowing,
    OutOfScopeCte,
    NestedSubquery,
    ErrorOracle,
    FilterCapture,
    HiddenColumn,
    Metadata,
    ErrorText,
    Revocation,
    Expiry,
    SameSqlDifferentGrants,
    Masking,
    TrinoRowFilterPort,
    Workspace,
    Cursor,
    ProjectStorage,
    Membership,
    WorkspaceLineage,
}

/// <summary>Marks a test as an adversarial test of one attack class; the coverage test reads these.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
public sealed class AdversarialAttribute(AttackClass attack) : Attribute
{
    public AttackClass Attack { get; } = attack;
}

/// <summary>
/// Marks a test as covering a table-reference kind, with a SELECT that produces that kind when DuckDB parses it (the
/// coverage test checks the sample really does, so a tag cannot lie).
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
public sealed class CoversTableRefAttribute(TableRefKind kind, string sample) : Attribute
{
    public TableRefKind Kind { get; } = kind;
    public string Sample { get; } = sample;
}

/// <summary>Marks a test as covering a DuckDB statement type (what the engine's parser calls the statement).</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
public sealed class CoversStatementAttribute(DuckDBStatementType type) : Attribute
{
    public DuckDBStatementType Type { get; } = type;
}
