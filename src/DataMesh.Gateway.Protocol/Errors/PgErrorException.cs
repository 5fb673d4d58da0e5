namespace DataMesh.Gateway.Protocol.Errors;

/// <summary>
/// The one error type every layer throws when a client should see a PostgreSQL error.
/// Severity and SQLSTATE are decided where the error is raised; the connection handler only writes it.
/// </summary>
public sealed class PgErrorException : Exception
{
    public PgErrorException(string sqlState, string message, PgErrorSeverity severity = PgErrorSeverity.Error,
        string? detail = null, string? hint = null, int position = 0, Exception? inner = null)
        : base(message, inner)
    {
        SqlState = sqlState;
        Severity = severity;
        Detail = detail;
        Hint = hint;
        Position = position;
    }

    public string SqlState { get; }
    public PgErrorSeverity Severity { get; }
    public string? Detail { get; }
    public string? Hint { get; }

    /// <summary>1-based character position into the statement text, or 0 when unknown.</summary>
    public int Position { get; }

    public bool IsFatal => Severity == PgErrorSeverity.Fatal;

    public static PgErrorException Fatal(string sqlState, string message, string? detail = null) =>
        new(sqlState, message, PgErrorSeverity.Fatal, detail);

    /// <summary>The same error as FATAL: before a session exists (startup, authentication) there is nothing to go on with.</summary>
    public PgErrorException AsFatal() =>
        IsFatal ? this : new(SqlState, Message, PgErrorSeverity.Fatal, Detail, Hint, Position, this);

    public static PgErrorException ProtocolViolation(string message) =>
        new(Errors.SqlState.ProtocolViolation, message, PgErrorSeverity.Fatal);
}
