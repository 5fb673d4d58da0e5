namespace DataMesh.Gateway.Protocol.Messages.Backend;

/// <summary>The status byte of ReadyForQuery.</summary>
public enum TransactionStatus : byte
{
    Idle = (byte)'I',
    InTransaction = (byte)'T',
    Failed = (byte)'E',
}
