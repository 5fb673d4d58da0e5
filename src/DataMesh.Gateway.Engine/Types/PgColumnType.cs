namespace DataMesh.Gateway.Engine.Types;

/// <summary>How an engine column appears to PostgreSQL clients, and how to encode it.</summary>
internal sealed record PgColumnType(int Oid, short Length, int TypeModifier, Func<ColumnEncoder> CreateEncoder);
