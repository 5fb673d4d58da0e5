using DataMesh.Gateway.Tests.Admin;
using DataMesh.Gateway.Tests.Infrastructure;
using DuckDB.NET.Data;

namespace DataMesh.Gateway.Tests.Lifecycle;

/// <summary>
/// EXPORT AUDIT sends the records SHOW AUDIT lists (the same visibility and filters) as COPY OUT data, which psql
/// saves as it is: CSV with a header, or one Parquet file. Driven with the real psql.
/// </summary>
[Collection(AdminCollection.Name)]
public sealed class ExportAuditTests(AdminGatewayFixture fixture)
{
    [Fact]
    public async Task The_csv_export_holds_exactly_the_records_show_audit_lists_for_the_same_user()
    {
        await using (var bob = await fixture.OpenInAsync("bob"))
            await bob.FailsAsync("SHOW SUBSCRIPTION 1", "42601"); // something of bob's own in the log
        var until = await UntilNowAsync();
        foreach (var user in new[] { "bob", "carol" })
        {
            await using var session = await fixture.OpenInAsync(user);
            var shown = await session.QueryAsync($"SHOW AUDIT WHERE until '{until}' LIMIT 10000");
            Assert.True(shown.Count > 0, $"{user} sees no audit record");

            var file = Path.Combine(fixture.DataDirectory, $"export-{user}-{Guid.NewGuid():N}.csv");
            var psql = await Psql.RunAsync(fixture.Port, ["-c", $"EXPORT AUDIT WHERE until '{until}' FORMAT CSV", "-o", file], user: user, database: "postgres");
            Assert.True(psql.ExitCode == 0, psql.StdErr);
            var lines = CsvText.Records(await File.ReadAllTextAsync(file));
            Assert.Equal(string.Join(',', shown.Columns), lines[0]);
            // The same records in the same order (newest first): the first field of each line is the record's id.
            Assert.Equal(shown.Column("id").Select(v => Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture)),
                lines.Skip(1).Select(l => l[..l.IndexOf(',', StringComparison.Ordinal)]));
        }
    }

    [Fact]
    public async Task A_user_who_may_not_see_a_record_does_not_get_it_in_the_export_either()
    {
        await using (var carol = await fixture.OpenInAsync("carol"))
            await carol.QueryAsync("SHOW USERS"); // a record only carol and domain admins may see
        var until = await UntilNowAsync();
        var file = Path.Combine(fixture.DataDirectory, $"export-dave-{Guid.NewGuid():N}.csv");
        var psql = await Psql.RunAsync(fixture.Port, ["-c", $"EXPORT AUDIT WHERE user = carol AND until '{until}'", "-o", file], user: "dave", database: "postgres");
        Assert.True(psql.ExitCode == 0, psql.StdErr);
        Assert.Single(CsvText.Records(await File.ReadAllTextAsync(file))); // the header only

        // The probe fires: the same export by a domain admin has carol's records.
        psql = await Psql.RunAsync(fixture.Port, ["-c", $"EXPORT AUDIT WHERE user = carol AND until '{until}'", "-o", file], user: "carol", database: "postgres");
        Assert.True(psql.ExitCode == 0, psql.StdErr);
        Assert.True(CsvText.Records(await File.ReadAllTextAsync(file)).Count > 1);
    }

    [Fact]
    public async Task The_parquet_export_is_one_file_with_the_same_records()
    {
        var until = await UntilNowAsync();
        await using var carol = await fixture.OpenInAsync("carol");
        var shown = await carol.QueryAsync($"SHOW AUDIT WHERE until '{until}' LIMIT 10000");
        var file = Path.Combine(fixture.DataDirectory, $"export-{Guid.NewGuid():N}.parquet");
        var psql = await Psql.RunAsync(fixture.Port, ["-c", $"EXPORT AUDIT WHERE until '{until}' FORMAT PARQUET", "-o", file], user: "carol", database: "postgres");
        Assert.True(psql.ExitCode == 0, psql.StdErr);

        await using var duck = new DuckDBConnection("DataSource=:memory:");
        await duck.OpenAsync();
        await using var read = duck.CreateCommand();
        read.CommandText = $"SELECT id, \"user\", command FROM read_parquet('{file}') ORDER BY id DESC";
        await using var reader = await read.ExecuteReaderAsync();
        var rows = new List<(long, string?, string?)>();
        while (await reader.ReadAsync())
            rows.Add((Convert.ToInt64(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture), reader.IsDBNull(1) ? null : reader.GetString(1),
                reader.IsDBNull(2) ? null : reader.GetString(2)));
        Assert.Equal(shown.Rows.Select(r => (Convert.ToInt64(r[shown.IndexOf("id")], System.Globalization.CultureInfo.InvariantCulture), (string?)r[shown.IndexOf("user")],
            (string?)r[shown.IndexOf("command")])), rows);
    }

    [Fact]
    public async Task Export_audit_reads_only_so_it_runs_inside_a_transaction_block()
    {
        var psql = await Psql.RunAsync(fixture.Port, ["-c", "BEGIN", "-c", "EXPORT AUDIT LIMIT 1", "-c", "COMMIT"], user: "carol", database: "postgres");
        Assert.True(psql.ExitCode == 0, psql.StdErr);
        var lines = psql.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("BEGIN", lines[0]);
        Assert.StartsWith("id,at,user,", lines[1], StringComparison.Ordinal);
        Assert.Equal("COMMIT", lines[^1]);
    }

    /// <summary>
    /// A moment after everything written so far, so SHOW AUDIT and EXPORT AUDIT read the same fixed set (query records
    /// are written by a background writer a few milliseconds after the query: the wait lets earlier ones land).
    /// </summary>
    private static async Task<string> UntilNowAsync()
    {
        await Task.Delay(300);
        var until = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd HH:mm:ss.ffffff+00", System.Globalization.CultureInfo.InvariantCulture);
        await Task.Delay(50);
        return until;
    }
}
