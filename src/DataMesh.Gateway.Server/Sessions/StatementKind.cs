namespace DataMesh.Gateway.Server.Sessions;

/// <summary>Who answers a statement: the gateway itself, or the engine.</summary>
public enum StatementKind
{
    /// <summary>SELECT, WITH, VALUES, … : run by the engine.</summary>
    EngineQuery,

    /// <summary>BEGIN, START TRANSACTION, COMMIT, END, ROLLBACK, ABORT, SAVEPOINT, RELEASE, ROLLBACK TO.</summary>
    Transaction,

    /// <summary>SET, SHOW, RESET, DISCARD, DEALLOCATE, UNLISTEN, LISTEN.</summary>
    Session,

    /// <summary>DECLARE … CURSOR FOR query, FETCH, MOVE, CLOSE: SQL-level cursors over governed queries.</summary>
    Cursor,

    /// <summary>COPY (query) TO STDOUT.</summary>
    CopyOut,

    /// <summary>CREATE TABLE workspace.t AS …, INSERT INTO workspace.t …, DROP TABLE workspace.t: the project's workspace.</summary>
    WorkspaceWrite,

    /// <summary>The data-mesh admin language (CREATE PROJECT, PUBLISH ASSET, APPROVE SUBSCRIPTION, …).</summary>
    Admin,
}
