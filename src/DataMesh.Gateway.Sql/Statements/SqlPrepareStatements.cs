using DataMesh.Gateway.Sql.Lexing;

namespace DataMesh.Gateway.Sql.Statements;

/// <summary>
/// SQL-level prepared statements, which pg_dump uses for its per-object catalog queries: <c>PREPARE name [(type, …)]
/// AS statement</c>. They share the namespace of the protocol's named statements, as in PostgreSQL; DEALLOCATE removes
/// either. The server turns the type names into OIDs (its catalog emulation knows them) and prepares <see cref="Body"/>.
/// </summary>
public sealed record SqlPrepareStatement(SqlStatement Source, string Name, IReadOnlyList<TypeNameAt> ParameterTypes, SqlStatement Body)
    : Statement(Source);

/// <summary>
/// <c>EXECUTE name [(value, …)]</c>: the arguments are constants (string and numeric literals, NULL, TRUE, FALSE) as
/// text, null for NULL, read by the parameters' input functions as a Bind in text would be.
/// </summary>
public sealed record SqlExecuteStatement(SqlStatement Source, string Name, IReadOnlyList<string?> Arguments) : Statement(Source);

/// <summary>A type name as written (<c>pg_catalog.int4</c>, <c>character varying</c>) and its 1-based position for errors.</summary>
public readonly record struct TypeNameAt(string Name, int Position);
