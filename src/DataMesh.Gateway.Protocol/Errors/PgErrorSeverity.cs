namespace DataMesh.Gateway.Protocol.Errors;

/// <summary>Severity of an ErrorResponse or NoticeResponse. FATAL closes the connection; ERROR recovers.</summary>
public enum PgErrorSeverity
{
    Error,
    Fatal,
    Warning,
    Notice,
}
