using DataMesh.Gateway.Engine.Execution;
using DataMesh.Gateway.Sql.Lexing;

namespace DataMesh.Gateway.Server.Sessions;

/// <summary>A statement created by Parse (or by the simple-query path), named or unnamed.</summary>
public sealed class PreparedStatement : IDisposable
{
    public PreparedStatement(string name, SqlStatement statement, StatementKind kind, int[] parameterOids, PreparedQuery? engineQuery)
    {
        Name = name;
        Statement = statement;
        Kind = kind;
        ParameterOids = parameterOids;
        EngineQuery = engineQuery;
    }

    public string Name { get; }
    public SqlStatement Statement { get; }
    public StatementKind Kind { get; }

    /// <summary>The client's declared OIDs, with the engine's inferred type where the client said 0.</summary>
    public int[] ParameterOids { get; }

    public PreparedQuery? EngineQuery { get; }

    /// <summary>The parsed admin command, for <see cref="StatementKind.Admin"/>.</summary>
    public Sql.Admin.AdminStatement? Admin { get; init; }

    public void Dispose() => EngineQuery?.Dispose();
}
