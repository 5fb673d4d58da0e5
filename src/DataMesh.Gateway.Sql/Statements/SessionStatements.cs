using DataMesh.Gateway.Sql.Lexing;

namespace DataMesh.Gateway.Sql.Statements;

/// <summary>
/// SET, SHOW, RESET, DISCARD, DEALLOCATE, LISTEN, UNLISTEN, NOTIFY, LOCK and a lone set_config call: statements the gateway answers from
/// its own session state. They never reach the engine, so no client changes engine settings through them.
/// </summary>
public abstract record SessionStatement(SqlStatement Source) : Statement(Source);

/// <summary>
/// <c>SET [SESSION | LOCAL] name {TO | =} value [, …]</c>: the value's tokens start at <see cref="ValueStart"/> (the
/// server reads them as PostgreSQL's grammar does, with SET TIME ZONE's own forms); <see cref="ToDefault"/> for
/// <c>… TO DEFAULT</c> and <c>SET TIME ZONE LOCAL</c>.
/// </summary>
public sealed record SetStatement(SqlStatement Source, string Name, int ValueStart, bool ToDefault, bool Local) : SessionStatement(Source);

/// <summary>
/// <c>SELECT [pg_catalog.]set_config('name', 'value', is_local) [AS alias]</c> on its own, the form pg_dump, ORMs and
/// connection pools send: <c>SET [LOCAL]</c> that answers with the new value in column <see cref="ColumnName"/>.
/// </summary>
/// <param name="OnlyIfListed">The pg_settings form (<c>… FROM pg_settings WHERE name = 'x'</c>, which pg_dump and pgAdmin
/// send so that an unknown name gives no row instead of an error): set only when pg_settings lists the parameter.</param>
public sealed record SetConfigStatement(SqlStatement Source, string Name, string Value, bool IsLocal, string ColumnName, bool OnlyIfListed = false)
    : SessionStatement(Source);

/// <summary><c>SHOW name</c> (also <c>SHOW TIME ZONE</c>, <c>SHOW TRANSACTION ISOLATION LEVEL</c>).</summary>
public sealed record ShowStatement(SqlStatement Source, string Name) : SessionStatement(Source);

/// <summary><c>RESET name</c>, or <c>RESET ALL</c> when <see cref="Name"/> is null.</summary>
public sealed record ResetStatement(SqlStatement Source, string? Name) : SessionStatement(Source);

/// <summary><c>DISCARD ALL</c>: settings, portals and prepared statements.</summary>
public sealed record DiscardAllStatement(SqlStatement Source) : SessionStatement(Source);

/// <summary><c>DEALLOCATE [PREPARE] name</c>, or <c>DEALLOCATE ALL</c> when <see cref="Name"/> is null.</summary>
public sealed record DeallocateStatement(SqlStatement Source, string? Name) : SessionStatement(Source);

/// <summary><c>LISTEN channel</c>, <c>UNLISTEN channel | *</c>, <c>NOTIFY …</c>: the gateway's own notification channels.</summary>
public sealed record ListenStatement(SqlStatement Source) : SessionStatement(Source);

/// <summary>
/// <c>LOCK [TABLE] name [, …] [IN mode MODE] [NOWAIT]</c>, which pg_dump sends inside its transaction: answered from
/// the tables the session can see.
/// </summary>
public sealed record LockTableStatement(SqlStatement Source) : SessionStatement(Source);

/// <summary>
/// Statements accepted with nothing to do, answered by their tag: <c>SET TRANSACTION …</c>, <c>SET SESSION
/// CHARACTERISTICS …</c>, <c>SET SESSION AUTHORIZATION DEFAULT</c>, <c>RESET SESSION AUTHORIZATION</c>,
/// <c>DISCARD PLANS | SEQUENCES | TEMP</c>.
/// </summary>
public sealed record AcceptedStatement(SqlStatement Source, string Tag) : SessionStatement(Source);

/// <summary>
/// SQL-level prepared statements, which pg_dump uses for its per-object catalog queries: <c>PREPARE name [(type, …)]
/// AS statement</c> and <c>EXECUTE name [(value, …)]</c>. They share the namespace of the protocol's named statements,
/// as in PostgreSQL; DEALLOCATE removes either. The server reads them (type names need its catalog emulation).
/// </summary>
public sealed record SqlPrepareStatement(SqlStatement Source) : Statement(Source);

/// <inheritdoc cref="SqlPrepareStatement"/>
public sealed record SqlExecuteStatement(SqlStatement Source) : Statement(Source);
