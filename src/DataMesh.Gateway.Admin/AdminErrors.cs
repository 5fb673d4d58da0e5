using DataMesh.Gateway.Protocol.Errors;

namespace DataMesh.Gateway.Admin;

/// <summary>The admin language's error classes, each with its SQLSTATE, in one place.</summary>
public static class AdminErrors
{
    public static PgErrorException Unknown(string kind, string name) =>
        new(SqlState.UndefinedObject, $"{kind} \"{name}\" does not exist");

    public static PgErrorException Duplicate(string kind, string name) =>
        new(SqlState.DuplicateObject, $"{kind} \"{name}\" already exists");

    public static PgErrorException WrongState(string message, string? hint = null) =>
        new(SqlState.ObjectNotInPrerequisiteState, message, hint: hint);

    public static PgErrorException Denied(string message) =>
        new(SqlState.InsufficientPrivilege, message);

    public static PgErrorException Invalid(string message, string? hint = null) =>
        new(SqlState.InvalidParameterValue, message, hint: hint);
}
