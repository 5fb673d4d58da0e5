namespace DataMesh.Gateway.Protocol.Types;

// Decoded parameter values whose CLR type alone would lose PostgreSQL meaning (range, infinity, exactness).
// Plain CLR types carry the rest: bool, short, int, long, float, double, string, byte[], Guid.

/// <summary>A date as days since 1970-01-01; int.MaxValue / -int.MaxValue are ±infinity.</summary>
public readonly record struct PgDate(int UnixDays);

/// <summary>A time of day in microseconds.</summary>
public readonly record struct PgTime(long Micros);

/// <summary>A timestamp in microseconds since 1970-01-01; UTC when <see cref="WithZone"/>.</summary>
public readonly record struct PgTimestamp(long UnixMicros, bool WithZone);

/// <summary>An exact numeric kept as its decimal text, so no precision is lost on the way to the engine.</summary>
public readonly record struct PgNumeric(string Text);

/// <summary>A one-dimensional array parameter.</summary>
public sealed record PgArray(int ElementOid, object?[] Items);
