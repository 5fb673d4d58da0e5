using System.Buffers;
using System.Buffers.Binary;
using DataMesh.Gateway.Authentication;
using DataMesh.Gateway.Protocol.Errors;
using DataMesh.Gateway.Protocol.Framing;
using DataMesh.Gateway.Protocol.Messages.Frontend;
using DataMesh.Gateway.Protocol.Types;

namespace DataMesh.Gateway.Fuzz.Targets;

/// <summary>
/// The wire decoder, fed one connection's bytes as the server reads them: startup-phase packets (SSLRequest,
/// CancelRequest, StartupMessage) until a StartupMessage, then typed frontend messages cut by the framer and decoded
/// by their own parsers, Bind parameters decoded by the types their Parse declared, and the SCRAM exchange fed from
/// the 'p' messages. Documented failures: <see cref="PgErrorException"/> (a FATAL one ends the connection, as in the
/// server) and the SCRAM exchange's own two exception types. Anything else is a crash.
/// </summary>
public sealed class ProtocolTarget : IFuzzTarget
{
    // Small, so that length-limit checks are reached by short inputs; the server's default is 16 MB.
    public const int MaxMessageBytes = 64 * 1024;

    // A cheap verifier (few iterations): the target exercises message parsing, not PBKDF2.
    private static readonly ScramVerifier Verifier = ScramVerifier.Create("fuzz-password", 16);

    public void Run(ReadOnlySpan<byte> input)
    {
        var buffer = new ReadOnlySequence<byte>(input.ToArray());
        try
        {
            if (!ReadStartup(ref buffer)) return;
            ReadMessages(buffer);
        }
        catch (PgErrorException e) when (e.IsFatal)
        {
            // The server writes the error and closes the connection.
        }
    }

    /// <summary>Startup-phase packets up to the StartupMessage; false when the input ends (or cancels) before it.</summary>
    private static bool ReadStartup(ref ReadOnlySequence<byte> buffer)
    {
        // The server accepts one SSLRequest and one GSSENCRequest before the StartupMessage; a few more are harmless here.
        Span<byte> header = stackalloc byte[4];
        for (var packets = 0; packets < 4; packets++)
        {
            if (buffer.Length < 4) return false;
            buffer.Slice(0, 4).CopyTo(header);
            var length = MessageFramer.ValidateStartupLength(BinaryPrimitives.ReadInt32BigEndian(header));
            if (buffer.Length < length) return false;
            var packet = StartupPacket.Parse(buffer.Slice(4, length - 4));
            buffer = buffer.Slice(length);
            switch (packet.Kind)
            {
                case StartupPacketKind.Startup:
                    // (A non-FATAL PgErrorException from Parse escapes Run: nothing in the startup phase answers it.)
                    if (packet.MajorVersion != 3) throw new FuzzInvariantException($"startup accepted protocol {packet.MajorVersion}");
                    return true;
                case StartupPacketKind.CancelRequest:
                    return false;
            }
        }
        return false;
    }

    private static void ReadMessages(ReadOnlySequence<byte> buffer)
    {
        var statements = new Dictionary<string, int[]>(StringComparer.Ordinal);
        var sasl = new SaslState();
        while (MessageFramer.TryRead(ref buffer, MaxMessageBytes, out var type, out var payload))
        {
            if (payload.Length > MaxMessageBytes) throw new FuzzInvariantException($"framer returned a payload of {payload.Length} bytes");
            try
            {
                switch (type)
                {
                    case FrontendMessageType.Query:
                        QueryMessage.Parse(payload);
                        break;
                    case FrontendMessageType.Parse:
                        var parse = ParseMessage.Parse(payload);
                        statements[parse.StatementName] = parse.ParameterTypeOids;
                        break;
                    case FrontendMessageType.Bind:
                        Bind(BindMessage.Parse(payload), statements);
                        break;
                    case FrontendMessageType.Describe or FrontendMessageType.Close:
                        TargetedMessage.Parse(payload);
                        break;
                    case FrontendMessageType.Execute:
                        ExecuteMessage.Parse(payload);
                        break;
                    case FrontendMessageType.Password:
                        Password(payload, sasl);
                        break;
                    case FrontendMessageType.Terminate:
                        return;
                }
            }
            catch (PgErrorException e) when (!e.IsFatal)
            {
                // An ERROR: the server reports it and reads on (skipping to Sync in the extended protocol).
            }
        }
    }

    /// <summary>Decodes every value as the server does at Bind: by the OID its prepared statement declared.</summary>
    private static void Bind(BindMessage bind, Dictionary<string, int[]> statements)
    {
        var oids = statements.GetValueOrDefault(bind.StatementName) ?? [];
        for (var i = 0; i < bind.ParameterValues.Length; i++)
        {
            var oid = i < oids.Length ? oids[i] : PgTypes.Unspecified;
            try
            {
                ParameterDecoder.Decode(oid, bind.ParameterFormat(i), bind.ParameterValues[i]);
            }
            catch (PgErrorException e) when (!e.IsFatal)
            {
                // A bad value is an ERROR for this Bind; the next value still gets decoded, for coverage.
            }
        }
    }

    /// <summary>The 'p' message is a password, a SASLInitialResponse or a SASLResponse depending on the phase:
    /// here the first is read as a cleartext password, the second starts SCRAM and the third finishes it.</summary>
    private static void Password(ReadOnlySequence<byte> payload, SaslState sasl)
    {
        var step = sasl.Step++;
        try
        {
            switch (step)
            {
                case 0:
                    PasswordMessage.Parse(payload);
                    break;
                case 1:
                    var initial = SaslInitialResponse.Parse(payload);
                    sasl.Exchange.HandleClientFirst(initial.Mechanism, initial.Data);
                    sasl.FirstAccepted = true;
                    break;
                case 2 when sasl.FirstAccepted: // the server ends authentication when the first message fails
                    sasl.Exchange.HandleClientFinal(payload.ToArray());
                    break;
            }
        }
        // The exchange's documented failures, each turned into a FATAL error by the server's Authenticator
        // (FormatException is its malformed-base64 case).
        catch (AuthenticationProtocolException)
        {
        }
        catch (AuthenticationFailedException)
        {
        }
        catch (FormatException)
        {
        }
        catch (PgErrorException e) when (!e.IsFatal)
        {
            // Before a session exists nothing answers a plain ERROR: the server would drop the connection unanswered.
            throw new FuzzInvariantException($"authentication-phase error {e.SqlState} is not FATAL: {e.Message}");
        }
    }

    private sealed class SaslState
    {
        public ScramServerExchange Exchange { get; } = new(Verifier, channelBindingHash: null);
        public int Step { get; set; }
        public bool FirstAccepted { get; set; }
    }

    public void Dispose()
    {
    }
}
