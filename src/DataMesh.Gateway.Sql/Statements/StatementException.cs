namespace DataMesh.Gateway.Sql.Statements;

/// <summary>
/// A statement the gateway's grammar refuses, with PostgreSQL's SQLSTATE for it. The Sql layer knows no wire
/// protocol: the server turns this into an ErrorResponse.
/// </summary>
public sealed class StatementException(string sqlState, string message) : Exception(message)
{
    public string SqlState { get; } = sqlState;

    internal const string SyntaxError = "42601";
    internal const string FeatureNotSupported = "0A000";
    internal const string InsufficientPrivilege = "42501";
    internal const string ObjectNotInPrerequisiteState = "55000";
    internal const string InvalidParameterValue = "22023";

    internal static StatementException Syntax(string near) => new(SyntaxError, $"syntax error at or near \"{near}\"");

    internal static StatementException NotSupported(string message) => new(FeatureNotSupported, message);

    internal static StatementException Refused(string message) => new(InsufficientPrivilege, message);
}
