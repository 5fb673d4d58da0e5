namespace DataMesh.Gateway.Policy;

/// <summary>
/// A policy refusal with the SQLSTATE the client should see. The policy layer knows nothing of the wire; the server
/// turns this into an ErrorResponse. Messages never contain paths, filter text or hidden column names.
/// </summary>
public sealed class PolicyException(string sqlState, string message, string? hint = null) : Exception(message)
{
    public string SqlState { get; } = sqlState;
    public string? Hint { get; } = hint;

    /// <summary>A char offset of the planned text the refusal points at, when known.</summary>
    public int? Position { get; init; }

    public static PolicyException Refused(string message, string? hint = null) => new("42501", message, hint);
    public static PolicyException UndefinedTable(string name) => new("42P01", $"relation \"{name}\" does not exist");
}
