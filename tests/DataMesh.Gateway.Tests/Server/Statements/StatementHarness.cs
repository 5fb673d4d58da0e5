using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using DataMesh.Gateway.Admin;
using DataMesh.Gateway.Catalog;
using DataMesh.Gateway.Catalog.Model;
using DataMesh.Gateway.Catalog.Store;
using DataMesh.Gateway.Engine;
using DataMesh.Gateway.Protocol.Messages.Backend;
using DataMesh.Gateway.Server;
using DataMesh.Gateway.Server.Cancellation;
using DataMesh.Gateway.Server.Connections;
using DataMesh.Gateway.Server.Engines;
using DataMesh.Gateway.Server.Governance;
using DataMesh.Gateway.Server.Observability;
using DataMesh.Gateway.Server.Responses;
using DataMesh.Gateway.Server.Sessions;
using DataMesh.Gateway.Server.Statements;
using DuckDB.NET.Data;
using Microsoft.Extensions.Logging.Abstractions;

namespace DataMesh.Gateway.Tests.Server.Statements;

// DataMesh.Gateway.Portal (the web portal project) is a namespace nearer than the using directives above.
using Portal = DataMesh.Gateway.Server.Sessions.Portal;

/// <summary>
/// The statement handlers without a socket: a real catalog (project <c>marketing</c> with the asset <c>sales</c>, 30
/// rows; project <c>research</c> subscribed to its Europe rows without <c>email</c>), real governance and engine
/// instances, a session, and a response writer over an in-memory output whose messages the tests read back.
/// </summary>
internal sealed class StatementHarness : IAsyncDisposable
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "datamesh-tests", "handlers-" + Guid.NewGuid().ToString("N"));
    private readonly SqlParser _parser = new();
    private readonly MetadataEngine _metadata = new();
    private readonly QueryAuditor _auditor;
    private readonly List<Session> _sessions = [];

    public StatementHarness()
    {
        Directory.CreateDirectory(_dir);
        var parquet = Path.Combine(_dir, "sales.parquet");
        using (var duck = new DuckDBConnection("DataSource=:memory:"))
        {
            duck.Open();
            using var cmd = duck.CreateCommand();
            cmd.CommandText = "COPY (SELECT i AS item_id, ['Europe','Asia','Africa'][1 + i % 3] AS region, 'user' || i || '@example.com' AS email, "
                + $"i * 10 AS amount FROM range(1, 31) t(i)) TO '{parquet}' (FORMAT parquet)";
            cmd.ExecuteNonQuery();
        }
        Catalog = new CatalogService(SqliteCatalogStore.Open(Path.Combine(_dir, "catalog.db")));
        Catalog.Change(w =>
        {
            foreach (var u in new[] { "owner", "consumer" }) w.InsertUser(new UserRecord(u, null, false, "local", Now));
            w.InsertAccount(new AccountRecord("acct", _dir, "owner", AccountStatus.Proposed, "owner", Now, null));
            w.AcceptAccount("acct", Now);
            w.InsertProfile(new ProfileRecord("p", [], null, Now));
            w.InsertProject(new ProjectRecord("marketing", "acct", "p", null, new Dictionary<string, string>(),
                [new MemberRecord("owner", false, MemberRole.Owner)], "owner", Now));
            w.InsertProject(new ProjectRecord("research", "acct", "p", null, new Dictionary<string, string>(),
                [new MemberRecord("consumer", false, MemberRole.Viewer)], "owner", Now));
            w.SetMember("marketing", new MemberRecord("owner", false, MemberRole.Owner));
            w.SetMember("research", new MemberRecord("consumer", false, MemberRole.Viewer));
            List<ColumnRecord> schema = [new("item_id", "BIGINT"), new("region", "VARCHAR"), new("email", "VARCHAR"), new("amount", "BIGINT")];
            var sales = w.InsertAsset(new AssetRecord(0, "marketing", "sales", "sales.parquet", parquet, null, [], new Dictionary<string, string>(),
                new Dictionary<string, string>(), schema, true, 1, "owner", Now));
            w.UpdateAsset(w.GetAsset(sales)! with { Published = true, LatestRevision = 1 });
            var id = w.InsertSubscription(new SubscriptionRecord(0, sales, "marketing", "sales", "research", "why", SubscriptionStatus.Pending, "consumer", Now,
                null, null, null, null, null, null, [], null));
            w.UpdateSubscription(w.GetSubscription(id)! with { StoredStatus = SubscriptionStatus.Approved, RowFilter = "region = 'Europe'", ExcludeColumns = ["email"] });
            return 0;
        });
        Governance = new GovernanceService(Catalog, _parser);
        Engines = new SessionEngines(Catalog, Governance, new EngineDefaults { Threads = 1, MemoryLimit = "256MB" });
        Admin = new AdminExecutor(new AdminServices(Catalog, _metadata, _dir));
        _auditor = new QueryAuditor(Catalog.Store, NullLogger.Instance, Metrics);
        Output = new MemoryOutput();
        Responses = new ResponseWriter(Output, Options, _auditor, Metrics);
    }

    public GatewayServerOptions Options { get; } = new() { WriteBatchBytes = 1024 };
    public CatalogService Catalog { get; }
    public GovernanceService Governance { get; }
    public SessionEngines Engines { get; }
    public AdminExecutor Admin { get; }
    public GatewayMetrics Metrics { get; } = new();
    public MemoryOutput Output { get; }
    public ResponseWriter Responses { get; }

    /// <summary>A signed-in session of <paramref name="user"/> in <paramref name="project"/>, attached to its instance.</summary>
    public StatementContext Open(string user = "owner", string project = "marketing")
    {
        var access = Governance.Open(user, project);
        var spec = Engines.Spec(access);
        var engine = Engines.Open(spec);
        var session = new Session(user, project, new SessionParameters(user, new Dictionary<string, string>()), engine, 1, CancelRegistry.NewSecretKey())
        {
            Access = access,
        };
        Engines.Attach(session, engine, spec);
        _sessions.Add(session);
        return new StatementContext(session, Options, Governance, Engines, Admin, Catalog, _metadata);
    }

    /// <summary>Parse (or the simple protocol's first step).</summary>
    public static PreparedStatement Prepare(StatementContext context, string sql, params int[] oids) =>
        StatementPreparer.Prepare(context, "", Assert.Single(DataMesh.Gateway.Sql.Lexing.StatementSplitter.Split(sql)), oids);

    /// <summary>Prepares and runs one statement as the simple protocol does, returning the handler's result.</summary>
    public static StatementResult Execute(StatementContext context, string sql, out Portal portal)
    {
        var prepared = Prepare(context, sql);
        portal = new Portal("", prepared, [], []);
        return prepared.Handler.Execute(context, portal, 0);
    }

    /// <summary>Writes a result as the simple protocol does and returns the messages written.</summary>
    public async Task<List<(char Type, byte[] Payload)>> WriteAsync(StatementContext context, StatementResult result, bool describe = true)
    {
        await Responses.WriteAsync(context, result, describe);
        return Output.Take();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var session in _sessions) session.Dispose();
        Engines.Dispose();
        await _auditor.DisposeAsync();
        Catalog.Dispose();
        _metadata.Dispose();
        _parser.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    /// <summary>An output with no socket: everything written is kept until the test takes it; flushes are counted.</summary>
    public sealed class MemoryOutput : IWireOutput
    {
        private readonly ArrayBufferWriter<byte> _buffer = new();

        public MemoryOutput() => Backend = new BackendWriter(_buffer);

        public BackendWriter Backend { get; }

        public int Flushes { get; private set; }

        public ValueTask FlushAsync(CancellationToken cancellationToken = default)
        {
            Flushes++;
            Backend.ResetPending();
            return ValueTask.CompletedTask;
        }

        /// <summary>The messages written since the last call, as (type, payload).</summary>
        public List<(char Type, byte[] Payload)> Take()
        {
            var messages = new List<(char, byte[])>();
            var data = _buffer.WrittenSpan;
            while (data.Length >= 5)
            {
                var length = BinaryPrimitives.ReadInt32BigEndian(data[1..]);
                messages.Add(((char)data[0], data.Slice(5, length - 4).ToArray()));
                data = data[(1 + length)..];
            }
            _buffer.ResetWrittenCount();
            Backend.ResetPending();
            return messages;
        }
    }

    public static string Types(IEnumerable<(char Type, byte[] Payload)> messages) => new(messages.Select(m => m.Type).ToArray());

    public static string Tag(IEnumerable<(char Type, byte[] Payload)> messages) =>
        Encoding.UTF8.GetString(messages.Single(m => m.Type == 'C').Payload).TrimEnd('\0');

    /// <summary>The text values of the DataRows.</summary>
    public static List<string?[]> Rows(IEnumerable<(char Type, byte[] Payload)> messages) =>
        messages.Where(m => m.Type == 'D').Select(m => TextValues(m.Payload)).ToList();

    private static string?[] TextValues(byte[] dataRow)
    {
        var count = BinaryPrimitives.ReadInt16BigEndian(dataRow);
        var values = new string?[count];
        var p = 2;
        for (var i = 0; i < count; i++)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(dataRow.AsSpan(p));
            p += 4;
            if (length < 0) continue;
            values[i] = Encoding.UTF8.GetString(dataRow, p, length);
            p += length;
        }
        return values;
    }

    public static string? ErrorState(IEnumerable<(char Type, byte[] Payload)> messages) =>
        Infrastructure.RawClient.SqlState(messages.Single(m => m.Type == 'E').Payload);
}
