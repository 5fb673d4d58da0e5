using DataMesh.Gateway.Protocol.Errors;
using DuckDB.NET.Native;

namespace DataMesh.Gateway.Engine;

/// <summary>Maps DuckDB errors to PostgreSQL errors in one place. Only the first line of DuckDB's text is kept:
/// its "LINE 1: …" snippet would echo the statement the engine ran, which later may be a rewritten one.</summary>
public static class EngineErrors
{
    private const string PendingWrapper = "Attempting to execute an unsuccessful or closed pending query result";
    private const string FetchWrapper = "Invalid Input Error: Attempting to fetch from an unsuccessful query result";

    public static PgErrorException FromMessage(string? message, DuckDBErrorType? type = null)
    {
        message ??= "unknown engine error";
        // An error raised while a streaming result was being fetched comes wrapped: "Attempting to execute an
        // unsuccessful or closed pending query result\nError: <the error>". The wrapped error is the one to map.
        // json_execute_serialized_sql (constant checks) wraps its query's error the same way: "Invalid Input Error:
        // Attempting to fetch from an unsuccessful query result\nError: <the error>".
        if ((message.StartsWith(PendingWrapper, StringComparison.Ordinal) || message.StartsWith(FetchWrapper, StringComparison.Ordinal))
            && message.IndexOf("\nError: ", StringComparison.Ordinal) is var inner and > 0)
            return FromMessage(message[(inner + 8)..]);
        var firstLine = message.Split('\n', 2)[0].Trim();
        var (prefix, text) = SplitPrefix(firstLine);
        var state = type is { } t && t != DuckDBErrorType.Invalid ? FromType(t, text) : FromPrefix(prefix, text);
        if (prefix is "" or "Invalid Input" && GatewayMacroError(text) is { } own) state = own;
        return new PgErrorException(state, text);
    }

    /// <summary>
    /// The SQLSTATE of an error the gateway's own instance macros raise with <c>error()</c> (GatewayMacros,
    /// PrivilegeInquiry), recognised by the whole message: consumers cannot call <c>error()</c>, and DuckDB's own
    /// "Invalid Input" messages have other shapes.
    /// </summary>
    private static string? GatewayMacroError(string text) => text switch
    {
        GatewayMacros.TooLarge => SqlState.ProgramLimitExceeded,
        _ when Matches(text, "relation \"", "\" does not exist") => SqlState.UndefinedTable,
        _ when Matches(text, "column \"", "\" does not exist") && text.Contains("\" of relation \"", StringComparison.Ordinal) => SqlState.UndefinedColumn,
        _ when Matches(text, "schema \"", "\" does not exist") => SqlState.InvalidSchemaName,
        _ when Matches(text, "database \"", "\" does not exist") => SqlState.InvalidCatalogName,
        _ when Matches(text, "role \"", "\" does not exist") => SqlState.UndefinedObject,
        _ when Matches(text, "unrecognized privilege type: \"", "\"") => SqlState.InvalidParameterValue,
        _ => null,
    };

    private static bool Matches(string text, string start, string end) =>
        text.StartsWith(start, StringComparison.Ordinal) && text.EndsWith(end, StringComparison.Ordinal) && text.Length >= start.Length + end.Length;

    private static (string Prefix, string Text) SplitPrefix(string line)
    {
        var colon = line.IndexOf(" Error: ", StringComparison.Ordinal);
        return colon > 0 && colon < 40 ? (line[..colon], line[(colon + 8)..]) : ("", line);
    }

    /// <summary>
    /// An error json_serialize_plan reports inside its document rather than throwing: its "error_type" is DuckDB's
    /// exception type in lower case ("invalid input", "binder"), mapped as the thrown error's prefix would be.
    /// </summary>
    public static PgErrorException FromSerializedError(string type, string message)
    {
        var prefix = SerializedPrefixes.FirstOrDefault(p => string.Equals(p, type, StringComparison.OrdinalIgnoreCase)) ?? type;
        return FromMessage(prefix + " Error: " + message);
    }

    private static readonly string[] SerializedPrefixes =
    [
        "Parser", "Catalog", "Binder", "Conversion", "Out of Range", "Invalid Input", "Not implemented", "Interrupt",
        "Out of Memory", "Permission", "IO", "Invalid Configuration", "Settings", "Transaction",
    ];

    private static string FromPrefix(string prefix, string text) => prefix switch
    {
        "Parser" => SqlState.SyntaxError,
        "Catalog" => CatalogState(text),
        "Binder" => BinderState(text),
        "Conversion" => SqlState.InvalidTextRepresentation,
        "Out of Range" => SqlState.NumericValueOutOfRange,
        "Invalid Input" => SqlState.InvalidParameterValue,
        "Not implemented" => SqlState.FeatureNotSupported,
        "INTERRUPT" or "Interrupt" => SqlState.QueryCanceled,
        "Out of Memory" => SqlState.OutOfMemory,
        "Permission" => SqlState.InsufficientPrivilege,
        "IO" => SqlState.IoError,
        "Invalid Configuration" or "Settings" => SqlState.InsufficientPrivilege,
        "Transaction" => SqlState.InFailedSqlTransaction,
        _ => SqlState.InternalError,
    };

    private static string FromType(DuckDBErrorType type, string text) => type switch
    {
        DuckDBErrorType.Parser or DuckDBErrorType.Syntax => SqlState.SyntaxError,
        DuckDBErrorType.Catalog => CatalogState(text),
        DuckDBErrorType.Binder => BinderState(text),
        DuckDBErrorType.Conversion => SqlState.InvalidTextRepresentation,
        DuckDBErrorType.OutOfRange or DuckDBErrorType.Decimal => SqlState.NumericValueOutOfRange,
        DuckDBErrorType.DivideByZero => SqlState.DivisionByZero,
        DuckDBErrorType.InvalidInput => SqlState.InvalidParameterValue,
        DuckDBErrorType.NotImplemented => SqlState.FeatureNotSupported,
        DuckDBErrorType.Interrupt => SqlState.QueryCanceled,
        DuckDBErrorType.OutOfMemory => SqlState.OutOfMemory,
        DuckDBErrorType.Permission or DuckDBErrorType.Settings => SqlState.InsufficientPrivilege,
        DuckDBErrorType.Io => SqlState.IoError,
        DuckDBErrorType.MismatchType => SqlState.DatatypeMismatch,
        DuckDBErrorType.ParameterNotResolved => SqlState.IndeterminateDatatype,
        _ => SqlState.InternalError,
    };

    private static string CatalogState(string text) =>
        text.Contains("Function", StringComparison.OrdinalIgnoreCase) || text.Contains("Macro", StringComparison.OrdinalIgnoreCase)
            ? SqlState.UndefinedFunction
            : text.Contains("Schema", StringComparison.OrdinalIgnoreCase) && !text.Contains("Table", StringComparison.OrdinalIgnoreCase)
                ? SqlState.UndefinedObject
                : SqlState.UndefinedTable;

    private static string BinderState(string text) =>
        text.StartsWith("Referenced table", StringComparison.Ordinal) ? SqlState.UndefinedTable
        : text.Contains("column", StringComparison.OrdinalIgnoreCase) ? SqlState.UndefinedColumn
        : text.Contains("function", StringComparison.OrdinalIgnoreCase) ? SqlState.UndefinedFunction
        : SqlState.SyntaxError;
}
