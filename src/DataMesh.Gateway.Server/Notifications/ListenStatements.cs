using DataMesh.Gateway.Admin;
using DataMesh.Gateway.Protocol.Errors;
using DataMesh.Gateway.Server.Responses;
using DataMesh.Gateway.Server.Sessions;
using DataMesh.Gateway.Sql.Lexing;

namespace DataMesh.Gateway.Server.Notifications;

/// <summary>
/// LISTEN channel, UNLISTEN channel | *, NOTIFY: the gateway's two channels (<see cref="EventAudience"/>) are the only
/// ones; clients cannot NOTIFY (the gateway notifies, from the catalog's events). LISTEN takes effect at once, also
/// inside a transaction block; notifications are sent between blocks.
/// </summary>
internal static class ListenStatements
{
    public static CommandResult Execute(Session session, SqlStatement statement)
    {
        var t = statement.Tokens.Where(x => x.Kind != SqlTokenKind.Semicolon).ToList();
        var verb = t[0].Value.ToUpperInvariant();
        if (verb == "NOTIFY")
            throw new PgErrorException(SqlState.FeatureNotSupported, "NOTIFY is not available through the gateway",
                hint: "the gateway notifies its channels itself: LISTEN datamesh_subscriptions or datamesh_requests");
        if (verb == "UNLISTEN" && t.Count == 2 && t[1].Text == "*")
        {
            session.Inbox?.Unlisten(null);
            return new CommandResult("UNLISTEN");
        }
        if (t.Count != 2 || t[1].Kind is not (SqlTokenKind.Word or SqlTokenKind.QuotedIdentifier))
            throw new PgErrorException(SqlState.SyntaxError, $"syntax error at or near \"{(t.Count > 2 ? t[2].Text : verb)}\"",
                position: (t.Count > 2 ? t[2].Offset - t[0].Offset : 0) + 1);
        var channel = t[1].Kind == SqlTokenKind.Word ? t[1].Value.ToLowerInvariant() : t[1].Value;
        if (verb == "UNLISTEN")
        {
            session.Inbox?.Unlisten(channel);
            return new CommandResult("UNLISTEN");
        }
        if (!EventAudience.Channels.Contains(channel))
            throw new PgErrorException(SqlState.FeatureNotSupported, $"channel \"{channel}\" is not one of the gateway's",
                hint: $"LISTEN {EventAudience.Subscriptions} (your projects' subscriptions) or {EventAudience.Requests} (requests to the projects you own)");
        var inbox = session.Inbox ?? throw new PgErrorException(SqlState.FeatureNotSupported, "LISTEN needs a client connection");
        inbox.Listen(channel);
        return new CommandResult("LISTEN");
    }
}
