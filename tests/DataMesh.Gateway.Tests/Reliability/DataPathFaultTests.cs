using System.Text.RegularExpressions;
using DataMesh.Gateway.Tests.Admin;
using DataMesh.Gateway.Tests.Infrastructure;
using Npgsql;
using Xunit.Abstractions;

namespace DataMesh.Gateway.Tests.Reliability;

/// <summary>
/// Faults in a producer's Parquet files under a running gateway: a file deleted while a query streams it, a file
/// truncated, a file overwritten with garbage, files whose schema no longer matches the published revision. Each
/// gives a clear error that names the asset (schema.table), never a path, and the connection stays usable. The
/// schema change is also shown to the asset's owners by DESCRIBE ASSET. Each test works in a fresh account
/// directory of its own, so breaking files there cannot disturb other tests.
/// </summary>
[Collection(AdminCollection.Name)]
public sealed partial class DataPathFaultTests(AdminGatewayFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task A_file_deleted_while_a_query_streams_gives_58030_naming_the_asset()
    {
        var s = await Scenario.CreateAsync(fixture);
        // Enough rows that the gateway is still streaming the first files when the client stops reading: the
        // socket buffers fill, the gateway waits on its flush, and the later files are not open yet.
        const int files = 12;
        for (var i = 0; i < files; i++)
            AdminSql.WriteParquet(Path.Combine(s.ProducerStorage, "big", $"part-{i:D2}.parquet"),
                $"SELECT {i} * 100000 + range AS id, repeat('x', 60) || range AS payload FROM range(100000)");
        await CreateAndPublishAsync(s, "big_events", "big/*.parquet");

        await using var owner = await RawSessionAsync(s.Owner, s.Producer);
        await owner.SendAsync(RawClient.Query("SELECT id, payload FROM big_events"));
        // Read the first rows, then stop reading while half of the files are deleted.
        for (var i = 0; i < 10; i++) Assert.NotNull(await owner.ReadMessageAsync());
        for (var i = files / 2; i < files; i++) File.Delete(Path.Combine(s.ProducerStorage, "big", $"part-{i:D2}.parquet"));
        var rest = await owner.ReadUntilAsync('Z', TimeSpan.FromSeconds(120));
        output.WriteLine($"{rest.Count(m => m.Type == 'D')} more rows before the error");
        AssertClean(Error(rest), "58030", $"{s.Producer}.big_events", s.AccountRoot);
        await AssertUsableAsync(owner, "SELECT count(*) FROM big_events", (files / 2) * 100000L);
    }

    [Fact]
    public async Task A_file_deleted_while_MOVE_skips_through_a_cursor_gives_58030_naming_the_asset()
    {
        var s = await Scenario.CreateAsync(fixture);
        const int files = 12;
        for (var i = 0; i < files; i++)
            AdminSql.WriteParquet(Path.Combine(s.ProducerStorage, "moved", $"part-{i:D2}.parquet"),
                $"SELECT {i} * 100000 + range AS id, repeat('x', 60) || range AS payload FROM range(100000)");
        await CreateAndPublishAsync(s, "moved_events", "moved/*.parquet");

        await using var owner = await RawSessionAsync(s.Owner, s.Producer);
        await owner.SendAsync(RawClient.Query("BEGIN; DECLARE c CURSOR FOR SELECT id, payload FROM moved_events"));
        Assert.DoesNotContain(await owner.ReadUntilAsync('Z', TimeSpan.FromSeconds(60)), m => m.Type == 'E');
        // The cursor's stream holds the first files' rows; the later files are not open yet when they go.
        for (var i = files / 2; i < files; i++) File.Delete(Path.Combine(s.ProducerStorage, "moved", $"part-{i:D2}.parquet"));
        var failure = await FailsAsync(owner, "MOVE ALL IN c");
        AssertClean(failure, "58030", $"{s.Producer}.moved_events", s.AccountRoot);
        Assert.Contains("a file was missing or unreadable while the query ran", failure.Message); // the files were diagnosed

        await owner.SendAsync(RawClient.Query("ROLLBACK"));
        await owner.ReadUntilAsync('Z');
        await AssertUsableAsync(owner, "SELECT count(*) FROM moved_events", (files / 2) * 100000L);
    }

    [Fact]
    public async Task A_mid_stream_error_of_the_query_itself_keeps_its_own_SQLSTATE_when_the_files_are_healthy()
    {
        var s = await Scenario.CreateAsync(fixture);
        for (var i = 0; i < 4; i++)
            AdminSql.WriteParquet(Path.Combine(s.ProducerStorage, "healthy", $"part-{i}.parquet"), $"SELECT {i} * 100000 + range AS id FROM range(100000)");
        // Written well before the query: the diagnosis allows 100 ms between the file system's clock and the wall
        // clock, so on a fast machine files written just before the query looked "changed while it ran".
        var written = DateTime.UtcNow.AddMinutes(-1);
        foreach (var file in Directory.EnumerateFiles(Path.Combine(s.ProducerStorage, "healthy"))) File.SetLastWriteTimeUtc(file, written);
        Directory.SetLastWriteTimeUtc(Path.Combine(s.ProducerStorage, "healthy"), written);
        await CreateAndPublishAsync(s, "healthy", "healthy/*.parquet");
        await using var owner = await RawSessionAsync(s.Owner, s.Producer);
        // Rows stream first; the conversion fails on the last file's rows: the user's error, not the files'.
        var failure = await FailsAsync(owner, "SELECT CAST(CASE WHEN id >= 350000 THEN 'x' || id ELSE id::VARCHAR END AS INTEGER) AS v FROM healthy");
        output.WriteLine($"{failure.SqlState}: {failure.Message}");
        // The files are healthy and unchanged: the gateway must not blame them. (DuckDB may lose the conversion
        // error of a streaming fetch; then the engine's own "closed result" error is what is left.)
        Assert.DoesNotContain(failure.SqlState, new[] { "58030", "XX001", "55000" });
        Assert.DoesNotContain("asset", failure.Message);
        Assert.DoesNotContain(s.AccountRoot, failure.Message);
        await AssertUsableAsync(owner, "SELECT count(*) FROM healthy", 400000);
    }

    [Fact]
    public async Task A_truncated_file_gives_XX001_naming_the_asset()
    {
        var s = await Scenario.CreateAsync(fixture);
        var file = Path.Combine(s.ProducerStorage, "trunc", "a.parquet");
        AdminSql.WriteParquet(file, "SELECT range AS id, 'v' || range AS label FROM range(5000)");
        AdminSql.WriteParquet(Path.Combine(s.ProducerStorage, "trunc", "b.parquet"), "SELECT range AS id, 'w' || range AS label FROM range(10)");
        await CreateAndPublishAsync(s, "truncated", "trunc/*.parquet");
        await using var owner = await RawSessionAsync(s.Owner, s.Producer);
        await AssertUsableAsync(owner, "SELECT count(*) FROM truncated", 5010);

        using (var stream = new FileStream(file, FileMode.Open)) stream.SetLength(stream.Length / 2);

        var failure = await FailsAsync(owner, "SELECT count(*) FROM truncated");
        AssertClean(failure, "XX001", $"{s.Producer}.truncated", s.AccountRoot);
        Assert.Contains("1 of its 2 file(s)", failure.Message);
        await AssertUsableAsync(owner, "SELECT 41 + 1", 42);
        var drift = await DriftAsync(s.Owner, $"{s.Producer}.truncated");
        Assert.Equal("1", drift["unreadable files"]);
    }

    [Fact]
    public async Task A_file_with_overwritten_bytes_gives_XX001_naming_the_asset()
    {
        var s = await Scenario.CreateAsync(fixture);
        var file = Path.Combine(s.ProducerStorage, "corrupt", "a.parquet");
        AdminSql.WriteParquet(file, "SELECT range AS id, md5(range::VARCHAR) AS label FROM range(20000)");
        await CreateAndPublishAsync(s, "corrupted", "corrupt/*.parquet");
        await using var owner = await RawSessionAsync(s.Owner, s.Producer);
        await AssertUsableAsync(owner, "SELECT count(*) FROM corrupted", 20000);

        // Overwrite the file metadata (the Thrift footer before the 8-byte tail) with garbage, keeping the length.
        var bytes = await File.ReadAllBytesAsync(file);
        var footerLength = BitConverter.ToInt32(bytes, bytes.Length - 8);
        var footerStart = bytes.Length - 8 - footerLength;
        for (var i = footerStart; i < footerStart + Math.Min(footerLength, 48); i++) bytes[i] = 0xFF;
        await File.WriteAllBytesAsync(file, bytes);
        // DuckDB caches a file's footer by path and modification time (whole seconds): a real rewrite happens later
        // than the last read; here it may land in the same second, so the time is moved on as a later write would.
        File.SetLastWriteTimeUtc(file, DateTime.UtcNow.AddMinutes(1));

        var failure = await FailsAsync(owner, "SELECT sum(id) FROM corrupted");
        AssertClean(failure, "XX001", $"{s.Producer}.corrupted", s.AccountRoot);
        await AssertUsableAsync(owner, "SELECT 41 + 1", 42);
    }

    [Fact]
    public async Task Data_pages_overwritten_with_garbage_give_a_clear_error_naming_the_asset()
    {
        var s = await Scenario.CreateAsync(fixture);
        var file = Path.Combine(s.ProducerStorage, "pages", "a.parquet");
        AdminSql.WriteParquet(file, "SELECT range AS id, md5(range::VARCHAR) AS label FROM range(200000)");
        await CreateAndPublishAsync(s, "damaged_pages", "pages/*.parquet");
        await using var owner = await RawSessionAsync(s.Owner, s.Producer);

        // The footer stays intact, so the file still opens; the compressed pages in the middle do not decode.
        var bytes = await File.ReadAllBytesAsync(file);
        for (var i = bytes.Length / 4; i < bytes.Length / 2; i++) bytes[i] = (byte)(i * 31);
        await File.WriteAllBytesAsync(file, bytes);
        File.SetLastWriteTimeUtc(file, DateTime.UtcNow.AddMinutes(1));

        var failure = await FailsAsync(owner, "SELECT count(DISTINCT label), sum(id) FROM damaged_pages");
        output.WriteLine($"{failure.SqlState}: {failure.Message}");
        AssertClean(failure, failure.SqlState is "58030" ? "58030" : "XX001", $"{s.Producer}.damaged_pages", s.AccountRoot);
        await AssertUsableAsync(owner, "SELECT 41 + 1", 42);
    }

    [Fact]
    public async Task A_dropped_column_gives_55000_naming_asset_and_column_and_DESCRIBE_ASSET_shows_the_drift()
    {
        var s = await Scenario.CreateAsync(fixture);
        var file = Path.Combine(s.ProducerStorage, "drop", "a.parquet");
        AdminSql.WriteParquet(file, AdminSql.SalesSelect);
        await CreateAndPublishAsync(s, "dropped", "drop/*.parquet");
        await using var owner = await RawSessionAsync(s.Owner, s.Producer);
        await AssertUsableAsync(owner, "SELECT count(*) FROM dropped", 2);
        Assert.Equal("files match revision 1", (await DriftAsync(s.Owner, $"{s.Producer}.dropped"))["status"]);

        AdminSql.WriteParquet(file, "SELECT region, customer_email, sold_on, quantity FROM (" + AdminSql.SalesSelect + ")");

        var failure = await FailsAsync(owner, "SELECT region, amount FROM dropped");
        AssertClean(failure, "55000", $"{s.Producer}.dropped", s.AccountRoot);
        Assert.Contains("published revision 1", failure.Message);
        Assert.Contains("column \"amount\" (DECIMAL(4,2)) is missing", failure.Message);
        await AssertUsableAsync(owner, "SELECT 41 + 1", 42);

        var drift = await DriftAsync(s.Owner, $"{s.Producer}.dropped");
        Assert.Equal("files differ from revision 1", drift["status"]);
        Assert.Equal("column \"amount\" (DECIMAL(4,2)) is missing", drift["amount"]);
        // Only the owners see the check: a consumer's DESCRIBE ASSET has no drift section.
        Assert.Empty(await DriftAsync(s.Contributor, $"{s.Producer}.dropped"));
    }

    [Fact]
    public async Task A_renamed_column_names_the_missing_one_and_DESCRIBE_ASSET_shows_both()
    {
        var s = await Scenario.CreateAsync(fixture);
        var file = Path.Combine(s.ProducerStorage, "rename", "a.parquet");
        AdminSql.WriteParquet(file, AdminSql.SalesSelect);
        await CreateAndPublishAsync(s, "renamed", "rename/*.parquet");
        AdminSql.WriteParquet(file, "SELECT region, amount, customer_email, sold_on, quantity AS qty FROM (" + AdminSql.SalesSelect + ")");

        await using var owner = await RawSessionAsync(s.Owner, s.Producer);
        var failure = await FailsAsync(owner, "SELECT * FROM renamed");
        AssertClean(failure, "55000", $"{s.Producer}.renamed", s.AccountRoot);
        Assert.Contains("column \"quantity\" (INTEGER) is missing", failure.Message);
        await AssertUsableAsync(owner, "SELECT 41 + 1", 42);

        var drift = await DriftAsync(s.Owner, $"{s.Producer}.renamed");
        Assert.Equal("column \"quantity\" (INTEGER) is missing", drift["quantity"]);
        Assert.Equal("column \"qty\" (INTEGER) was added", drift["qty"]);
    }

    [Fact]
    public async Task A_changed_column_type_gives_55000_naming_asset_column_and_types()
    {
        var s = await Scenario.CreateAsync(fixture);
        var file = Path.Combine(s.ProducerStorage, "retype", "a.parquet");
        AdminSql.WriteParquet(file, AdminSql.SalesSelect);
        await CreateAndPublishAsync(s, "retyped", "retype/*.parquet");
        AdminSql.WriteParquet(file, "SELECT region, amount, customer_email, sold_on, 'many' || quantity AS quantity FROM (" + AdminSql.SalesSelect + ")");

        await using var owner = await RawSessionAsync(s.Owner, s.Producer);
        var failure = await FailsAsync(owner, "SELECT sum(quantity) FROM retyped");
        AssertClean(failure, "55000", $"{s.Producer}.retyped", s.AccountRoot);
        Assert.Contains("column \"quantity\" is VARCHAR, published as INTEGER", failure.Message);
        await AssertUsableAsync(owner, "SELECT 41 + 1", 42);
        Assert.Equal("column \"quantity\" is VARCHAR, published as INTEGER", (await DriftAsync(s.Owner, $"{s.Producer}.retyped"))["quantity"]);
    }

    [Fact]
    public async Task A_consumer_whose_hidden_filter_column_was_dropped_gets_the_asset_named_but_not_the_column()
    {
        var s = await Scenario.CreateAsync(fixture);
        var file = Path.Combine(s.ProducerStorage, "hidden", "a.parquet");
        AdminSql.WriteParquet(file, AdminSql.SalesSelect);
        await CreateAndPublishAsync(s, "hidden_filter", "hidden/*.parquet");
        await using (var c = await fixture.OpenAsync(s.Contributor))
        {
            var id = (long)(await c.QueryAsync($"REQUEST SUBSCRIPTION TO {s.Producer}.hidden_filter FOR PROJECT {s.Consumer} JUSTIFICATION 'faults'")).Get(0, "subscription")!;
            await using var o = await fixture.OpenAsync(s.Owner);
            await o.ExecAsync($"APPROVE SUBSCRIPTION {id} WITH ROW FILTER (customer_email LIKE '%@example.com') EXCLUDE COLUMNS (customer_email)");
        }
        await using var consumer = await RawSessionAsync(s.Contributor, s.Consumer);
        await AssertUsableAsync(consumer, $"SELECT count(*) FROM {s.Producer}.hidden_filter", 2);

        AdminSql.WriteParquet(file, "SELECT region, amount, sold_on, quantity FROM (" + AdminSql.SalesSelect + ")");

        var failure = await FailsAsync(consumer, $"SELECT region FROM {s.Producer}.hidden_filter");
        AssertClean(failure, "55000", $"{s.Producer}.hidden_filter", s.AccountRoot);
        Assert.DoesNotContain("customer_email", failure.Message + failure.Detail + failure.Hint);
        await AssertUsableAsync(consumer, "SELECT 41 + 1", 42);
    }

    // ---- helpers

    private async Task CreateAndPublishAsync(Scenario s, string asset, string source)
    {
        await using var owner = await fixture.OpenAsync(s.Owner);
        await owner.ExecAsync($"CREATE ASSET {s.Producer}.{asset} FROM {AdminSql.Quote(source)}");
        await owner.ExecAsync($"PUBLISH ASSET {s.Producer}.{asset}");
    }

    /// <summary>A raw protocol session: what the gateway does with the connection after an error is seen directly,
    /// without a driver's own policy (Npgsql closes its side after some XX and 58 class errors).</summary>
    private async Task<RawClient> RawSessionAsync(string user, string project)
    {
        var tcp = new System.Net.Sockets.TcpClient { NoDelay = true };
        await tcp.ConnectAsync(fixture.Host.EndPoint);
        var client = RawClient.Wrap(tcp);
        await client.SendAsync(RawClient.StartupMessage(user, project));
        await RawLogin.AuthenticateAsync(client, user, user);
        return client;
    }

    /// <summary>The drift section of DESCRIBE ASSET as item → value (empty when the section is not shown).</summary>
    private async Task<Dictionary<string, string?>> DriftAsync(string user, string asset)
    {
        await using var connection = await fixture.OpenAsync(user);
        var rows = await connection.QueryAsync($"DESCRIBE ASSET {asset}");
        var item = rows.IndexOf("item");
        var value = rows.IndexOf("value");
        return rows.RowsWhere("section", "drift").ToDictionary(r => (string)r[item]!, r => (string?)r[value]);
    }

    private sealed record ServerError(string SqlState, string Severity, string Message, string? Detail, string? Hint, string? Where);

    private static ServerError Error(List<(char Type, byte[] Payload)> messages)
    {
        var e = messages.FirstOrDefault(m => m.Type == 'E');
        Assert.True(e.Payload is not null, $"expected an ErrorResponse, got {string.Join(",", messages.Select(m => m.Type).Distinct())}");
        return new ServerError(RawClient.Field(e.Payload, 'C')!, RawClient.Field(e.Payload, 'V') ?? RawClient.Field(e.Payload, 'S')!,
            RawClient.Field(e.Payload, 'M')!, RawClient.Field(e.Payload, 'D'), RawClient.Field(e.Payload, 'H'), RawClient.Field(e.Payload, 'W'));
    }

    private static async Task<ServerError> FailsAsync(RawClient connection, string sql)
    {
        await connection.SendAsync(RawClient.Query(sql));
        return Error(await connection.ReadUntilAsync('Z', TimeSpan.FromSeconds(60)));
    }

    /// <summary>The same connection answers a query after the error: one row with the expected number.</summary>
    private static async Task AssertUsableAsync(RawClient connection, string sql, long expected)
    {
        await connection.SendAsync(RawClient.Query(sql));
        var messages = await connection.ReadUntilAsync('Z', TimeSpan.FromSeconds(60));
        Assert.DoesNotContain(messages, m => m.Type == 'E');
        var row = messages.Single(m => m.Type == 'D').Payload;
        var length = System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(row.AsSpan(2));
        Assert.Equal(expected.ToString(System.Globalization.CultureInfo.InvariantCulture), System.Text.Encoding.UTF8.GetString(row, 6, length));
    }

    /// <summary>The expected SQLSTATE, the asset named as schema.table, and no path anywhere in the error.</summary>
    private void AssertClean(ServerError e, string sqlState, string asset, string root)
    {
        output.WriteLine($"{e.SqlState}: {e.Message} | detail: {e.Detail} | hint: {e.Hint}");
        Assert.Equal(sqlState, e.SqlState);
        Assert.Equal("ERROR", e.Severity);
        Assert.Contains($"\"{asset}\"", e.Message);
        foreach (var text in new[] { e.Message, e.Detail, e.Hint, e.Where })
        {
            if (text is null) continue;
            Assert.DoesNotContain(root, text);
            Assert.DoesNotContain(".parquet", text);
            Assert.DoesNotContain("read_parquet", text);
            Assert.False(AbsolutePath().IsMatch(text), $"a path in the error: {text}");
        }
    }

    [GeneratedRegex(@"(^|[\s'""(=:])/[A-Za-z0-9._~-]")]
    private static partial Regex AbsolutePath();
}
