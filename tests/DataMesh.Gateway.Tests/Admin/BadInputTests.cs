namespace DataMesh.Gateway.Tests.Admin;

/// <summary>Long names, quotes, Unicode and injection attempts: stored and shown back exactly, or refused cleanly.</summary>
[Collection(AdminCollection.Name)]
public sealed class BadInputTests(AdminGatewayFixture fixture)
{
    [Fact]
    public async Task Names_longer_than_63_characters_are_refused()
    {
        await using var carol = await fixture.OpenAsync("carol");
        var ok = "n" + Guid.NewGuid().ToString("N") + new string('x', 63 - 33);
        Assert.Equal(63, ok.Length);
        var tooLong = ok + "y";
        await carol.ExecAsync($"CREATE GROUP {ok}");
        Assert.Single((await carol.QueryAsync("SHOW GROUPS")).RowsWhere("group", ok));

        var sql = $"CREATE GROUP {tooLong}";
        var e = await carol.FailsAsync(sql, "42601");
        Assert.Equal(14, e.Position);
        Assert.Contains("too long", e.MessageText);
        await carol.FailsAsync($"CREATE USER {tooLong} PASSWORD 'x'", "42601");
        await carol.FailsAsync($"CREATE USER \"{tooLong}\" PASSWORD 'x'", "42601");
        await carol.FailsAsync($"CREATE PROJECT {tooLong} ACCOUNT acct_finance PROFILE sql_analytics", "42601");
        await carol.FailsAsync($"DESCRIBE ASSET marketing.{new string('a', 200)}", "42601");
        await carol.FailsAsync($"CREATE GROUP {new string('g', 10000)}", "42601");
        Assert.Empty((await carol.QueryAsync("SHOW GROUPS")).RowsWhere("group", tooLong));

        // Characters, not UTF-16 units or bytes, are counted.
        var emoji63 = string.Concat(Enumerable.Repeat("😀", 62)) + Guid.NewGuid().ToString("N")[..1];
        await carol.ExecAsync($"CREATE GROUP \"{emoji63}\"");
        Assert.Single((await carol.QueryAsync("SHOW GROUPS")).RowsWhere("group", emoji63));
        await carol.FailsAsync($"CREATE GROUP \"{emoji63}😀\"", "42601");
    }

    [Fact]
    public async Task Quoted_names_with_quotes_and_unicode_round_trip()
    {
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var quoted = $"it's \"quoted\" {suffix}";
        var unicode = $"Données ✓ 数据 {suffix}";
        await using var carol = await fixture.OpenAsync("carol");
        await carol.ExecAsync($"CREATE GROUP \"{quoted.Replace("\"", "\"\"")}\"");
        await carol.ExecAsync($"CREATE GROUP \"{unicode}\"");
        await carol.ExecAsync($"CREATE GROUP ÄRGER_{suffix}"); // unquoted: ASCII letters fold, others do not
        var groups = await carol.QueryAsync("SHOW GROUPS");
        Assert.Single(groups.RowsWhere("group", quoted));
        Assert.Single(groups.RowsWhere("group", unicode));
        Assert.Single(groups.RowsWhere("group", $"Ärger_{suffix}"));

        var user = $"O'Brien \"Bob\" ✓ {suffix}";
        await carol.ExecAsync($"CREATE USER \"{user.Replace("\"", "\"\"")}\" PASSWORD 'pässwörd ✓'");
        await carol.ExecAsync($"ALTER GROUP \"{unicode}\" ADD USER \"{user.Replace("\"", "\"\"")}\"");
        Assert.Equal(unicode, (await carol.QueryAsync("SHOW USERS")).Single("user", user)["groups"]);
        await using (var login = await fixture.OpenAsync(user, "pässwörd ✓"))
            Assert.Single((await login.QueryAsync("SHOW USERS")).RowsWhere("user", user));

        var term = $"Résumé ✓ 数据 '{suffix}'";
        await carol.ExecAsync($"CREATE GLOSSARY TERM {AdminSql.Quote(term)} DESCRIPTION 'Ünïcödé ✓'");
        Assert.Equal("Ünïcödé ✓", (await carol.QueryAsync("SHOW GLOSSARY")).Single("term", term)["description"]);
    }

    [Fact]
    public async Task String_literals_are_data_not_sql()
    {
        var s = await Scenario.CreateAsync(fixture);
        await using var owner = await fixture.OpenAsync(s.Owner);
        await using var carol = await fixture.OpenAsync("carol");
        var usersBefore = (await carol.QueryAsync("SHOW USERS")).Count;

        var values = new[]
        {
            "x'); DROP TABLE users; --",
            "Résumé ✓ 数据",
            "'; DELETE FROM assets WHERE '1'='1",
            "back\\slash \\' and \"double\" quotes",
            "line one\nline two\ttabbed",
            "/* not a comment */ -- nor this",
            "$$ dollar $$",
            new string('é', 20000),
        };
        foreach (var value in values)
        {
            await owner.ExecAsync($"ALTER ASSET {s.AssetName} SET DESCRIPTION {AdminSql.Quote(value)}");
            var described = await owner.QueryAsync($"DESCRIBE ASSET {s.AssetName}");
            Assert.Equal(value, described.Rows.Single(r => (string)r[0]! == "asset" && (string)r[1]! == "description")[2]);
            var shown = (await owner.QueryAsync($"SHOW ASSETS IN PROJECT {s.Producer}")).Single("asset", s.Asset);
            Assert.Equal(value, shown["description"]);
        }

        const string injection = "x'); DROP TABLE users; --";
        await owner.ExecAsync($"ALTER ASSET {s.AssetName} SET COLUMN region DESCRIPTION {AdminSql.Quote(injection)}");
        await owner.ExecAsync($"ALTER ASSET {s.AssetName} SET METADATA (note = {AdminSql.Quote(injection)}, \"odd key ✓\" = 'v')");
        var d = await owner.QueryAsync($"DESCRIBE ASSET {s.AssetName}");
        Assert.Equal(injection, d.Rows.Single(r => (string)r[0]! == "column" && (string)r[1]! == "region")[3]);
        Assert.Equal(injection, d.Rows.Single(r => (string)r[0]! == "metadata" && (string)r[1]! == "note")[2]);
        Assert.Equal("v", d.Rows.Single(r => (string)r[0]! == "metadata" && (string)r[1]! == "odd key ✓")[2]);

        // Dollar quotes and E'' escapes decode as PostgreSQL does.
        await owner.ExecAsync($"ALTER ASSET {s.AssetName} SET DESCRIPTION $q$it's $$ here$q$");
        Assert.Equal("it's $$ here", (await owner.QueryAsync($"SHOW ASSETS IN PROJECT {s.Producer}")).Single("asset", s.Asset)["description"]);
        await owner.ExecAsync($"ALTER ASSET {s.AssetName} SET DESCRIPTION E'tab\\there \\'q\\''");
        Assert.Equal("tab\there 'q'", (await owner.QueryAsync($"SHOW ASSETS IN PROJECT {s.Producer}")).Single("asset", s.Asset)["description"]);

        var justification = "need it'); UPDATE subscriptions SET status = 'approved'; --";
        var id = await s.RequestAsync(fixture, justification);
        Assert.Equal(justification, (await owner.QueryAsync("SHOW SUBSCRIPTION REQUESTS")).Single("subscription", id)["justification"]);
        await owner.ExecAsync($"REJECT SUBSCRIPTION {id} COMMENT {AdminSql.Quote(injection)}");
        var sub = (await carol.QueryAsync($"SHOW SUBSCRIPTIONS FOR PROJECT {s.Consumer}")).Single("subscription", id);
        Assert.Equal("rejected", sub["status"]);
        Assert.Equal(injection, sub["comment"]);

        // The catalog is unharmed.
        var users = await carol.QueryAsync("SHOW USERS");
        Assert.Equal(usersBefore, users.Count);
        Assert.Single(users.RowsWhere("user", "alice"));
        Assert.NotEmpty((await carol.QueryAsync("SEARCH CATALOG 'sales'")).Rows);
        Assert.Equal(3, (await carol.QueryAsync("SHOW ASSETS IN PROJECT marketing")).Count);
    }

    [Fact]
    public async Task Injection_in_names_is_refused_or_kept_as_a_name()
    {
        await using var carol = await fixture.OpenAsync("carol");
        var before = (await carol.QueryAsync("SHOW USERS")).Count;
        // Unquoted: the quote is not part of a name, so the statement is malformed.
        await carol.FailsAsync("DROP USER bob'; DROP TABLE users; --", "42601");
        await carol.FailsAsync("CREATE GROUP g); DROP TABLE users; --", "42601");
        // Quoted: the whole text is the name.
        var name = "Robert'); DROP TABLE users;-- " + Guid.NewGuid().ToString("N")[..6];
        await carol.ExecAsync($"CREATE USER \"{name}\" PASSWORD 'x'");
        var users = await carol.QueryAsync("SHOW USERS");
        Assert.Single(users.RowsWhere("user", name));
        Assert.Equal(before + 1, users.Count);
        await carol.ExecAsync($"DROP USER \"{name}\"");
        Assert.Equal(before, (await carol.QueryAsync("SHOW USERS")).Count);
        Assert.Single((await carol.QueryAsync("SHOW USERS")).RowsWhere("user", "bob"));
    }

    [Fact]
    public async Task Oversized_and_empty_values_are_refused_cleanly()
    {
        await using var carol = await fixture.OpenAsync("carol");
        var name = AdminSql.Unique("pw");
        await carol.FailsAsync($"CREATE USER {name} PASSWORD '{new string('p', 1025)}'", "22023");
        await carol.FailsAsync($"CREATE USER {name} PASSWORD ''", "22023");
        await carol.FailsAsync($"CREATE USER \"\" PASSWORD 'x'", "42601");
        Assert.Empty((await carol.QueryAsync("SHOW USERS")).RowsWhere("user", name));
        await carol.ExecAsync($"CREATE USER {name} PASSWORD '{new string('p', 1024)}'");
        Assert.Single((await carol.QueryAsync("SHOW USERS")).RowsWhere("user", name));
    }
}
