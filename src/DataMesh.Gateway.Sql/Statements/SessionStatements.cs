using DataMesh.Gateway.Sql.Lexing;

namespace DataMesh.Gateway.Sql.Statements;

/// <summary>
/// SET, SHOW, RESET, DISCARD, DEALLOCATE, LISTEN, UNLISTEN, NOTIFY, LOCK and a lone set_config call: statements the gateway answers from
/// its own session state. They never reach the engine, so no client changes engine settings through them.
/// </summary>
public abstract record SessionStatement(SqlStatement Source) : Statement(Source);

/// <summary>
/// <c>SET [SESSION | LOCAL] name {TO | =} value [, …]</c>: the values as PostgreSQL's grammar reads them
/// (<see cref="Arguments"/>), or for <c>SET TIME ZONE INTERVAL '…' [qualifier]</c> the interval's input text
/// (<see cref="IntervalZone"/>); <see cref="ToDefault"/> for <c>… TO DEFAULT</c> and <c>SET TIME ZONE LOCAL</c>.
/// </summary>
public sealed record SetStatement(SqlStatement Source, string Name, IReadOnlyList<SetArgument> Arguments, string? IntervalZone, bool ToDefault, bool Local)
    : SessionStatement(Source);

/// <summary>How one argument of SET was written: a string (a literal, an identifier or a keyword) or a number.</summary>
public enum SetArgumentKind
{
    String,
    Number,
}

/// <summary>One argument of <c>SET name TO a, b, …</c>; unquoted identifiers arrive folded to lower case.</summary>
public readonly record struct SetArgument(string Value, SetArgumentKind Kind);

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

/// <summary><c>LISTEN channel</c> on one of the gateway's own notification channels.</summary>
public sealed record ListenStatement(SqlStatement Source, string Channel) : SessionStatement(Source);

/// <summary><c>UNLISTEN channel</c>, or <c>UNLISTEN *</c> when <see cref="Channel"/> is null.</summary>
public sealed record UnlistenStatement(SqlStatement Source, string? Channel) : SessionStatement(Source);

/// <summary><c>NOTIFY channel [, 'payload']</c>: read so that it is refused for what it is (the gateway notifies, clients cannot).</summary>
public sealed record NotifyStatement(SqlStatement Source, string Channel, string? Payload) : SessionStatement(Source);

/// <summary>
/// <c>LOCK [TABLE] [ONLY] name [*] [, …] [IN mode MODE] [NOWAIT]</c>, which pg_dump sends inside its transaction:
/// answered from the tables the session can see. <see cref="Mode"/> is PostgreSQL's name for it (ACCESS EXCLUSIVE
/// when none is given).
/// </summary>
public sealed record LockTableStatement(SqlStatement Source, IReadOnlyList<LockTarget> Tables, string Mode, bool NoWait) : SessionStatement(Source);

/// <summary>One table of LOCK: its schema ("" when unqualified), its name (folded), and the name as written for errors.</summary>
public readonly record struct LockTarget(string Schema, string Name, string Written);

/// <summary>
/// Statements accepted with nothing to do, answered by their tag: <c>SET TRANSACTION …</c>, <c>SET SESSION
/// CHARACTERISTICS …</c>, <c>SET SESSION AUTHORIZATION DEFAULT</c>, <c>RESET SESSION AUTHORIZATION</c>,
/// <c>DISCARD PLANS | SEQUENCES | TEMP</c>.
/// </summary>
public sealed record AcceptedStatement(SqlStatement Source, string Tag) : SessionStatement(Source);
