using DataMesh.Gateway.Admin;
using DataMesh.Gateway.Admin.Blocks;

namespace DataMesh.Gateway.Server.Transactions;

/// <summary>The catalog side of a block: its admin changes, kept by <see cref="AdminExecutor.Commit"/> at COMMIT.</summary>
public sealed class AdminBlockParticipant(AdminExecutor executor) : ITransactionParticipant
{
    public AdminBlock Block { get; } = new();

    public int Order => 0;

    public void Prepare()
    {
    }

    public void Commit() => executor.Commit(Block);

    public void Rollback() => executor.Rollback(Block);

    public void Savepoint(string name) => Block.Savepoint(name);

    public void RollbackTo(string name) => executor.RollbackTo(Block, name);

    public void Release(string name) => Block.Release(name);
}
