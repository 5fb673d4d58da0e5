using DataMesh.Gateway.Tests.Admin;

namespace DataMesh.Gateway.Tests.Lifecycle;

/// <summary>
/// Project-owned glossary terms with parents (edited, renamed, never in a cycle), terms on single columns, domain metadata
/// forms that PUBLISH checks, and an old revision's schema with the changes between revisions.
/// </summary>
[Collection(AdminCollection.Name)]
public sealed class GlossaryFormRevisionTests(AdminGatewayFixture fixture)
{
    [Fact]
    public async Task Project_owners_keep_a_glossary_of_their_own_with_narrower_terms_and_column_terms()
    {
        var s = await Scenario.CreateAsync(fixture);
        var broad = AdminSql.Unique("Money");
        var narrow = AdminSql.Unique("Takings");
        await using (var contributor = await fixture.OpenInAsync(s.ProducerContributor))
            await contributor.FailsAsync($"CREATE GLOSSARY TERM '{broad}' OWNER PROJECT {s.Producer}", "42501");
        await using var owner = await fixture.OpenInAsync(s.Owner);
        await owner.FailsAsync($"CREATE GLOSSARY TERM '{broad}'", "42501"); // the domain's glossary: domain admins only
        await owner.ExecAsync($"CREATE GLOSSARY TERM '{broad}' DESCRIPTION 'money' OWNER PROJECT {s.Producer}");
        await owner.ExecAsync($"CREATE GLOSSARY TERM '{narrow}' PARENT '{broad}' OWNER PROJECT {s.Producer}");
        var cycle = await owner.FailsAsync($"ALTER GLOSSARY TERM '{broad}' SET PARENT '{narrow}'", "22023");
        Assert.Equal($"glossary term '{broad}' cannot be placed under '{narrow}': that would make a cycle", cycle.MessageText);
        await owner.ExecAsync($"ALTER GLOSSARY TERM '{broad}' SET DESCRIPTION 'all money'");
        await using (var other = await fixture.OpenInAsync(s.Contributor))
            await other.FailsAsync($"ALTER GLOSSARY TERM '{broad}' SET DESCRIPTION 'mine'", "42501");

        await owner.ExecAsync($"ALTER ASSET {s.AssetName} SET COLUMN amount TERMS ('{narrow}')");
        await owner.FailsAsync($"ALTER ASSET {s.AssetName} SET COLUMN nope TERMS ('{narrow}')", "42704");
        await owner.FailsAsync($"ALTER ASSET {s.AssetName} SET COLUMN amount TERMS ('no such term')", "42704");
        var glossary = await owner.QueryAsync("SHOW GLOSSARY");
        Assert.Equal(("all money", 0L, null, s.Producer), ((string?)glossary.Single("term", broad)["description"], (long?)glossary.Single("term", broad)["assets"],
            (string?)glossary.Single("term", broad)["parent"], (string?)glossary.Single("term", broad)["owner_project"]));
        Assert.Equal((1L, broad), ((long?)glossary.Single("term", narrow)["assets"], (string?)glossary.Single("term", narrow)["parent"]));
        // A column's term finds the asset in search.
        Assert.Contains(s.Asset, (await owner.QueryAsync($"SEARCH CATALOG '{narrow}'")).Column("asset").Cast<string>());

        // A rename follows into the columns that carry the term.
        await owner.ExecAsync($"ALTER GLOSSARY TERM '{narrow}' RENAME TO '{narrow}_net'");
        glossary = await owner.QueryAsync("SHOW GLOSSARY");
        Assert.Equal(1L, glossary.Single("term", narrow + "_net")["assets"]);
        Assert.Empty(glossary.RowsWhere("term", narrow));
    }

    [Fact]
    public async Task Publish_checks_the_domains_metadata_forms()
    {
        var s = await Scenario.CreateAsync(fixture, publish: false);
        var form = AdminSql.Unique("form");
        var (steward, tier, refreshed) = (AdminSql.Unique("steward"), AdminSql.Unique("tier"), AdminSql.Unique("rows"));
        await using var carol = await fixture.OpenInAsync("carol");
        await using (var owner = await fixture.OpenInAsync(s.Owner))
            await owner.FailsAsync($"CREATE METADATA FORM {form} ({steward} TEXT REQUIRED)", "42501");
        await carol.ExecAsync($"CREATE METADATA FORM {form} ({steward} TEXT REQUIRED, {tier} ONE OF ('gold', 'silver'), {refreshed} INTEGER) DESCRIPTION 'stewardship'");
        try
        {
            var fields = await carol.QueryAsync("SHOW METADATA FORMS");
            Assert.Equal((form, "text", true), ((string?)fields.Single("field", steward)["form"], (string?)fields.Single("field", steward)["type"], (bool?)fields.Single("field", steward)["required"]));
            Assert.Equal("one of (gold, silver)", fields.Single("field", tier)["type"]);

            var missing = await carol.FailsAsync($"PUBLISH ASSET {s.AssetName}", "23502");
            Assert.Equal($"asset {s.AssetName} cannot be published: metadata field \"{steward}\" of form {form} is required", missing.MessageText);
            await carol.ExecAsync($"ALTER ASSET {s.AssetName} SET METADATA ({steward} = 'alice', {tier} = 'bronze')");
            await carol.FailsAsync($"PUBLISH ASSET {s.AssetName}", "23514");
            await carol.ExecAsync($"ALTER ASSET {s.AssetName} SET METADATA ({steward} = 'alice', {tier} = 'gold', {refreshed} = 'many')");
            await carol.FailsAsync($"PUBLISH ASSET {s.AssetName}", "22P02");
            await carol.ExecAsync($"ALTER ASSET {s.AssetName} SET METADATA ({steward} = 'alice', {tier} = 'gold', {refreshed} = '12')");
            await carol.ExecAsync($"PUBLISH ASSET {s.AssetName}");
        }
        finally
        {
            await carol.ExecAsync($"DROP METADATA FORM {form}"); // forms apply to every PUBLISH of the shared gateway
        }
        await carol.FailsAsync($"DROP METADATA FORM {form}", "42704");
    }

    [Fact]
    public async Task An_old_revisions_schema_and_the_changes_between_revisions_are_shown()
    {
        var s = await Scenario.CreateAsync(fixture);
        AdminSql.WriteParquet(Path.Combine(s.ProducerStorage, "data", "sales.parquet"),
            "SELECT region, CAST(amount AS DOUBLE) AS amount, sold_on, quantity, 'x' AS channel FROM (" + AdminSql.SalesSelect + ")");
        await using var carol = await fixture.OpenInAsync("carol");
        await carol.ExecAsync($"PUBLISH ASSET {s.AssetName}");

        var first = await carol.QueryAsync($"DESCRIBE ASSET {s.AssetName} REVISION 1");
        Assert.Equal(["region", "amount", "customer_email", "sold_on", "quantity"],
            first.RowsWhere("section", "column").Select(r => (string)r[1]!));
        Assert.Equal("DECIMAL(4,2)", first.RowsWhere("section", "column").Single(r => (string)r[1]! == "amount")[2]);

        var diff = await carol.QueryAsync($"DESCRIBE ASSET {s.AssetName} REVISION 2 DIFF");
        Assert.Equal(["column", "change", "before", "after"], diff.Columns);
        Assert.Equal(
            [("amount", "type changed", "DECIMAL(4,2)", "DOUBLE"), ("customer_email", "removed", "VARCHAR", null), ("channel", "added", null, "VARCHAR")],
            diff.Rows.Select(r => ((string)r[0]!, (string)r[1]!, (string?)r[2], (string?)r[3])).OrderBy(r => r.Item2).ToList()
                .OrderBy(r => r.Item2 == "type changed" ? 0 : r.Item2 == "removed" ? 1 : 2).ToList());
        Assert.Equal(3, (await carol.QueryAsync($"DESCRIBE ASSET {s.AssetName} REVISION 2 DIFF FROM 1")).Count);
        Assert.Empty((await carol.QueryAsync($"DESCRIBE ASSET {s.AssetName} REVISION 2 DIFF FROM 2")).Rows);
        await carol.FailsAsync($"DESCRIBE ASSET {s.AssetName} REVISION 2 DIFF FROM 0", "42601");
        await carol.FailsAsync($"DESCRIBE ASSET {s.AssetName} REVISION 3", "42704");
        await using var outsider = await fixture.OpenInAsync(s.Outsider);
        Assert.Equal(3, (await outsider.QueryAsync($"DESCRIBE ASSET {s.AssetName} REVISION 2 DIFF")).Count); // published: public metadata
    }
}
