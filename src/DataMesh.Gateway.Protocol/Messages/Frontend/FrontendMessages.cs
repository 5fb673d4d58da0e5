using System.Buffers;
using DataMesh.Gateway.Protocol.Errors;
using DataMesh.Gateway.Protocol.Framing;

namespace DataMesh.Gateway.Protocol.Messages.Frontend;

/// <summary>Wire format code of a parameter or result column.</summary>
public enum FormatCode : short
{
    Text = 0,
    Binary = 1,
}

public sealed record QueryMessage(string Sql)
{
    public static QueryMessage Parse(ReadOnlySequence<byte> payload)
    {
        var r = new PayloadReader(payload);
        var sql = r.ReadCString();
        r.EnsureEnd();
        return new QueryMessage(sql);
    }
}

public sealed record ParseMessage(string StatementName, string Sql, int[] ParameterTypeOids)
{
    /// <summary>
    /// The most parameters a statement can have: ParameterDescription and Bind carry a 16-bit count, so a statement
    /// referring to $65536 or beyond could never be bound (PostgreSQL 15 accepts such a Parse and then describes it
    /// with a wrapped count; the gateway refuses it at Parse).
    /// </summary>
    public const int MaxParameters = ushort.MaxValue;

    public static ParseMessage Parse(ReadOnlySequence<byte> payload)
    {
        var r = new PayloadReader(payload);
        var name = r.ReadCString();
        var sql = r.ReadCString();
        var count = r.ReadCount16();
        var oids = new int[count];
        for (var i = 0; i < count; i++) oids[i] = r.ReadInt32();
        r.EnsureEnd();
        return new ParseMessage(name, sql, oids);
    }
}

public sealed record BindMessage(string PortalName, string StatementName, FormatCode[] ParameterFormats,
    byte[]?[] ParameterValues, FormatCode[] ResultFormats)
{
    public static BindMessage Parse(ReadOnlySequence<byte> payload)
    {
        var r = new PayloadReader(payload);
        var portal = r.ReadCString();
        var statement = r.ReadCString();
        var parameterFormats = ReadFormats(ref r);
        var count = r.ReadCount16();
        var values = new byte[]?[count];
        for (var i = 0; i < count; i++)
        {
            var length = r.ReadInt32();
            if (length == -1) continue;
            if (length < -1) throw PgErrorException.ProtocolViolation("invalid parameter length");
            values[i] = r.ReadBytes(length);
        }
        var resultFormats = ReadFormats(ref r);
        r.EnsureEnd();
        if (parameterFormats.Length > 1 && parameterFormats.Length != count)
            throw PgErrorException.ProtocolViolation(
                $"bind message has {parameterFormats.Length} parameter formats but {count} parameters");
        return new BindMessage(portal, statement, parameterFormats, values, resultFormats);
    }

    /// <summary>Format of parameter <paramref name="index"/>: none given means text, one given applies to all.</summary>
    public FormatCode ParameterFormat(int index) => FormatFor(ParameterFormats, index);

    public static FormatCode FormatFor(FormatCode[] formats, int index) => formats.Length switch
    {
        0 => FormatCode.Text,
        1 => formats[0],
        _ => index < formats.Length ? formats[index] : FormatCode.Text,
    };

    private static FormatCode[] ReadFormats(ref PayloadReader r)
    {
        var count = r.ReadCount16();
        var formats = new FormatCode[count];
        for (var i = 0; i < count; i++)
        {
            var code = r.ReadInt16();
            if (code is not (0 or 1))
                throw PgErrorException.ProtocolViolation($"unsupported format code: {code}");
            formats[i] = (FormatCode)code;
        }
        return formats;
    }
}

/// <summary>Describe or Close: 'S' names a prepared statement, 'P' a portal.</summary>
public sealed record TargetedMessage(byte Target, string Name)
{
    public const byte Statement = (byte)'S';
    public const byte Portal = (byte)'P';

    public static TargetedMessage Parse(ReadOnlySequence<byte> payload)
    {
        var r = new PayloadReader(payload);
        var target = r.ReadByte();
        var name = r.ReadCString();
        r.EnsureEnd();
        if (target is not (Statement or Portal))
            throw PgErrorException.ProtocolViolation($"invalid describe/close target '{(char)target}'");
        return new TargetedMessage(target, name);
    }
}

public sealed record ExecuteMessage(string PortalName, int MaxRows)
{
    public static ExecuteMessage Parse(ReadOnlySequence<byte> payload)
    {
        var r = new PayloadReader(payload);
        var portal = r.ReadCString();
        var maxRows = r.ReadInt32();
        r.EnsureEnd();
        return new ExecuteMessage(portal, maxRows);
    }
}

/// <summary>SASLInitialResponse: mechanism name and the client-first message.</summary>
public sealed record SaslInitialResponse(string Mechanism, byte[] Data)
{
    /// <remarks>Authentication-phase message: every error is FATAL (there is no session to go on with).</remarks>
    public static SaslInitialResponse Parse(ReadOnlySequence<byte> payload)
    {
        try
        {
            var r = new PayloadReader(payload);
            var mechanism = r.ReadCString();
            var length = r.ReadInt32();
            var data = length < 0 ? [] : r.ReadBytes(length);
            r.EnsureEnd();
            return new SaslInitialResponse(mechanism, data);
        }
        catch (PgErrorException e) when (!e.IsFatal)
        {
            throw e.AsFatal();
        }
    }
}

/// <summary>PasswordMessage: a NUL-terminated cleartext password (or token).</summary>
public static class PasswordMessage
{
    /// <remarks>Authentication-phase message: every error is FATAL (there is no session to go on with).</remarks>
    public static string Parse(ReadOnlySequence<byte> payload)
    {
        try
        {
            var r = new PayloadReader(payload);
            var password = r.ReadCString();
            r.EnsureEnd();
            return password;
        }
        catch (PgErrorException e) when (!e.IsFatal)
        {
            throw e.AsFatal();
        }
    }
}
