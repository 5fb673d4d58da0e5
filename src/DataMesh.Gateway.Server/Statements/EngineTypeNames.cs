using DataMesh.Gateway.Protocol.Types;

namespace DataMesh.Gateway.Server.Statements;

/// <summary>The engine's name for a PostgreSQL type, used to give declared parameter types to the engine.</summary>
public static class EngineTypeNames
{
    public static string? For(int oid) => oid switch
    {
        PgTypes.Bool => "BOOLEAN",
        PgTypes.Int2 => "SMALLINT",
        PgTypes.Int4 => "INTEGER",
        PgTypes.Int8 => "BIGINT",
        PgTypes.Float4 => "REAL",
        PgTypes.Float8 => "DOUBLE",
        PgTypes.Text or PgTypes.Varchar or PgTypes.BpChar or PgTypes.Name => "VARCHAR",
        PgTypes.Json or PgTypes.Jsonb => "JSON",
        PgTypes.Bytea => "BLOB",
        PgTypes.Date => "DATE",
        PgTypes.Time => "TIME",
        PgTypes.Timestamp => "TIMESTAMP",
        PgTypes.TimestampTz => "TIMESTAMPTZ",
        PgTypes.Interval => "INTERVAL",
        PgTypes.Uuid => "UUID",
        // numeric stays uncast: DECIMAL needs a precision the client did not give; the bound value carries it.
        _ when PgTypes.ElementOf(oid) is var e and not 0 && For(e) is { } element => element + "[]",
        _ => null,
    };
}
