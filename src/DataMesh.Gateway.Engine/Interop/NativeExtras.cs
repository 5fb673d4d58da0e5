using System.Runtime.InteropServices;
using DuckDB.NET.Native;

namespace DataMesh.Gateway.Engine.Interop;

/// <summary>
/// DuckDB C API entry points that DuckDB.NET does not wrap: describing a prepared statement's result before it
/// runs (needed for Describe of a statement) and reading a type alias (JSON, or our oid/name aliases).
/// </summary>
internal static partial class NativeExtras
{
    private const string Library = "duckdb";

    [LibraryImport(Library, EntryPoint = "duckdb_prepared_statement_column_count")]
    public static partial long PreparedColumnCount(DuckDBPreparedStatement statement);

    [LibraryImport(Library, EntryPoint = "duckdb_prepared_statement_column_name")]
    public static partial IntPtr PreparedColumnName(DuckDBPreparedStatement statement, long index);

    [LibraryImport(Library, EntryPoint = "duckdb_prepared_statement_column_logical_type")]
    public static partial DuckDBLogicalType PreparedColumnLogicalType(DuckDBPreparedStatement statement, long index);

    [LibraryImport(Library, EntryPoint = "duckdb_prepared_statement_type")]
    public static partial DuckDBStatementType PreparedStatementType(DuckDBPreparedStatement statement);

    [LibraryImport(Library, EntryPoint = "duckdb_logical_type_get_alias")]
    public static partial IntPtr LogicalTypeAlias(DuckDBLogicalType type);

    [LibraryImport(Library, EntryPoint = "duckdb_clear_bindings")]
    public static partial DuckDBState ClearBindings(DuckDBPreparedStatement statement);

    /// <summary>Reads and frees a C string DuckDB allocated for the caller.</summary>
    public static string? TakeString(IntPtr p)
    {
        if (p == IntPtr.Zero) return null;
        try
        {
            return Marshal.PtrToStringUTF8(p);
        }
        finally
        {
            NativeMethods.Helpers.DuckDBFree(p);
        }
    }
}
