using System.Globalization;
using DataMesh.Gateway.Catalog.Model;

namespace DataMesh.Gateway.Tests.Catalog;

/// <summary>One admin command to run: its text, the user who runs it, and whether (when it succeeds) it changes
/// nothing a snapshot holds, so the snapshot must stay the same object.</summary>
internal sealed record AdminStep(string User, string Sql, bool SnapshotUnchanged = false);

/// <summary>
/// Random admin commands over a small mesh, covering every kind of change the catalog records: users (create, password,
/// drop, domain admin), groups (create, drop, members), projects and members (users and groups, every role), glossary
/// terms, accounts (associate, accept), profiles, assets (create, alter, publish, unpublish, a file whose schema grew), subscriptions
/// (request, approve with filters, columns, masks and expiry, add columns, reject, revoke) and the domain's name. Names
/// are drawn mostly from what exists, so most commands succeed; the rest fail and must change nothing.
/// </summary>
internal sealed record CatalogWorld(IReadOnlyList<string> Users, IReadOnlyList<string> Groups, IReadOnlyList<string> Projects,
    IReadOnlyList<AssetRecord> Assets, IReadOnlyList<SubscriptionRecord> Subscriptions)
{
    public static CatalogWorld Read(DataMesh.Gateway.Catalog.Store.ICatalogReader r) =>
        new(r.Users().Select(u => u.Name).Where(n => n != "carol").ToList(), r.Groups().Select(g => g.Name).ToList(),
            r.Projects().Select(p => p.Name).ToList(), r.Assets(), r.Subscriptions());
}

internal sealed class RandomAdminCommands(Random random, string accountRoot)
{
    public static readonly string[] ProjectNames = ["p0", "p1", "p2", "p3", "p4"];
    private static readonly string[] Users = ["u0", "u1", "u2", "u3"];
    private static readonly string[] Groups = ["g0", "g1"];
    private static readonly string[] Assets = ["a0", "a1", "a2"];
    private static readonly string[] Roles = ["VIEWER", "CONTRIBUTOR", "OWNER"];
    private int _terms;
    private int _accounts;

    /// <summary>A project's data file gained a column (the next PUBLISH makes a revision that withholds it from grants).</summary>
    public Action<string>? GrowFile { get; init; }

    /// <summary>
    /// Writes the Parquet file the commands' assets are created over: ten rows of id, region, email and day, and with
    /// <paramref name="grown"/> a phone column as well (the file "whose schema grew").
    /// </summary>
    public static void WriteProjectFile(string path, bool grown)
    {
        using var duck = new DuckDB.NET.Data.DuckDBConnection("DataSource=:memory:");
        duck.Open();
        using var cmd = duck.CreateCommand();
        var phone = grown ? ", '555-' || i AS phone" : "";
        cmd.CommandText = $"COPY (SELECT i::BIGINT AS id, 'r' || (i % 3) AS region, 'u' || i || '@x' AS email, DATE '2024-01-01' + i::INTEGER AS day{phone} " +
                          $"FROM range(10) t(i)) TO '{path.Replace("'", "''", StringComparison.Ordinal)}' (FORMAT parquet)";
        cmd.ExecuteNonQuery();
    }

    /// <summary>The next command, drawn mostly from what exists in <paramref name="world"/> (read from the store).</summary>
    public AdminStep Next(CatalogWorld world)
    {
        var projects = world.Projects;
        var subscriptions = world.Subscriptions;
        T Mostly<T>(IReadOnlyList<T> existing, IReadOnlyList<T> any) => existing.Count > 0 && random.Next(6) > 0 ? Pick(existing) : Pick(any);
        string P() => Mostly(projects, ProjectNames);
        string NewP() => Mostly(ProjectNames.Except(projects).ToList(), ProjectNames);
        string U() => Mostly(world.Users, Users);
        string NewU() => Mostly(Users.Except(world.Users).ToList(), Users);
        string G() => Mostly(world.Groups, Groups);
        string NewG() => Mostly(Groups.Except(world.Groups).ToList(), Groups);
        string A() => Mostly(world.Assets.Select(x => x.QualifiedName).ToList(), [$"{P()}.{Pick(Assets)}"]);
        string NewA() => $"{P()}.{Pick(Assets)}";
        string Published() => Mostly(world.Assets.Where(x => x.Published).Select(x => x.QualifiedName).ToList(), [A()]);
        long S() => subscriptions.Count > 0 && random.Next(8) > 0 ? Pick(subscriptions).Id : random.Next(1, 40);
        var pending = subscriptions.Where(s => s.StoredStatus == SubscriptionStatus.Pending).ToList();
        long Pending() => pending.Count > 0 && random.Next(8) > 0 ? Pick(pending).Id : S();
        var approved = subscriptions.Where(s => s.StoredStatus == SubscriptionStatus.Approved).ToList();
        long Approved() => approved.Count > 0 && random.Next(8) > 0 ? Pick(approved).Id : S();

        // A young catalog first gets the principals and projects the other commands need.
        if (projects.Count < 3 && random.Next(2) == 0) return new("carol", $"CREATE PROJECT {NewP()} ACCOUNT acct PROFILE prof");
        if (world.Users.Count < 2 && random.Next(2) == 0) return new("carol", $"CREATE USER {NewU()} PASSWORD 'pw'");
        if (world.Groups.Count < 1 && random.Next(2) == 0) return new("carol", $"CREATE GROUP {NewG()}");
        if (world.Assets.Count < 4 && random.Next(2) == 0) return new("carol", $"CREATE ASSET {NewA()} FROM 'data.parquet'");
        switch (random.Next(31))
        {
            case 0: return new("carol", $"CREATE USER {NewU()} PASSWORD 'pw{random.Next(100)}'");
            case 1: return new("carol", $"ALTER USER {U()} PASSWORD 'pw{random.Next(100)}'");
            case 2: return new("carol", $"DROP USER {U()}");
            case 3: return new("carol", random.Next(2) == 0 ? $"GRANT DOMAIN ADMIN TO {U()}" : $"REVOKE DOMAIN ADMIN FROM {U()}");
            case 4: return new("carol", $"CREATE GROUP {NewG()}");
            case 5: return new("carol", $"DROP GROUP {G()}");
            case 6: case 7: return new("carol", $"ALTER GROUP {G()} {(random.Next(3) > 0 ? "ADD" : "DROP")} USER {U()}");
            case 8: return new("carol", $"CREATE PROJECT {NewP()} ACCOUNT acct PROFILE prof DESCRIPTION 'project {random.Next(10)}'");
            case 9: case 10: return new("carol", $"ADD MEMBER {U()} TO PROJECT {P()} AS {Pick(Roles)}");
            case 11: return new("carol", $"ADD MEMBER GROUP {G()} TO PROJECT {P()} AS {Pick(Roles)}");
            case 12: return new("carol", random.Next(2) == 0 ? $"REMOVE MEMBER {U()} FROM PROJECT {P()}" : $"REMOVE MEMBER GROUP {G()} FROM PROJECT {P()}");
            case 13: return new("carol", $"CREATE GLOSSARY TERM 'term{_terms++}' DESCRIPTION 'a term'", SnapshotUnchanged: true);
            case 14:
                var location = Directory.CreateDirectory(Path.Combine(Path.GetDirectoryName(accountRoot)!, "extra_" + _accounts)).FullName;
                // Accounts are in snapshots (an object-store account's connection is read at query time): a new one or
                // its acceptance is a change, and stamps every project on it.
                if (_accounts > 0 && random.Next(3) == 0) return new("carol", $"ACCEPT ACCOUNT acct_{random.Next(_accounts)}");
                return new("carol", $"ASSOCIATE ACCOUNT acct_{_accounts++} LOCATION '{location}' ADMIN carol");
            case 15: return new("carol", $"CREATE PROJECT PROFILE prof_{random.Next(1000)} BLUEPRINTS (query_limits WITH (memory = '1GB'))", SnapshotUnchanged: true);
            case 16: case 17: return new("carol", $"CREATE ASSET {NewA()} FROM '{(random.Next(3) == 0 ? "wide" : "data")}.parquet' DESCRIPTION 'asset' METADATA (k = 'v{random.Next(5)}')");
            case 18: return new("carol", $"ALTER ASSET {A()} SET DESCRIPTION 'changed {random.Next(100)}'");
            case 19: return new("carol", $"ALTER ASSET {A()} SET COLUMN region DESCRIPTION 'region {random.Next(100)}'");
            case 20: case 21: return new("carol", $"PUBLISH ASSET {A()}");
            case 22: return new("carol", $"UNPUBLISH ASSET {A()}");
            case 23: case 24:
                return new("carol", $"REQUEST SUBSCRIPTION TO {Published()} FOR PROJECT {P()} JUSTIFICATION 'why {random.Next(100)}'", SnapshotUnchanged: true);
            case 25: case 26: return new("carol", $"APPROVE SUBSCRIPTION {Pending()}{ApprovalClauses()}");
            case 27: return new("carol", $"REJECT SUBSCRIPTION {Pending()}", SnapshotUnchanged: true);
            case 28: return new("carol", $"REVOKE SUBSCRIPTION {Approved()} COMMENT 'revoked {random.Next(100)}'");
            case 29: return new("carol", $"APPROVE SUBSCRIPTION {Approved()} ADD COLUMNS (phone)");
            default:
                if (random.Next(2) == 0) return new("carol", $"ALTER DOMAIN RENAME TO mesh_{random.Next(100)}", SnapshotUnchanged: true);
                GrowFile?.Invoke(P());
                return new("carol", $"PUBLISH ASSET {A()}");
        }
    }

    private string ApprovalClauses()
    {
        var clauses = new List<string>();
        if (random.Next(2) == 0) clauses.Add($"WITH ROW FILTER (region = 'r{random.Next(3)}')");
        switch (random.Next(3))
        {
            case 0: clauses.Add("INCLUDE COLUMNS (id, region, email)"); break;
            case 1: clauses.Add("EXCLUDE COLUMNS (email)"); break;
        }
        if (random.Next(3) == 0) clauses.Add("MASK COLUMNS (region USING HASH)");
        if (random.Next(3) == 0) clauses.Add($"EXPIRES IN INTERVAL '{random.Next(1, 90).ToString(CultureInfo.InvariantCulture)} days'");
        return clauses.Count == 0 ? "" : " " + string.Join(" ", clauses.OrderBy(_ => random.Next()));
    }

    private T Pick<T>(IReadOnlyList<T> items) => items[random.Next(items.Count)];
}
