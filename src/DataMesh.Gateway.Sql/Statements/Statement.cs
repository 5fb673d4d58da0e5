using DataMesh.Gateway.Sql.Admin;
using DataMesh.Gateway.Sql.Lexing;

namespace DataMesh.Gateway.Sql.Statements;

/// <summary>
/// One statement as the gateway reads it, classified once by <see cref="StatementParser"/>: a closed hierarchy, one
/// record per kind of statement, each holding what its handler needs. <see cref="Source"/> is the lexed text.
/// </summary>
public abstract record Statement(SqlStatement Source);

/// <summary>An empty query string (only comments or whitespace): EmptyQueryResponse.</summary>
public sealed record EmptyStatement(SqlStatement Source) : Statement(Source);

/// <summary>
/// A query for the engine: SELECT, WITH, VALUES, TABLE, FROM, DESCRIBE, SUMMARIZE, PIVOT, …, and any text whose
/// leading word the gateway does not know (the engine's parser answers it: <c>SELEC 1</c> is its syntax error).
/// <see cref="GatewayText"/> is set when the gateway runs a text of its own instead (SHOW TABLES).
/// </summary>
public sealed record QueryStatement(SqlStatement Source, string? GatewayText = null) : Statement(Source);

/// <summary><c>COPY (query) TO STDOUT …</c> or <c>COPY name [(columns)] TO STDOUT …</c>: <see cref="Query"/> is the query to run.</summary>
public sealed record CopyOutStatement(SqlStatement Source, string Query, CopyOptions Options) : Statement(Source)
{
    public bool Csv => Options.Format == CopyFormat.Csv;

    public bool Binary => Options.Format == CopyFormat.Binary;

    public bool Parquet => Options.Format == CopyFormat.Parquet;
}

/// <summary>A data-mesh admin command (CREATE PROJECT, APPROVE SUBSCRIPTION, …).</summary>
public sealed record AdminCommandStatement(SqlStatement Source, AdminStatement Command) : Statement(Source);

/// <summary>
/// A write to the project's workspace: <see cref="Verb"/> CREATE, INSERT or DROP; the engine statement is
/// <see cref="Prefix"/> followed by the governed rewrite of <see cref="Query"/> (none for DROP).
/// <see cref="IfNotExists"/>: <c>CREATE TABLE IF NOT EXISTS</c>, which may leave an older table in place.
/// </summary>
public sealed record WorkspaceWriteStatement(SqlStatement Source, string Verb, string Prefix, string? Query, string Table, bool IfNotExists = false)
    : Statement(Source);

/// <summary>
/// A gateway-answered statement (session or transaction control) that cannot be read. The gateway answers these
/// statements from session state when they run, so this one fails when it runs, with <see cref="Error"/>.
/// </summary>
public sealed record RejectedStatement(SqlStatement Source, StatementException Error) : Statement(Source);
