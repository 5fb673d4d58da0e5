namespace DataMesh.Gateway.Protocol.Framing;

/// <summary>Type bytes of frontend messages after startup (protocol v3).</summary>
public static class FrontendMessageType
{
    public const byte Bind = (byte)'B';
    public const byte Close = (byte)'C';
    public const byte CopyData = (byte)'d';
    public const byte CopyDone = (byte)'c';
    public const byte CopyFail = (byte)'f';
    public const byte Describe = (byte)'D';
    public const byte Execute = (byte)'E';
    public const byte Flush = (byte)'H';
    public const byte FunctionCall = (byte)'F';
    public const byte Parse = (byte)'P';
    public const byte Password = (byte)'p'; // also SASLInitialResponse and SASLResponse
    public const byte Query = (byte)'Q';
    public const byte Sync = (byte)'S';
    public const byte Terminate = (byte)'X';

    public static bool IsKnown(byte type) => type is Bind or Close or CopyData or CopyDone or CopyFail or Describe
        or Execute or Flush or FunctionCall or Parse or Password or Query or Sync or Terminate;
}
