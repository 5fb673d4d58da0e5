using DataMesh.Gateway.Sql.Lexing;

namespace DataMesh.Gateway.Sql.Statements;

/// <summary>
/// SET, SHOW, RESET, DISCARD, DEALLOCATE, UNLISTEN and a lone set_config call: statements the gateway answers from
/// its own session state. They never reach the engine, so no client changes engine settings through them.
/// </summary>
public abstract record SessionStatement(SqlStatement Source) : Statement(Source);

/// <summary><c>SET [SESSION | LOCAL] name {TO | =} value [, …]</c>; <see cref="IsDefault"/> for <c>… TO DEFAULT</c>.</summary>
public sealed record SetStatement(SqlStatement Source, string Name, string Value, bool IsDefault, bool Local) : SessionStatement(Source);

/// <summary>
/// <c>SELECT [pg_catalog.]set_config('name', 'value', is_local) [AS alias]</c> on its own, the form pg_dump, ORMs and
/// connection pools send: <c>SET [LOCAL]</c> that answers with the new value in column <see cref="ColumnName"/>.
/// </summary>
public sealed record SetConfigStatement(SqlStatement Source, string Name, string Value, bool IsLocal, string ColumnName)
    : SessionStatement(Source);

/// <summary><c>SHOW name</c> (also <c>SHOW TIME ZONE</c>, <c>SHOW TRANSACTION ISOLATION LEVEL</c>).</summary>
public sealed record ShowStatement(SqlStatement Source, string Name) : SessionStatement(Source);

/// <summary><c>RESET name</c>, or <c>RESET ALL</c> when <see cref="Name"/> is null.</summary>
public sealed record ResetStatement(SqlStatement Source, string? Name) : SessionStatement(Source);

/// <summary><c>DISCARD ALL</c>: settings, portals and prepared statements.</summary>
public sealed record DiscardAllStatement(SqlStatement Source) : SessionStatement(Source);

/// <summary><c>DEALLOCATE [PREPARE] name</c>, or <c>DEALLOCATE ALL</c> when <see cref="Name"/> is null.</summary>
public sealed record DeallocateStatement(SqlStatement Source, string? Name) : SessionStatement(Source);

/// <summary>
/// Statements accepted with nothing to do, answered by their tag: <c>SET TRANSACTION …</c>, <c>SET SESSION
/// CHARACTERISTICS …</c>, <c>SET SESSION AUTHORIZATION DEFAULT</c>, <c>RESET SESSION AUTHORIZATION</c>,
/// <c>DISCARD PLANS | SEQUENCES | TEMP</c>, <c>UNLISTEN</c> (a gateway session never listens).
/// </summary>
public sealed record AcceptedStatement(SqlStatement Source, string Tag) : SessionStatement(Source);
