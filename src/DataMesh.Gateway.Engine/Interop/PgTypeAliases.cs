using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using DuckDB.NET.Data;
using DuckDB.NET.Native;

namespace DataMesh.Gateway.Engine.Interop;

/// <summary>
/// The pg_catalog emulation's column types: PostgreSQL's <c>oid</c>, <c>name</c>, <c>"char"</c> and reg* types as DuckDB
/// types of their own, so that RowDescription can say 26, 19, 18 (asyncpg's and ruby-pg's type introspection depend on
/// it). <c>CREATE TYPE x AS UINTEGER</c> is not enough: DuckDB 1.5 forgets such an alias as soon as a column is bound.
/// A type registered through the C API (as extensions register JSON) keeps its alias through column references,
/// subqueries, joins, CASE, COALESCE, UNION and list elements, so the result column still says which type it is;
/// anything computed from it (oid + 1, lower(relname)) has the plain type. Each alias gets an implicit cast to its
/// storage type (so every UINTEGER or VARCHAR function and operator accepts it) and an explicit one back; both casts
/// only reference the input vector, nothing is copied.
/// </summary>
internal static unsafe partial class PgTypeAliases
{
    /// <summary>The aliases and the DuckDB storage type of each (the reg* types are OIDs underneath, as in PostgreSQL).</summary>
    public static readonly IReadOnlyList<(string Alias, DuckDBType Storage)> All =
    [
        (Types.TypeMapper.OidAlias, DuckDBType.UnsignedInteger),
        (Types.TypeMapper.NameAlias, DuckDBType.Varchar),
        (Types.TypeMapper.CharAlias, DuckDBType.Varchar),
        ("regclass", DuckDBType.UnsignedInteger),
        ("regtype", DuckDBType.UnsignedInteger),
        ("regproc", DuckDBType.UnsignedInteger),
        ("regprocedure", DuckDBType.UnsignedInteger),
        ("regnamespace", DuckDBType.UnsignedInteger),
        ("regrole", DuckDBType.UnsignedInteger),
        ("regoper", DuckDBType.UnsignedInteger),
        ("regoperator", DuckDBType.UnsignedInteger),
        ("regconfig", DuckDBType.UnsignedInteger),
    ];

    /// <summary>Registers every alias and its casts in the database <paramref name="connection"/> belongs to.</summary>
    public static void Register(DuckDBConnection connection)
    {
        var native = connection.NativeConnection;
        foreach (var (alias, storage) in All)
        {
            using var aliasType = NativeMethods.LogicalType.DuckDBCreateLogicalType(storage);
            SetAlias(aliasType, alias);
            Check(RegisterLogicalType(native, aliasType, IntPtr.Zero), $"register type {alias}");
            using var storageType = NativeMethods.LogicalType.DuckDBCreateLogicalType(storage);
            // Implicit to the storage type at a low cost, so overload resolution takes it like the storage type itself.
            RegisterReferenceCast(native, aliasType, storageType, implicitCost: 1, $"{alias} to {storage}");
            RegisterReferenceCast(native, storageType, aliasType, implicitCost: null, $"{storage} to {alias}");
        }
    }

    private static void RegisterReferenceCast(DuckDBNativeConnection native, DuckDBLogicalType from, DuckDBLogicalType to, long? implicitCost, string what)
    {
        var cast = CreateCastFunction();
        try
        {
            CastSetSourceType(cast, from);
            CastSetTargetType(cast, to);
            if (implicitCost is { } cost) CastSetImplicitCost(cast, cost);
            CastSetFunction(cast, (IntPtr)(delegate* unmanaged[Cdecl]<IntPtr, ulong, IntPtr, IntPtr, byte>)&Reference);
            Check(RegisterCastFunction(native, cast), $"register cast {what}");
        }
        finally
        {
            DestroyCastFunction(ref cast);
        }
    }

    /// <summary>The cast itself: the output vector references the input's data (same storage, no copy).</summary>
    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static byte Reference(IntPtr info, ulong count, IntPtr input, IntPtr output)
    {
        VectorReferenceVector(output, input);
        return 1;
    }

    private static void Check(DuckDBState state, string what)
    {
        if (state != DuckDBState.Success) throw new InvalidOperationException($"DuckDB refused to {what}");
    }

    private const string Library = "duckdb";

    [LibraryImport(Library, EntryPoint = "duckdb_logical_type_set_alias", StringMarshalling = StringMarshalling.Utf8)]
    private static partial void SetAlias(DuckDBLogicalType type, string alias);

    [LibraryImport(Library, EntryPoint = "duckdb_register_logical_type")]
    private static partial DuckDBState RegisterLogicalType(DuckDBNativeConnection connection, DuckDBLogicalType type, IntPtr info);

    [LibraryImport(Library, EntryPoint = "duckdb_create_cast_function")]
    private static partial IntPtr CreateCastFunction();

    [LibraryImport(Library, EntryPoint = "duckdb_destroy_cast_function")]
    private static partial void DestroyCastFunction(ref IntPtr cast);

    [LibraryImport(Library, EntryPoint = "duckdb_cast_function_set_source_type")]
    private static partial void CastSetSourceType(IntPtr cast, DuckDBLogicalType type);

    [LibraryImport(Library, EntryPoint = "duckdb_cast_function_set_target_type")]
    private static partial void CastSetTargetType(IntPtr cast, DuckDBLogicalType type);

    [LibraryImport(Library, EntryPoint = "duckdb_cast_function_set_implicit_cast_cost")]
    private static partial void CastSetImplicitCost(IntPtr cast, long cost);

    [LibraryImport(Library, EntryPoint = "duckdb_cast_function_set_function")]
    private static partial void CastSetFunction(IntPtr cast, IntPtr function);

    [LibraryImport(Library, EntryPoint = "duckdb_register_cast_function")]
    private static partial DuckDBState RegisterCastFunction(DuckDBNativeConnection connection, IntPtr cast);

    [LibraryImport(Library, EntryPoint = "duckdb_vector_reference_vector")]
    private static partial void VectorReferenceVector(IntPtr to, IntPtr from);
}
