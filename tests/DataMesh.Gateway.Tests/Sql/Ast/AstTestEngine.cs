using DataMesh.Gateway.Engine;
using DataMesh.Gateway.Sql.Ast;

namespace DataMesh.Gateway.Tests.Sql.Ast;

/// <summary>One shared DuckDB parser for the AST tests (MetadataEngine serialises access itself).</summary>
internal static class AstTestEngine
{
    private static readonly Lazy<MetadataEngine> Engine = new(() => new MetadataEngine());

    public static string Json(string sql) => Engine.Value.SerializeSelect(sql);

    public static ParsedQuery Parse(string sql) => SqlAst.Parse(Json(sql), sql);
}
