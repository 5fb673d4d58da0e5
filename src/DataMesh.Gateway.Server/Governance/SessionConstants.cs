using DataMesh.Gateway.Engine;
using DataMesh.Gateway.Engine.Execution;
using DataMesh.Gateway.Policy.Rewrite.Constants;

namespace DataMesh.Gateway.Server.Governance;

/// <summary>Constant checks of the policy layer, run on the session's private constants connection (its own
/// instance: same settings and macros) and printed and parsed by DuckDB's parser.</summary>
internal sealed class SessionConstants(EngineSession engine, SqlParser parser) : IConstantEvaluator
{
    public void Run(string serializedSelect) => engine.Constants.RunSerialized(serializedSelect);

    public string Print(string serializedSelect) => parser.Print(serializedSelect);

    public string Serialize(string sql) => parser.Serialize(sql);

    public string SerializePlan(string sql) => engine.Constants.SerializePlan(sql);
}
