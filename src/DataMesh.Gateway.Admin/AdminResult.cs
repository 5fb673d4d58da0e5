namespace DataMesh.Gateway.Admin;

/// <summary>How an admin result column travels: as text, a bigint, or a boolean.</summary>
public enum AdminColumnType { Text, BigInt, Bool }

public sealed record AdminColumn(string Name, AdminColumnType Type = AdminColumnType.Text);

/// <summary>Something the caller should know about a command that succeeded: sent as a NOTICE before its rows.</summary>
public sealed record AdminNotice(string Message, string? Detail = null, string? Hint = null);

/// <summary>
/// An admin command's answer sent as COPY OUT data instead of rows (EXPORT AUDIT): the chunks, produced as they are sent,
/// in text (CSV) or binary (a Parquet file) format. <see cref="Rows"/> counts what the chunks hold, for the COPY n tag.
/// </summary>
public sealed class AdminCopy(bool binary, int columns, IEnumerable<ReadOnlyMemory<byte>> chunks, Func<long> rows)
{
    public bool Binary { get; } = binary;
    public int ColumnCount { get; } = columns;
    public IEnumerable<ReadOnlyMemory<byte>> Chunks { get; } = chunks;
    public long Rows => rows();
}

/// <summary>An admin command's answer: an ordinary result set (possibly empty) and its command tag.</summary>
public sealed record AdminResult(IReadOnlyList<AdminColumn> Columns, IReadOnlyList<object?[]> Rows, string Tag)
{
    public IReadOnlyList<AdminNotice> Notices { get; init; } = [];

    /// <summary>Set when the answer is COPY OUT data rather than rows.</summary>
    public AdminCopy? Copy { get; init; }

    public static AdminResult Done(string tag) => new([], [], tag);

    /// <summary>A one-row confirmation such as (project, status) after CREATE PROJECT.</summary>
    public static AdminResult Row(string tag, params (string Name, object? Value)[] fields) =>
        new(fields.Select(f => new AdminColumn(f.Name, TypeOf(f.Value))).ToList(), [fields.Select(f => f.Value).ToArray()], tag);

    public static AdminColumnType TypeOf(object? value) => value switch
    {
        long or int => AdminColumnType.BigInt,
        bool => AdminColumnType.Bool,
        _ => AdminColumnType.Text,
    };
}
