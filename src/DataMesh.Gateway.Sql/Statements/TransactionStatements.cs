using DataMesh.Gateway.Sql.Lexing;

namespace DataMesh.Gateway.Sql.Statements;

/// <summary>Transaction control: BEGIN, COMMIT, ROLLBACK and savepoints.</summary>
public abstract record TransactionStatement(SqlStatement Source) : Statement(Source);

/// <summary><c>BEGIN</c> or <c>START TRANSACTION</c> (its <see cref="Tag"/>).</summary>
public sealed record BeginStatement(SqlStatement Source, string Tag) : TransactionStatement(Source);

/// <summary><c>COMMIT</c> or <c>END</c>.</summary>
public sealed record CommitStatement(SqlStatement Source) : TransactionStatement(Source);

/// <summary><c>ROLLBACK</c> or <c>ABORT</c>.</summary>
public sealed record RollbackStatement(SqlStatement Source) : TransactionStatement(Source);

/// <summary><c>SAVEPOINT name</c>.</summary>
public sealed record SavepointStatement(SqlStatement Source, string Name) : TransactionStatement(Source);

/// <summary><c>RELEASE [SAVEPOINT] name</c>.</summary>
public sealed record ReleaseStatement(SqlStatement Source, string Name) : TransactionStatement(Source);

/// <summary><c>ROLLBACK [WORK | TRANSACTION] TO [SAVEPOINT] name</c>.</summary>
public sealed record RollbackToStatement(SqlStatement Source, string Name) : TransactionStatement(Source);
