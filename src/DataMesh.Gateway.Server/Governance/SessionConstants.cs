using DataMesh.Gateway.Engine;
using DataMesh.Gateway.Engine.Execution;
using DataMesh.Gateway.Policy.Rewrite.Constants;

namespace DataMesh.Gateway.Server.Governance;

/// <summary>Constant checks of the policy layer, run on the session's private constants connection (its own
/// instance: same settings and macros) and printed and parsed by DuckDB's parser. Public so that the rewrite fuzzer
/// and the tests plan with the server's own evaluator (QueryPlanner is the one entry point for all of them).</summary>
public sealed class SessionConstants(EngineSession engine, SqlParser parser) : IConstantEvaluator
{
    public void Run(string serializedSelect) => engine.Constants.RunSerialized(serializedSelect);

    public string Print(string serializedSelect) => parser.Print(serializedSelect);

    public string Serialize(string sql) => parser.Serialize(sql);

    public string SerializePlan(string sql) => engine.Constants.SerializePlan(sql);
}
