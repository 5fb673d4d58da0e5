using DataMesh.Gateway.Engine.Interop;
using DataMesh.Gateway.Engine.Types;
using DataMesh.Gateway.Protocol.Errors;
using DuckDB.NET.Data;
using DuckDB.NET.Native;
using static DuckDB.NET.Native.NativeMethods;

namespace DataMesh.Gateway.Engine.Execution;

/// <summary>
/// One client session's connection to the engine. Not thread-safe, except <see cref="Interrupt"/>,
/// which a CancelRequest calls from another connection while a query runs here.
/// </summary>
public sealed class EngineSession : IDisposable
{
    private readonly DuckDBConnection _connection;
    private readonly IDisposable? _owner;
    private int _running;
    private OutputStyle _outputStyle = OutputStyle.Default;

    /// <param name="connection">Owned by the session.</param>
    /// <param name="owner">What keeps the connection's instance alive (a pool lease), released after the connection closes.</param>
    private readonly string? _exportDirectory;

    internal EngineSession(DuckDBConnection connection, IDisposable? owner = null, Instances.WorkspaceAccess workspace = Instances.WorkspaceAccess.None,
        string? exportDirectory = null)
    {
        _connection = connection;
        _owner = owner;
        Workspace = workspace;
        _exportDirectory = exportDirectory;
    }

    /// <summary>How this session's instance has the project workspace attached (at the time the session opened).</summary>
    public Instances.WorkspaceAccess Workspace { get; }

    private DuckDBNativeConnection Native => _connection.NativeConnection;

    private ConstantChecks? _constants;

    /// <summary>The session's private connection for constant checks (opened on first use, closed with the session).</summary>
    public ConstantChecks Constants
    {
        get
        {
            if (_constants is not null) return _constants;
            _constants = new ConstantChecks(_connection);
            if (_searchPath is not null) _constants.Configure(_searchPath);
            return _constants;
        }
    }

    /// <summary>The session's SET search_path, repeated on the constants connection (plans bind names there).</summary>
    private string? _searchPath;

    /// <summary>Prepares one statement. Columns whose types PostgreSQL lacks are cast to text by a wrapping query.</summary>
    public PreparedQuery Prepare(string sql)
    {
        var handle = PrepareHandle(sql);
        var renamed = false;
        var statementType = NativeExtras.PreparedStatementType(handle);
        var columns = DescribeColumns(handle, out var unmapped);
        if (unmapped.Count > 0 && statementType == DuckDBStatementType.Select)
        {
            handle.Dispose();
            handle = PrepareHandle(CastWrapper(sql, columns.Count, unmapped));
            var castColumns = DescribeColumns(handle, out _);
            // Keep the user's column names: the wrapper renamed them positionally.
            columns = castColumns.Select((c, i) => new ResultColumn(columns[i].Name, c.Type)).ToList();
            renamed = true;
        }

        var count = (int)PreparedStatements.DuckDBParams(handle);
        var parameterOids = new int[count];
        for (var i = 0; i < count; i++)
        {
            using var type = PreparedStatements.DuckDBParamLogicalType(handle, i + 1);
            parameterOids[i] = type.IsInvalid ? 0 : TypeMapper.ParameterOid(type);
        }
        return new PreparedQuery(handle, statementType, parameterOids, columns) { ColumnsRenamed = renamed };
    }

    /// <summary>Binds parameters and starts the query in streaming mode.</summary>
    public QueryCursor Execute(PreparedQuery query, IReadOnlyList<object?> parameters)
    {
        if (parameters.Count != query.ParameterOids.Length)
            throw new PgErrorException(SqlState.ProtocolViolation,
                $"bind message supplies {parameters.Count} parameters, but prepared statement requires {query.ParameterOids.Length}");
        NativeExtras.ClearBindings(query.Handle);
        ParameterBinder.Bind(query.Handle, parameters);

        Volatile.Write(ref _running, 1);
        try
        {
            var state = PreparedStatements.DuckDBExecutePreparedStreaming(query.Handle, out var result);
            if (state != DuckDBState.Success)
            {
                var error = Query.DuckDBResultError(ref result);
                var type = Query.DuckDBResultErrorType(ref result);
                Query.DuckDBDestroyResult(ref result);
                throw EngineErrors.FromMessage(error, type);
            }
            // The result's own types win over the prepared description: binding can refine unresolved types.
            var columns = query.ReturnsRows ? ResultColumns(ref result, query.ColumnsRenamed || query.NamesOverridden ? query.Columns : null) : query.Columns;
            return new QueryCursor(result, columns, query.ReturnsRows && Query.DuckDBResultReturnType(result) == DuckDBResultType.QueryResult, _outputStyle);
        }
        finally
        {
            Volatile.Write(ref _running, 0);
        }
    }

    /// <summary>
    /// Runs one write to the project's workspace (CREATE TABLE … AS, INSERT, DROP TABLE) and returns the rows it wrote.
    /// Anything that is not one of those statement types is refused before it runs.
    /// </summary>
    public long ExecuteWorkspaceWrite(string sql)
    {
        var handle = PrepareHandle(sql);
        using (handle)
        {
            var type = NativeExtras.PreparedStatementType(handle);
            if (type is not (DuckDBStatementType.Create or DuckDBStatementType.Insert or DuckDBStatementType.Drop))
                throw new PgErrorException(SqlState.InsufficientPrivilege, "only CREATE TABLE … AS, INSERT INTO and DROP TABLE may write to the workspace");
        }
        Volatile.Write(ref _running, 1);
        try
        {
            using var cmd = _connection.CreateCommand();
            cmd.CommandText = sql;
            return Math.Max(0, cmd.ExecuteNonQuery());
        }
        catch (DuckDBException e)
        {
            throw EngineErrors.FromMessage(e.Message);
        }
        finally
        {
            Volatile.Write(ref _running, 0);
        }
    }

    /// <summary>
    /// Writes the rows of a governed query (the rewritten SQL the policy layer produced) to a new Parquet file in the
    /// instance's private spill directory, which DuckDB keeps writable after lockdown and no allow list names; returns
    /// the file (the caller moves or deletes it) and the rows written. Only a COPY of that one query runs.
    /// </summary>
    public (string File, long Rows) ExportParquet(string governedSelect)
    {
        if (_exportDirectory is null)
            throw new PgErrorException(SqlState.FeatureNotSupported, "Parquet exports need the engine's spill directory, which is off on this gateway");
        var file = Path.Combine(_exportDirectory, "export-" + Guid.NewGuid().ToString("N") + ".parquet");
        // The query on lines of its own: a trailing line comment in it cannot swallow the COPY's target.
        var sql = $"COPY (\n{governedSelect}\n) TO {DuckDbEngine.Literal(file)} (FORMAT parquet)";
        using (var handle = PrepareHandle(sql))
        {
            if (NativeExtras.PreparedStatementType(handle) != DuckDBStatementType.Copy)
                throw new PgErrorException(SqlState.InsufficientPrivilege, "only a query can be exported");
        }
        Volatile.Write(ref _running, 1);
        try
        {
            using var cmd = _connection.CreateCommand();
            cmd.CommandText = sql;
            var rows = Math.Max(0, cmd.ExecuteNonQuery());
            return (file, rows);
        }
        catch (DuckDBException e)
        {
            if (File.Exists(file)) File.Delete(file);
            throw EngineErrors.FromMessage(e.Message);
        }
        finally
        {
            Volatile.Write(ref _running, 0);
        }
    }

    /// <summary>Rows of a workspace table (DuckDB reports none for CREATE TABLE … AS; PostgreSQL's tag has them).</summary>
    public long CountWorkspaceRows(string table)
    {
        using var cmd = _connection.CreateCommand();
        cmd.CommandText = "SELECT count(*) FROM workspace.\"" + table.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
        return Convert.ToInt64(cmd.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Whether the workspace has a table of that name (DuckDB's catalog error on reading it: no).</summary>
    public bool WorkspaceTableExists(string table)
    {
        try
        {
            CountWorkspaceRows(table);
            return true;
        }
        catch (DuckDBException)
        {
            return false;
        }
    }

    /// <summary>Marks the session as streaming so that a cancel interrupts it.</summary>
    public IDisposable EnterStreaming()
    {
        Volatile.Write(ref _running, 1);
        return new RunningScope(this);
    }

    /// <summary>Interrupts the running query, if any (DuckDB has no statement timeout of its own).</summary>
    public bool Interrupt()
    {
        _constants?.Interrupt();
        if (Volatile.Read(ref _running) == 0) return false;
        Startup.DuckDBInterrupt(Native);
        return true;
    }

    /// <summary>
    /// Sets what current_user, session_user, current_database() and pg_backend_pid() return in this session, and the
    /// databases pg_database lists (those the user may connect to).
    /// </summary>
    public void SetIdentity(string user, string database, int processId, IEnumerable<string>? databases = null)
    {
        // One statement: each costs ~0.3 ms whatever it does (bench/NOTES.md, "Profiles of the missed targets").
        var fields = $"'user': {DuckDbEngine.Literal(user)}, 'database': {DuckDbEngine.Literal(database)}, 'pid': {processId}::INTEGER, "
            + $"'databases': {ListLiteral(databases ?? [database])}";
        ExecuteTrusted($"SET VARIABLE {PgCatalogEmulation.IdentityVariables.Identity} = {{{fields}}}::{PgCatalogEmulation.IdentityType}");
    }

    /// <summary>
    /// What current_setting() and pg_settings answer in this session beyond the built-in defaults: the gateway's session
    /// parameters whose values differ from their defaults, by lower-case name. A setting not given here answers its
    /// default from the instance (<see cref="Instances.EngineSpec.SettingDefinitions"/>), so pass every changed one.
    /// </summary>
    public void SetSettings(IEnumerable<KeyValuePair<string, string>> settings)
    {
        _outputStyle = OutputStyle.From(settings); // IntervalStyle, extra_float_digits, bytea_output change text output
        var entries = settings.Select(p => DuckDbEngine.Literal(p.Key.ToLowerInvariant()) + ": " + DuckDbEngine.Literal(p.Value));
        ExecuteTrusted($"SET VARIABLE {PgCatalogEmulation.IdentityVariables.Settings} = MAP {{{string.Join(", ", entries)}}}::MAP(VARCHAR, VARCHAR)");
    }

    private static string ListLiteral(IEnumerable<string> values) => "[" + string.Join(", ", values.Select(DuckDbEngine.Literal)) + "]::VARCHAR[]";

    /// <summary>
    /// The result column names of <paramref name="sql"/> as DuckDB would name them, from a prepare that never runs
    /// (against the instance's empty shadow tables); null when it does not prepare.
    /// </summary>
    public IReadOnlyList<string>? DescribeNames(string sql)
    {
        if (PreparedStatements.DuckDBPrepare(Native, sql, out var handle) != DuckDBState.Success)
        {
            handle.Dispose();
            return null;
        }
        using (handle)
        {
            var count = NativeExtras.PreparedColumnCount(handle);
            var names = new List<string>((int)count);
            for (var i = 0; i < count; i++) names.Add(ClientName(NativeExtras.TakeString(NativeExtras.PreparedColumnName(handle, i)) ?? $"column{i + 1}"));
            return names;
        }
    }

    /// <summary>Unqualified names resolve through these schemas, in order (trusted: the gateway's own setting).</summary>
    public void SetSearchPath(IEnumerable<string> schemas)
    {
        var list = schemas.ToList();
        _searchPath = "SET search_path = " + DuckDbEngine.Literal(string.Join(',', list.Select(s => "\"" + s.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"")));
        ExecuteTrusted(_searchPath);
        _constants?.Configure(_searchPath);
        // current_schemas()/current_schema() of the emulation: the project schemas, without the emulation's main.
        ExecuteTrusted($"SET VARIABLE {PgCatalogEmulation.IdentityVariables.Schemas} = {ListLiteral(list.Where(s => s != "main"))}");
    }

    /// <summary>Runs trusted SQL (session setup) that returns no rows.</summary>
    internal void ExecuteTrusted(string sql)
    {
        using var cmd = _connection.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    public void Dispose()
    {
        _constants?.Dispose();
        _connection.Dispose();
        _owner?.Dispose();
    }

    private DuckDBPreparedStatement PrepareHandle(string sql)
    {
        // Marked running so that a cancel reaches DuckDB while it binds and plans (it checks interrupts only here and there).
        Volatile.Write(ref _running, 1);
        DuckDBState state;
        DuckDBPreparedStatement handle;
        try
        {
            state = PreparedStatements.DuckDBPrepare(Native, sql, out handle);
        }
        finally
        {
            Volatile.Write(ref _running, 0);
        }
        if (state == DuckDBState.Success) return handle;
        var error = PreparedStatements.DuckDBPrepareError(handle);
        handle.Dispose();
        throw EngineErrors.FromMessage(error);
    }

    private static List<ResultColumn> DescribeColumns(DuckDBPreparedStatement handle, out List<int> unmapped)
    {
        unmapped = [];
        var count = NativeExtras.PreparedColumnCount(handle);
        var columns = new List<ResultColumn>((int)count);
        for (var i = 0; i < count; i++)
        {
            var name = ClientName(NativeExtras.TakeString(NativeExtras.PreparedColumnName(handle, i)) ?? $"column{i + 1}");
            using var logical = NativeExtras.PreparedColumnLogicalType(handle, i);
            var mapped = logical.IsInvalid ? null : TypeMapper.Map(logical);
            if (mapped is null)
            {
                var id = logical.IsInvalid ? DuckDBType.Invalid : LogicalType.DuckDBGetTypeId(logical);
                // Unresolved (parameter-dependent) types are not "unmapped": execution resolves them.
                if (id is not (DuckDBType.Invalid or DuckDBType.Any or DuckDBType.SqlNull)) unmapped.Add(i);
                mapped = TextColumn;
            }
            columns.Add(new ResultColumn(name, mapped));
        }
        return columns;
    }

    /// <param name="described">The user's column names when the engine ran a renaming cast wrapper; otherwise the result's own names win
    /// (a statement prepared with unresolved parameter types has placeholder names until it runs).</param>
    private static List<ResultColumn> ResultColumns(ref DuckDBResult result, IReadOnlyList<ResultColumn>? described)
    {
        var count = (int)Query.DuckDBColumnCount(ref result);
        var columns = new List<ResultColumn>(count);
        for (var i = 0; i < count; i++)
        {
            using var logical = Query.DuckDBColumnLogicalType(ref result, i);
            var mapped = TypeMapper.Map(logical);
            var name = described is not null && i < described.Count ? described[i].Name : ClientName(Query.DuckDBColumnName(ref result, i));
            // A type the prepare could not resolve and that has no encoder here: the NULL type (SELECT NULL).
            columns.Add(new ResultColumn(name, mapped ?? NullOrText(logical)));
        }
        return columns;
    }

    /// <summary>PostgreSQL's name for an unaliased column where DuckDB's differs (<see cref="PgColumnNames"/>).</summary>
    internal static string ClientName(string name) => PgColumnNames.For(name);

    private static PgColumnType NullOrText(DuckDBLogicalType logical) =>
        LogicalType.DuckDBGetTypeId(logical) == DuckDBType.SqlNull ? TextColumn
        : throw new PgErrorException(SqlState.FeatureNotSupported, "result column type is not supported by the wire protocol");

    private static readonly PgColumnType TextColumn = new(Protocol.Types.PgTypes.Text, -1, -1, () => new StringEncoder(false));

    private static string CastWrapper(string sql, int columnCount, List<int> castToText)
    {
        var names = Enumerable.Range(0, columnCount).Select(i => $"c{i}").ToArray();
        var select = names.Select((n, i) => castToText.Contains(i) ? $"CAST({n} AS VARCHAR) AS {n}" : n);
        return $"SELECT {string.Join(", ", select)} FROM ({sql}\n) AS __datamesh_result({string.Join(", ", names)})";
    }

    private sealed class RunningScope(EngineSession session) : IDisposable
    {
        public void Dispose() => Volatile.Write(ref session._running, 0);
    }
}
