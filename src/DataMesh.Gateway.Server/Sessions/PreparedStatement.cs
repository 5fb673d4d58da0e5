using DataMesh.Gateway.Server.Statements;
using DataMesh.Gateway.Sql.Lexing;
using DataMesh.Gateway.Sql.Statements;

namespace DataMesh.Gateway.Server.Sessions;

/// <summary>
/// A statement created by Parse (or by the simple-query path), named or unnamed. A closed hierarchy: one sealed kind
/// per kind of statement (Statements/), each holding its own payload and the handler that answers it.
/// </summary>
public abstract class PreparedStatement : IDisposable
{
    private protected PreparedStatement(string name, Statement parsed)
    {
        Name = name;
        Parsed = parsed;
    }

    public string Name { get; }

    /// <summary>The statement as the gateway classified it.</summary>
    public Statement Parsed { get; }

    /// <summary>The user's text and tokens.</summary>
    public SqlStatement Source => Parsed.Source;

    /// <summary>The client's declared OIDs, with the engine's inferred type where the client said 0.</summary>
    public virtual int[] ParameterOids => [];

    /// <summary>The governed rewrite the statement runs under (engine statements and workspace writes), for the audit.</summary>
    public virtual Policy.Rewrite.RewriteResult? Plan => null;

    internal abstract IStatementHandler Handler { get; }

    public virtual void Dispose()
    {
    }
}
