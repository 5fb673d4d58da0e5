using DataMesh.Gateway.Protocol.Errors;
using DataMesh.Gateway.Server.Sessions;

namespace DataMesh.Gateway.Server.Responses;

/// <summary>
/// How an error belongs in the query audit, noted where that is known and recorded by <see cref="ResponseWriter"/>
/// when it writes the error: a refusal of the policy at planning (the user's text only), or a failure of a statement
/// that ran. The first note stays: a refusal met while a statement runs is not also recorded as its failure.
/// </summary>
internal abstract record AuditNote
{
    private const string Key = "datamesh.audit";

    public sealed record Refusal(string UserText) : AuditNote;

    public sealed record Failure(PreparedStatement Statement, long StartedAt) : AuditNote;

    public static void Refused(PgErrorException error, string userText) => Attach(error, new Refusal(userText));

    public static void Failed(PgErrorException error, PreparedStatement statement, long startedAt) => Attach(error, new Failure(statement, startedAt));

    public static AuditNote? Of(PgErrorException error) => error.Data[Key] as AuditNote;

    private static void Attach(PgErrorException error, AuditNote note)
    {
        if (!error.Data.Contains(Key)) error.Data[Key] = note;
    }
}
