using DataMesh.Gateway.Engine;
using DataMesh.Gateway.Policy.Functions;
using DuckDB.NET.Data;

namespace DataMesh.Gateway.Tests.Policy.Functions;

/// <summary>
/// Every function DuckDB ships must be classified on purpose: a new DuckDB version with new functions fails here until
/// someone puts each new name on an allow list or on the refused list (unknown names are refused at run time anyway).
/// </summary>
public sealed class FunctionCatalogExhaustivenessTests
{
    /// <summary>Reviewed against DuckDB 1.5.6 (DuckDB.NET.Data.Full 1.5.6.1): 942 distinct function names.</summary>
    private const string DuckDbVersion = "v1.5.6";

    private static readonly string[] BundledExtensions = ["autocomplete", "core_functions", "icu", "json", "parquet"];

    private static DuckDBConnection Open()
    {
        var c = new DuckDBConnection("DataSource=:memory:;autoinstall_known_extensions=false;autoload_known_extensions=false");
        c.Open();
        return c;
    }

    /// <summary>Distinct (name, type) pairs, names folded as the policy folds them (two DuckDB names are camelCase).</summary>
    private static List<(string Name, string Type)> Functions(DuckDBConnection c)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT DISTINCT function_name, function_type FROM duckdb_functions() ORDER BY ALL";
        using var r = cmd.ExecuteReader();
        var list = new List<(string, string)>();
        while (r.Read()) list.Add((FunctionPolicy.Normalize(r.GetString(0)), r.GetString(1)));
        return list;
    }

    private static string Scalar(DuckDBConnection c, string sql)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        return Convert.ToString(cmd.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture)!;
    }

    [Fact]
    public void The_engine_is_the_reviewed_DuckDB_version_with_the_bundled_extensions_loaded()
    {
        using var c = Open();
        Assert.Equal(DuckDbVersion, Scalar(c, "SELECT version()"));
        Assert.Equal(FunctionCatalog.ReviewedDuckDbVersion, DuckDbVersion);
        foreach (var ext in BundledExtensions)
            Assert.Equal("True", Scalar(c, $"SELECT loaded FROM duckdb_extensions() WHERE extension_name = '{ext}'"));
    }

    [Fact]
    public void Every_DuckDB_function_is_explicitly_allowed_or_refused_in_each_position_it_can_take()
    {
        using var c = Open();
        var functions = Functions(c);
        Assert.Equal(942, functions.Select(f => f.Name).Distinct().Count());
        var unclassified = new List<string>();
        foreach (var (name, type) in functions)
        {
            var n = FunctionPolicy.Normalize(name);
            var ok = type switch
            {
                "scalar" or "aggregate" or "macro" => FunctionCatalog.AllowedScalar.Contains(n) || FunctionCatalog.Refused.ContainsKey(n),
                "table" or "table_macro" => FunctionCatalog.AllowedTable.Contains(n) || FunctionCatalog.Refused.ContainsKey(n),
                "pragma" => FunctionPolicy.IsClassified(n),
                _ => false,
            };
            if (!ok) unclassified.Add($"{name} ({type})");
        }
        Assert.True(unclassified.Count == 0, "unclassified DuckDB functions: " + string.Join(", ", unclassified));
    }

    [Fact]
    public void The_gateway_macros_are_classified_too()
    {
        using var c = Open();
        var before = Functions(c).Select(f => f.Name).ToHashSet(StringComparer.Ordinal);
        PgCatalogEmulation.RegisterTypes(c);
        foreach (var statement in PgCatalogEmulation.Statements())
        {
            using var cmd = c.CreateCommand();
            cmd.CommandText = statement;
            cmd.ExecuteNonQuery();
        }
        var added = Functions(c).Select(f => f.Name).Where(n => !before.Contains(n)).Distinct().ToList();
        Assert.Equal(FunctionCatalog.GatewayMacros.Concat(FunctionCatalog.GatewayTableMacros).Concat(FunctionCatalog.GatewayInternalMacros).Order(StringComparer.Ordinal),
            added.Order(StringComparer.Ordinal));
        foreach (var name in added.Except(FunctionCatalog.GatewayTableMacros).Except(FunctionCatalog.GatewayInternalMacros))
            Assert.True(FunctionPolicy.IsAllowedScalar(name), name);
        foreach (var name in FunctionCatalog.GatewayInternalMacros)
            Assert.True(FunctionCatalog.Refused.ContainsKey(name) && !FunctionPolicy.IsAllowedScalar(name), name);
        foreach (var name in FunctionCatalog.GatewayTableMacros) Assert.True(FunctionPolicy.IsAllowedTable(name), name);
        foreach (var name in FunctionCatalog.GatewayShadowed) Assert.True(FunctionPolicy.IsAllowedScalar(name), name);
        foreach (var function in FunctionCatalog.SqlValueFunctions.Values) Assert.True(FunctionPolicy.IsClassified(function), function);
    }

    [Fact]
    public void No_name_is_both_allowed_and_refused_in_the_same_position_and_no_name_is_stale()
    {
        using var c = Open();
        var functions = Functions(c);
        var scalarNames = functions.Where(f => f.Type is "scalar" or "aggregate" or "macro").Select(f => f.Name).ToHashSet(StringComparer.Ordinal);
        var tableNames = functions.Where(f => f.Type is "table" or "table_macro").Select(f => f.Name).ToHashSet(StringComparer.Ordinal);
        var all = functions.Select(f => f.Name).ToHashSet(StringComparer.Ordinal);

        foreach (var name in FunctionCatalog.AllowedScalar)
            Assert.True(scalarNames.Contains(name) || FunctionCatalog.GatewayMacros.Contains(name) || FunctionCatalog.BinderSpecial.Contains(name), $"allowed scalar {name} is not a DuckDB scalar/aggregate/macro");
        foreach (var name in FunctionCatalog.AllowedTable)
            Assert.True(tableNames.Contains(name) || FunctionCatalog.GatewayTableMacros.Contains(name), $"allowed table function {name} is not a DuckDB table function");
        // A refused name that is also allowed in one position must exist in the other position (histogram).
        foreach (var name in FunctionCatalog.Refused.Keys)
        {
            if (FunctionCatalog.AllowedScalar.Contains(name)) Assert.Contains(name, tableNames.Concat(functions.Where(f => f.Type == "pragma").Select(f => f.Name)));
            if (FunctionCatalog.AllowedTable.Contains(name)) Assert.Contains(name, scalarNames);
        }
        // Extra refused names (not in duckdb_functions()) are few and deliberate.
        var extra = FunctionCatalog.Refused.Keys.Where(n => !all.Contains(n) && !FunctionCatalog.GatewayInternalMacros.Contains(n))
            .Order(StringComparer.Ordinal).ToArray();
        // set_config: PostgreSQL's, not DuckDB's; the gateway answers it only as a statement of its own.
        Assert.Equal(["getenv", "pragma_database_list", "read_parquet_metadata", "set_config"], extra);
    }

    [Fact]
    public void Every_DuckDB_aggregate_is_allowed_because_list_aggr_calls_aggregates_by_name()
    {
        using var c = Open();
        var aggregates = Functions(c).Where(f => f.Type == "aggregate").Select(f => f.Name).ToHashSet(StringComparer.Ordinal);
        Assert.Equal(aggregates.Order(StringComparer.Ordinal), FunctionCatalog.Aggregates.Order(StringComparer.Ordinal));
        foreach (var name in aggregates) Assert.True(FunctionPolicy.IsAllowedScalar(name), name);
    }

    [Fact]
    public void Every_operator_symbol_DuckDB_ships_is_allowed()
    {
        using var c = Open();
        var operators = Functions(c).Where(f => f.Type == "scalar" && !char.IsAsciiLetter(f.Name[0]) && f.Name[0] != '_').Select(f => f.Name).ToList();
        Assert.NotEmpty(operators);
        foreach (var op in operators) Assert.True(FunctionPolicy.IsAllowedScalar(op), op);
    }

    [Fact]
    public void Counts_of_the_classification()
    {
        // 942 DuckDB names: 765 allowed as scalar/aggregate/window/operator/macro (format_type, pg_get_viewdef,
        // pg_get_constraintdef, current_schemas and current_setting only as the gateway's own macros that shadow
        // them, current_setting only unqualified), 3 allowed table
        // functions, the rest refused.
        Assert.Equal(815, FunctionCatalog.AllowedScalar.Count); // 765 DuckDB names + unnest + 49 gateway macros
        Assert.Equal(49, FunctionCatalog.GatewayMacros.Count);
        Assert.Equal(["generate_series", "pg_get_keywords", "pg_options_to_table", "pg_partition_tree", "range", "unnest"],
            FunctionCatalog.AllowedTable.Order(StringComparer.Ordinal));
        Assert.Equal(193, FunctionCatalog.Refused.Count); // 182 + the 11 internal helper macros of the gateway
    }
}
