using DataMesh.Gateway.Protocol.Errors;
using DataMesh.Gateway.Protocol.Types;
using DataMesh.Gateway.Protocol.Types.Input;

namespace DataMesh.Gateway.Server.Sessions;

/// <summary>The settings that change what the gateway itself writes or reads, typed for the code that applies them.</summary>
public sealed partial class SessionParameters
{
    /// <summary>How text parameters are read: DateStyle's field order, IntervalStyle sql_standard's sign rule.</summary>
    public ParameterInput Input => new(
        _values["DateStyle"].EndsWith("DMY", StringComparison.Ordinal) ? DateOrder.DMY
            : _values["DateStyle"].EndsWith("YMD", StringComparison.Ordinal) ? DateOrder.YMD : DateOrder.MDY,
        _values["IntervalStyle"] == "sql_standard");

    /// <summary>
    /// Whether a notice of this severity reaches the client under client_min_messages (PostgreSQL's order: debug5 …
    /// debug1, log, notice, warning, error; info is always sent).
    /// </summary>
    public bool SendsNotice(PgErrorSeverity severity)
    {
        var minimum = _values["client_min_messages"] switch
        {
            "error" => 3,
            "warning" => 2,
            _ => 1,
        };
        var level = severity switch
        {
            PgErrorSeverity.Notice => 1,
            PgErrorSeverity.Warning => 2,
            _ => 3,
        };
        return level >= minimum;
    }
}
