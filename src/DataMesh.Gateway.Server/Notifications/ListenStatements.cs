using DataMesh.Gateway.Admin;
using DataMesh.Gateway.Protocol.Errors;
using DataMesh.Gateway.Server.Responses;
using DataMesh.Gateway.Server.Sessions;
using DataMesh.Gateway.Sql.Statements;

namespace DataMesh.Gateway.Server.Notifications;

/// <summary>
/// LISTEN, UNLISTEN and NOTIFY (read by <see cref="StatementParser"/>): the gateway's two channels
/// (<see cref="EventAudience"/>) are the only ones; clients cannot NOTIFY (the gateway notifies, from the catalog's
/// events). LISTEN takes effect at once, also inside a transaction block; notifications are sent between blocks.
/// </summary>
internal static class ListenStatements
{
    public static CommandResult Execute(Session session, SessionStatement statement)
    {
        switch (statement)
        {
            case NotifyStatement:
                throw new PgErrorException(SqlState.FeatureNotSupported, "NOTIFY is not available through the gateway",
                    hint: "the gateway notifies its channels itself: LISTEN datamesh_subscriptions or datamesh_requests");
            case UnlistenStatement unlisten:
                session.Inbox?.Unlisten(unlisten.Channel);
                return new CommandResult("UNLISTEN");
            case ListenStatement { Channel: var channel }:
                if (!EventAudience.Channels.Contains(channel))
                    throw new PgErrorException(SqlState.FeatureNotSupported, $"channel \"{channel}\" is not one of the gateway's",
                        hint: $"LISTEN {EventAudience.Subscriptions} (your projects' subscriptions) or {EventAudience.Requests} (requests to the projects you own)");
                var inbox = session.Inbox ?? throw new PgErrorException(SqlState.FeatureNotSupported, "LISTEN needs a client connection");
                inbox.Listen(channel);
                return new CommandResult("LISTEN");
            default:
                throw new PgErrorException(SqlState.InternalError, "not a LISTEN, UNLISTEN or NOTIFY statement");
        }
    }
}
