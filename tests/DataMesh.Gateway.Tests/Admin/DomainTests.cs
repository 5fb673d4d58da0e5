namespace DataMesh.Gateway.Tests.Admin;

/// <summary>SHOW DOMAIN for everyone, ALTER DOMAIN RENAME TO for domain admins, through Npgsql.</summary>
[Collection(AdminCollection.Name)]
public sealed class DomainTests(AdminGatewayFixture fixture)
{
    [Fact]
    public async Task Show_domain_gives_everyone_the_name_and_counts_that_match_the_listings()
    {
        await using var bob = await fixture.OpenAsync("bob");
        var domain = await bob.QueryAsync("SHOW DOMAIN");
        Assert.Equal(["domain", "accounts", "projects", "published_assets", "users", "domain_admins", "approved_subscriptions", "pending_requests", "catalog_version"],
            domain.Columns);
        Assert.Equal(1, domain.Count);
        Assert.Equal("SELECT 1", domain.Tag);

        // The admin collection runs one test at a time, so nothing changes between these reads.
        await using var carol = await fixture.OpenAsync("carol");
        Assert.Equal((long)(await carol.QueryAsync("SHOW ACCOUNTS")).Count, domain.Get(0, "accounts"));
        Assert.Equal((long)(await carol.QueryAsync("SHOW PROJECTS")).Count, domain.Get(0, "projects"));
        var users = await carol.QueryAsync("SHOW USERS");
        Assert.Equal((long)users.Count, domain.Get(0, "users"));
        Assert.Equal((long)users.RowsWhere("domain_admin", true).Count, domain.Get(0, "domain_admins"));
        Assert.True((long)domain.Get(0, "published_assets")! >= 2); // the demo publishes mkt_sls_table and campaigns
        Assert.True((long)domain.Get(0, "catalog_version")! > 0);
    }

    [Fact]
    public async Task Show_domain_never_shows_the_mask_secret()
    {
        var secret = fixture.Host.Catalog.Catalog.Snapshot.MaskSecret;
        await using var carol = await fixture.OpenAsync("carol");
        var domain = await carol.QueryAsync("SHOW DOMAIN");
        Assert.DoesNotContain(domain.Rows[0], v => v is string s && s.Contains(secret, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Only_domain_admins_rename_the_domain_in_one_audited_change()
    {
        await using var carol = await fixture.OpenAsync("carol");
        var before = await carol.QueryAsync("SHOW DOMAIN");
        var name = (string)before.Get(0, "domain")!;

        await using var alice = await fixture.OpenAsync("alice");
        var e = await alice.FailsAsync("ALTER DOMAIN RENAME TO hijacked", "42501");
        Assert.Contains("domain admin role is required", e.MessageText);
        Assert.Equal(name, (await alice.QueryAsync("SHOW DOMAIN")).Get(0, "domain"));

        var renamed = "Mesh " + Guid.NewGuid().ToString("N")[..6];
        try
        {
            var result = await carol.QueryAsync($"ALTER DOMAIN RENAME TO \"{renamed}\"");
            Assert.Equal(renamed, result.Get(0, "domain"));
            Assert.Equal(name, result.Get(0, "previous_name"));
            var after = await alice.QueryAsync("SHOW DOMAIN");
            Assert.Equal(renamed, after.Get(0, "domain"));
            Assert.True((long)after.Get(0, "catalog_version")! > (long)before.Get(0, "catalog_version")!);

            var audit = await carol.QueryAsync("SHOW AUDIT LIMIT 20");
            var record = audit.Single("statement", $"ALTER DOMAIN RENAME TO \"{renamed}\"");
            Assert.Equal(("ALTER DOMAIN", "ok"), ((string?)record["command"], (string?)record["outcome"]));
            var refused = audit.Single("statement", "ALTER DOMAIN RENAME TO hijacked");
            Assert.Equal(("error", "42501"), ((string?)refused["outcome"], (string?)refused["sqlstate"]));
        }
        finally
        {
            await carol.ExecAsync($"ALTER DOMAIN RENAME TO \"{name}\"");
        }
    }

    [Fact]
    public async Task Malformed_renames_are_42601_with_a_position()
    {
        await using var carol = await fixture.OpenAsync("carol");
        var e = await carol.FailsAsync("ALTER DOMAIN RENAME TO \"\"", "42601");
        Assert.Equal("ALTER DOMAIN RENAME TO ".Length + 1, e.Position); // PostgreSQL positions are 1-based
        e = await carol.FailsAsync($"ALTER DOMAIN RENAME TO {new string('m', 64)}", "42601");
        Assert.Contains("63", e.MessageText);
        await carol.FailsAsync("ALTER DOMAIN SET NAME x", "42601");
        Assert.Equal("datamesh", (await carol.QueryAsync("SHOW DOMAIN")).Get(0, "domain"));
    }
}
