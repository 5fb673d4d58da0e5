namespace DataMesh.Gateway.Tests.Admin;

/// <summary>SEARCH CATALOG: ranking, glossary terms, and visibility of unpublished inventory.</summary>
[Collection(AdminCollection.Name)]
public sealed class CatalogSearchTests(AdminGatewayFixture fixture)
{
    [Fact]
    public async Task An_exact_asset_name_match_ranks_first()
    {
        var s = await Scenario.CreateAsync(fixture);
        var word = "zq" + s.Suffix;
        await using var owner = await fixture.OpenAsync(s.Owner);
        // A decoy that mentions the word everywhere, so bm25 alone would prefer it.
        await owner.ExecAsync($"CREATE ASSET {s.Producer}.{word}_{word}_{word} FROM 'data/sales.parquet' " +
            $"DESCRIPTION '{word} {word} {word} {word} {word} {word}' METADATA (k = '{word} {word}')");
        await owner.ExecAsync($"CREATE ASSET {s.Producer}.{word} FROM 'data/sales.parquet' DESCRIPTION 'plain'");
        await owner.ExecAsync($"PUBLISH ASSET {s.Producer}.{word}_{word}_{word}");
        await owner.ExecAsync($"PUBLISH ASSET {s.Producer}.{word}");

        await using var outsider = await fixture.OpenAsync(s.Outsider);
        var hits = await outsider.QueryAsync($"SEARCH CATALOG '{word}'");
        Assert.Equal(2, hits.Count);
        Assert.Equal(word, hits.Get(0, "asset"));
        Assert.Equal($"{word}_{word}_{word}", hits.Get(1, "asset"));

        hits = await outsider.QueryAsync($"SEARCH CATALOG '{s.Producer}.{word}'");
        Assert.Equal(word, hits.Get(0, "asset"));
        Assert.Equal(s.Producer, hits.Get(0, "project"));

        hits = await outsider.QueryAsync($"SEARCH CATALOG '  {word.ToUpperInvariant()}  '");
        Assert.Equal(word, hits.Get(0, "asset"));
    }

    [Fact]
    public async Task A_glossary_term_finds_its_assets()
    {
        var s = await Scenario.CreateAsync(fixture);
        var term = "Zeta" + s.Suffix;
        var described = "quasar" + s.Suffix;
        await using var carol = await fixture.OpenAsync("carol");
        await carol.ExecAsync($"CREATE GLOSSARY TERM '{term}' DESCRIPTION 'The {described} measure'");
        await using var owner = await fixture.OpenAsync(s.Owner);
        await owner.ExecAsync($"CREATE ASSET {s.Producer}.tagged FROM 'data/sales.parquet' DESCRIPTION 'Nothing here' TERMS ('{term}')");
        await owner.ExecAsync($"PUBLISH ASSET {s.Producer}.tagged");

        await using var outsider = await fixture.OpenAsync(s.Outsider);
        var hits = await outsider.QueryAsync($"SEARCH CATALOG '{term.ToLowerInvariant()}'");
        var row = hits.Single("asset", "tagged");
        Assert.Equal(term, row["terms"]);
        Assert.Equal(s.Producer, row["project"]);
        // The term's description is searchable too.
        Assert.Single((await outsider.QueryAsync($"SEARCH CATALOG '{described}'")).RowsWhere("asset", "tagged"));
        Assert.Equal(1L, (await outsider.QueryAsync("SHOW GLOSSARY")).Single("term", term)["assets"]);

        await owner.ExecAsync($"ALTER ASSET {s.Producer}.tagged SET TERMS ()");
        Assert.Empty((await outsider.QueryAsync($"SEARCH CATALOG '{term}'")).RowsWhere("asset", "tagged"));
    }

    [Fact]
    public async Task Unpublished_inventory_is_visible_to_members_only()
    {
        var s = await Scenario.CreateAsync(fixture);
        var word = "draftword" + s.Suffix;
        await using var owner = await fixture.OpenAsync(s.Owner);
        await owner.ExecAsync($"CREATE ASSET {s.Producer}.secret_draft FROM 'data/sales.parquet' DESCRIPTION 'A {word} in progress'");

        foreach (var user in new[] { s.Outsider, s.Contributor, "bob" })
        {
            await using var c = await fixture.OpenAsync(user);
            Assert.Empty((await c.QueryAsync($"SEARCH CATALOG '{word}'")).Rows);
            Assert.Empty((await c.QueryAsync($"SEARCH CATALOG 'secret_draft'")).RowsWhere("project", s.Producer));
        }
        foreach (var user in new[] { s.ProducerViewer, s.Owner, "carol" })
        {
            await using var c = await fixture.OpenAsync(user);
            var row = (await c.QueryAsync($"SEARCH CATALOG '{word}'")).Single("asset", "secret_draft");
            Assert.Equal("inventory", row["status"]);
            Assert.Null(row["latest_revision"]);
        }

        await owner.ExecAsync($"PUBLISH ASSET {s.Producer}.secret_draft");
        await using var outsider = await fixture.OpenAsync(s.Outsider);
        Assert.Equal("published", (await outsider.QueryAsync($"SEARCH CATALOG '{word}'")).Single("asset", "secret_draft")["status"]);
    }

    private static List<string> Ranking(AdminRows hits) =>
        hits.Rows.Select(r => $"{r[hits.IndexOf("project")]}.{r[hits.IndexOf("asset")]}={r[hits.IndexOf("score")]}").ToList();

    /// <summary>
    /// Issue 14, item 6: bm25 counts how many indexed assets hold each word, so an index that holds unpublished assets
    /// lets their words move everyone's scores. The same search returns the same rows and scores before and after an
    /// unpublished asset is created, for everyone who cannot see it; the probe shows the all-assets index (what a
    /// domain admin ranks over, and what every search used before) does move.
    /// </summary>
    [Fact]
    public async Task Scores_do_not_move_when_an_unpublished_asset_is_created()
    {
        var s = await Scenario.CreateAsync(fixture);
        var word = "zorb" + s.Suffix;
        await using var owner = await fixture.OpenAsync(s.Owner);
        await owner.ExecAsync($"CREATE ASSET {s.Producer}.first FROM 'data/sales.parquet' DESCRIPTION 'The {word} figures'");
        await owner.ExecAsync($"CREATE ASSET {s.Producer}.second FROM 'data/sales.parquet' DESCRIPTION 'Other figures' METADATA (topic = '{word}')");
        await owner.ExecAsync($"PUBLISH ASSET {s.Producer}.first");
        await owner.ExecAsync($"PUBLISH ASSET {s.Producer}.second");
        await using var outsider = await fixture.OpenAsync(s.Outsider);
        await using var bob = await fixture.OpenAsync("bob");
        await using var viewer = await fixture.OpenAsync(s.ProducerViewer);
        await using var carol = await fixture.OpenAsync("carol");
        var text = $"SEARCH CATALOG '{word} figures'";
        var before = new[] { outsider, bob, viewer }.Select(c => c.QueryAsync(text)).ToList();
        var outsiderBefore = Ranking(await before[0]);
        var bobBefore = Ranking(await before[1]);
        var viewerBefore = Ranking(await before[2]);
        var adminBefore = Ranking(await carol.QueryAsync(text));
        Assert.Equal(2, outsiderBefore.Count(r => r.StartsWith(s.Producer + ".", StringComparison.Ordinal)));

        // An unpublished asset full of the searched words, in a project the outsider and bob do not belong to.
        await owner.ExecAsync($"CREATE ASSET {s.Producer}.draft FROM 'data/sales.parquet' DESCRIPTION '{word} {word} {word} figures figures' " +
            $"METADATA (topic = '{word}')");

        Assert.Equal(outsiderBefore, Ranking(await outsider.QueryAsync(text)));
        Assert.Equal(bobBefore, Ranking(await bob.QueryAsync(text)));
        // A member sees the draft too; the published assets keep their scores (they are ranked among published ones).
        var viewerAfter = Ranking(await viewer.QueryAsync(text));
        Assert.Contains(viewerAfter, r => r.StartsWith($"{s.Producer}.draft=", StringComparison.Ordinal));
        Assert.Equal(viewerBefore, viewerAfter.Where(r => !r.StartsWith($"{s.Producer}.draft=", StringComparison.Ordinal)).ToList());

        // The probe: ranked over every asset, the same published assets' scores move.
        var adminAfter = Ranking(await carol.QueryAsync(text)).Where(r => !r.StartsWith($"{s.Producer}.draft=", StringComparison.Ordinal)).ToList();
        Assert.Equal(adminBefore.Count, adminAfter.Count);
        Assert.NotEqual(adminBefore, adminAfter);
    }

    [Fact]
    public async Task Demo_draft_is_hidden_from_bob_but_not_alice()
    {
        await using var bob = await fixture.OpenAsync("bob");
        Assert.Empty((await bob.QueryAsync("SEARCH CATALOG 'forecast'")).RowsWhere("asset", "draft_forecast"));
        await bob.FailsAsync("DESCRIBE ASSET marketing.draft_forecast", "42704");
        await using var alice = await fixture.OpenAsync("alice");
        Assert.Single((await alice.QueryAsync("SEARCH CATALOG 'forecast'")).RowsWhere("asset", "draft_forecast"));
    }

    [Fact]
    public async Task Search_text_cannot_inject_fts_syntax()
    {
        await using var bob = await fixture.OpenAsync("bob");
        foreach (var text in new[] { "\"", "sales\" OR \"x", "NEAR(sales revenue)", "name:sales", "*", "sales -- ", "'; DROP TABLE assets; --", "" })
        {
            var hits = await bob.QueryAsync($"SEARCH CATALOG {AdminSql.Quote(text)}");
            Assert.All(hits.Column("status"), status => Assert.Equal("published", status));
        }
        Assert.NotEmpty((await bob.QueryAsync("SEARCH CATALOG 'sales'")).Rows);
    }
}
