namespace DataMesh.Gateway.Protocol.Errors;

/// <summary>SQLSTATE codes the gateway sends, grouped by class as in PostgreSQL's errcodes.txt.</summary>
public static class SqlState
{
    // Class 00 / 01: success and warnings
    public const string SuccessfulCompletion = "00000";
    public const string Warning = "01000";
    public const string ActiveSqlTransaction = "25001";
    public const string NoActiveSqlTransaction = "25P01";

    // Class 08: connection exceptions
    public const string ProtocolViolation = "08P01";
    public const string ConnectionFailure = "08006";

    // Class 0A: feature not supported
    public const string FeatureNotSupported = "0A000";

    // Class 22: data exceptions
    public const string DataException = "22000";
    public const string InvalidParameterValue = "22023";
    public const string InvalidTextRepresentation = "22P02";
    public const string InvalidBinaryRepresentation = "22P03";
    public const string NumericValueOutOfRange = "22003";
    public const string DivisionByZero = "22012";
    public const string InvalidDatetimeFormat = "22007";
    public const string DatetimeFieldOverflow = "22008";
    public const string InvalidTimeZoneDisplacementValue = "22009";
    public const string IntervalFieldOverflow = "22015";
    public const string CharacterNotInRepertoire = "22021";

    // Class 23: integrity constraint violations (a metadata form's required or typed field at PUBLISH)
    public const string NotNullViolation = "23502";
    public const string CheckViolation = "23514";

    // Class 2B: dependent objects still exist (DROP without CASCADE)
    public const string DependentObjectsStillExist = "2BP01";

    // Class 40: transaction rollback (a block's admin change that no longer holds at COMMIT)
    public const string SerializationFailure = "40001";

    // Class 25 / 26 / 28 / 34
    public const string InFailedSqlTransaction = "25P02";
    public const string InvalidSqlStatementName = "26000";
    public const string InvalidAuthorizationSpecification = "28000";
    public const string InvalidPassword = "28P01";
    public const string InvalidCursorName = "34000";

    // Class 3B: savepoint exception
    public const string InvalidSavepointSpecification = "3B001";

    // Class 3D: invalid catalog name (unknown database)
    public const string InvalidCatalogName = "3D000";
    public const string InvalidSchemaName = "3F000";

    // Class 42: syntax error or access rule violation
    public const string SyntaxError = "42601";
    public const string InsufficientPrivilege = "42501";
    public const string ObjectInUse = "55006";
    public const string UndefinedColumn = "42703";
    public const string UndefinedFunction = "42883";
    public const string UndefinedTable = "42P01";
    public const string UndefinedObject = "42704";
    public const string DuplicateObject = "42710";
    public const string DuplicatePreparedStatement = "42P05";
    public const string DuplicateCursor = "42P03";
    public const string DatatypeMismatch = "42804";
    public const string UndefinedParameter = "42P02";
    public const string IndeterminateDatatype = "42P18";
    public const string InvalidColumnReference = "42P10";

    // Class 53: insufficient resources
    public const string InsufficientResources = "53000";
    public const string DiskFull = "53100";
    public const string OutOfMemory = "53200";
    public const string TooManyConnections = "53300";
    public const string ProgramLimitExceeded = "54000";
    public const string StatementTooComplex = "54001";

    // Class 55 / 57: object state and operator intervention
    public const string ObjectNotInPrerequisiteState = "55000";
    public const string CantChangeRuntimeParam = "55P02";
    public const string LockNotAvailable = "55P03";
    public const string QueryCanceled = "57014";
    public const string AdminShutdown = "57P01";
    public const string IdleSessionTimeout = "57P05";

    // Class 58 / XX: system and internal errors
    public const string IoError = "58030";

    // Class F0: configuration file error (a storage key or credentials file the gateway cannot use)
    public const string ConfigFileError = "F0000";
    public const string InternalError = "XX000";
    public const string DataCorrupted = "XX001";
}
