using DataMesh.Gateway.Sql.Lexing;

namespace DataMesh.Gateway.Sql.Statements;

/// <summary>
/// <c>DECLARE name [BINARY] [ASENSITIVE | INSENSITIVE] [NO SCROLL] CURSOR [WITH | WITHOUT HOLD] FOR query</c>. The
/// query is a statement of its own, so it is governed exactly like the same SELECT sent on its own.
/// </summary>
public sealed record DeclareCursorStatement(SqlStatement Source, string Name, bool Binary, bool Hold, QueryStatement Query)
    : Statement(Source);

/// <summary><c>FETCH | MOVE [NEXT | FORWARD [n | ALL] | n | ALL] [FROM | IN] name</c>; <see cref="Count"/> 0 is ALL.</summary>
public sealed record FetchStatement(SqlStatement Source, string Name, long Count, bool Move) : Statement(Source)
{
    /// <summary>Count 0 means every remaining row.</summary>
    public const long All = 0;
}

/// <summary><c>CLOSE name</c>, or <c>CLOSE ALL</c> when <see cref="Name"/> is null.</summary>
public sealed record CloseCursorStatement(SqlStatement Source, string? Name) : Statement(Source);
