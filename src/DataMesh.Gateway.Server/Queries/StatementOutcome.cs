using DataMesh.Gateway.Protocol.Messages.Backend;

namespace DataMesh.Gateway.Server.Queries;

/// <summary>What a gateway-answered statement produced: its tag and, for SHOW, one text row.</summary>
public sealed record StatementOutcome(string Tag, string? ResultColumn = null, string? ResultValue = null)
{
    public bool HasRow => ResultColumn is not null;

    /// <summary>ParameterStatus messages to send after this statement (reportable parameters that changed).</summary>
    public List<string> ChangedParameters { get; } = [];

    public List<(Protocol.Errors.PgErrorSeverity Severity, string SqlState, string Message)> Notices { get; } = [];

    public FieldDescription RowField => new(ResultColumn!, Protocol.Types.PgTypes.Text, -1, -1);
}
