using DataMesh.Gateway.Protocol.Types.Input;

namespace DataMesh.Gateway.Protocol.Types;

/// <summary>
/// The session settings PostgreSQL's input functions read: DateStyle's field order for ambiguous dates, IntervalStyle
/// (sql_standard reads a leading minus as applying to every field), and the clock behind 'now' and 'today'.
/// </summary>
public sealed record ParameterInput(DateOrder DateOrder = DateOrder.MDY, bool SqlStandardIntervals = false, TimeProvider? Clock = null)
{
    public static readonly ParameterInput Default = new();
}
