namespace DataMesh.Gateway.Tests.Admin;

/// <summary>Asset sources must stay inside the project's storage prefix: no "..", no absolute paths, no symlinks pointing out.
/// (Governance/ProjectStorageIsolationTests attacks the prefix from a neighbouring project of the same account.)</summary>
[Collection(AdminCollection.Name)]
public sealed class PathSafetyTests(AdminGatewayFixture fixture)
{
    private static string Outside(Scenario s)
    {
        var outside = Path.Combine(Path.GetDirectoryName(s.AccountRoot)!, "outside-" + s.Suffix);
        AdminSql.WriteParquet(Path.Combine(outside, "x.parquet"), "SELECT 42 AS secret");
        AdminSql.TempDirectories.Add(outside);
        return outside;
    }

    private async Task AssertNoAsset(Scenario s, string asset)
    {
        await using var carol = await fixture.OpenAsync("carol");
        Assert.Empty((await carol.QueryAsync($"SHOW ASSETS IN PROJECT {s.Producer}")).RowsWhere("asset", asset));
    }

    [Fact]
    public async Task Dot_dot_segments_are_refused()
    {
        var s = await Scenario.CreateAsync(fixture, publish: false);
        var outside = Outside(s);
        // ../../outside-<suffix>/x.parquet exists relative to the producer's prefix; the account root is its sibling.
        var relative = $"../../{Path.GetFileName(outside)}/x.parquet";
        Assert.True(File.Exists(Path.GetFullPath(Path.Combine(s.ProducerStorage, relative))));
        await using var owner = await fixture.OpenAsync(s.Owner);
        foreach (var source in new[] { relative, "../outside/x.parquet", "data/../../x.parquet", "data/..", "..\\x.parquet", "data/../data/sales.parquet" })
        {
            var e = await owner.FailsAsync($"CREATE ASSET {s.Producer}.dots FROM {AdminSql.Quote(source)}", "42501");
            Assert.Contains("is refused", e.MessageText);
        }
        await AssertNoAsset(s, "dots");
    }

    [Fact]
    public async Task Absolute_paths_and_urls_are_refused()
    {
        var s = await Scenario.CreateAsync(fixture, publish: false);
        var outside = Outside(s);
        await using var owner = await fixture.OpenAsync(s.Owner);
        foreach (var source in new[] { Path.Combine(outside, "x.parquet"), Path.Combine(s.ProducerStorage, "data", "sales.parquet"), "/etc/passwd", "file:///etc/passwd", "s3://bucket/x.parquet", "~/x.parquet" })
            await owner.FailsAsync($"CREATE ASSET {s.Producer}.abs FROM {AdminSql.Quote(source)}", "42501");
        await owner.FailsAsync($"CREATE ASSET {s.Producer}.abs FROM ''", "22023");
        await owner.FailsAsync($"CREATE ASSET {s.Producer}.abs FROM 'data/missing.parquet'", "22023");
        await owner.FailsAsync($"CREATE ASSET {s.Producer}.abs FROM 'nowhere/*.parquet'", "22023");
        await AssertNoAsset(s, "abs");
    }

    [Fact]
    public async Task A_symlinked_file_pointing_outside_is_refused()
    {
        var s = await Scenario.CreateAsync(fixture, publish: false);
        var outside = Outside(s);
        Directory.CreateDirectory(Path.Combine(s.ProducerStorage, "links"));
        File.CreateSymbolicLink(Path.Combine(s.ProducerStorage, "links", "evil.parquet"), Path.Combine(outside, "x.parquet"));
        await using var owner = await fixture.OpenAsync(s.Owner);
        var e = await owner.FailsAsync($"CREATE ASSET {s.Producer}.evil FROM 'links/evil.parquet'", "42501");
        Assert.Contains($"leads outside the storage of project \"{s.Producer}\"", e.MessageText);
        // Through a glob or the directory form, too.
        await owner.FailsAsync($"CREATE ASSET {s.Producer}.evil FROM 'links/*.parquet'", "42501");
        await owner.FailsAsync($"CREATE ASSET {s.Producer}.evil FROM 'links'", "42501");
        await owner.FailsAsync($"CREATE ASSET {s.Producer}.evil FROM 'link?/*.parquet'", "42501");
        await AssertNoAsset(s, "evil");
    }

    [Fact]
    public async Task A_glob_matching_one_bad_symlink_among_good_files_is_refused()
    {
        var s = await Scenario.CreateAsync(fixture, publish: false);
        var outside = Outside(s);
        AdminSql.WriteParquet(Path.Combine(s.ProducerStorage, "mixed", "a.parquet"), "SELECT 42 AS secret");
        File.CreateSymbolicLink(Path.Combine(s.ProducerStorage, "mixed", "b.parquet"), Path.Combine(outside, "x.parquet"));
        await using var owner = await fixture.OpenAsync(s.Owner);
        var e = await owner.FailsAsync($"CREATE ASSET {s.Producer}.mixed FROM 'mixed/*.parquet'", "42501");
        Assert.Contains("leads outside the storage", e.MessageText);
        await owner.FailsAsync($"CREATE ASSET {s.Producer}.mixed FROM 'mixed/**/*.parquet'", "42501");
        await owner.FailsAsync($"CREATE ASSET {s.Producer}.mixed FROM '**/*.parquet'", "42501");
        await AssertNoAsset(s, "mixed");
        // The good file alone is fine.
        await owner.ExecAsync($"CREATE ASSET {s.Producer}.mixed FROM 'mixed/a.parquet'");
    }

    [Fact]
    public async Task A_symlinked_directory_pointing_outside_is_refused()
    {
        var s = await Scenario.CreateAsync(fixture, publish: false);
        var outside = Outside(s);
        Directory.CreateSymbolicLink(Path.Combine(s.ProducerStorage, "escape"), outside);
        await using var owner = await fixture.OpenAsync(s.Owner);
        await owner.FailsAsync($"CREATE ASSET {s.Producer}.escape FROM 'escape/x.parquet'", "42501");
        await owner.FailsAsync($"CREATE ASSET {s.Producer}.escape FROM 'escape/*.parquet'", "42501");
        await owner.FailsAsync($"CREATE ASSET {s.Producer}.escape FROM 'escape'", "42501");
        await AssertNoAsset(s, "escape");
    }

    [Fact]
    public async Task Files_elsewhere_in_the_same_account_are_out_of_reach()
    {
        var s = await Scenario.CreateAsync(fixture, publish: false);
        // At the account root, outside every prefix: before prefixes, "shared/x.parquet" was a valid source.
        AdminSql.WriteParquet(Path.Combine(s.AccountRoot, "shared", "x.parquet"), "SELECT 42 AS secret");
        Directory.CreateSymbolicLink(Path.Combine(s.ProducerStorage, "shared"), Path.Combine(s.AccountRoot, "shared"));
        await using var owner = await fixture.OpenAsync(s.Owner);
        await owner.FailsAsync($"CREATE ASSET {s.Producer}.shared FROM '../shared/x.parquet'", "42501");
        await owner.FailsAsync($"CREATE ASSET {s.Producer}.shared FROM 'shared/x.parquet'", "42501");
        await owner.FailsAsync($"CREATE ASSET {s.Producer}.shared FROM 'shared'", "42501");
        // The consumer project's prefix (a neighbour in the account) is out of reach too.
        AdminSql.WriteParquet(Path.Combine(s.AccountRoot, s.Consumer, "mine.parquet"), "SELECT 7 AS secret");
        await owner.FailsAsync($"CREATE ASSET {s.Producer}.shared FROM '../{s.Consumer}/mine.parquet'", "42501");
        await AssertNoAsset(s, "shared");
    }

    [Fact]
    public async Task A_symlink_inside_the_prefix_is_fine()
    {
        var s = await Scenario.CreateAsync(fixture, publish: false);
        File.CreateSymbolicLink(Path.Combine(s.ProducerStorage, "alias.parquet"), Path.Combine(s.ProducerStorage, "data", "sales.parquet"));
        await using var owner = await fixture.OpenAsync(s.Owner);
        var created = await owner.QueryAsync($"CREATE ASSET {s.Producer}.alias FROM 'alias.parquet'");
        Assert.Equal(5L, created.Get(0, "columns"));
        var dir = await owner.QueryAsync($"CREATE ASSET {s.Producer}.dir FROM 'data'");
        Assert.Equal(5L, dir.Get(0, "columns"));
    }
}
