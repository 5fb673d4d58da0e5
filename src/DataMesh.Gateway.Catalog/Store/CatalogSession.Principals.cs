using DataMesh.Gateway.Catalog.Model;
using System.Data.Common;

namespace DataMesh.Gateway.Catalog.Store;

internal abstract partial class CatalogSession
{
    private const string UserColumns = "name, verifier, is_domain_admin, source, created_at, issuer, subject";

    private static UserRecord MapUser(DbDataReader r) =>
        new(PooledString(r, 0), NullableString(r, 1), r.GetInt64(2) != 0, PooledString(r, 3), ParseTime(r.GetString(4)), NullableString(r, 5), NullableString(r, 6));

    public UserRecord? GetUser(string name) =>
        Query($"SELECT {UserColumns} FROM users WHERE name = $n", MapUser, ("$n", name)).FirstOrDefault();

    public IReadOnlyList<UserRecord> Users() => Query($"SELECT {UserColumns} FROM users ORDER BY name", MapUser);

    public UserRecord? UserByIdentity(string issuer, string subject) =>
        Query($"SELECT {UserColumns} FROM users WHERE issuer = $i AND subject = $s", MapUser, ("$i", issuer), ("$s", subject)).FirstOrDefault();

    public int DomainAdminCount() => Scalar<int>("SELECT count(*) FROM users WHERE is_domain_admin = 1");

    public void InsertUser(UserRecord user)
    {
        Execute("INSERT INTO users (name, verifier, is_domain_admin, source, created_at, issuer, subject) VALUES ($n, $v, $a, $s, $t, $i, $u)",
            ("$n", user.Name), ("$v", user.Verifier), ("$a", user.IsDomainAdmin ? 1 : 0), ("$s", user.Source), ("$t", Time(user.CreatedAt)),
            ("$i", user.Issuer), ("$u", user.Subject));
        Changed(ChangeKinds.User, user.Name);
    }

    public void SetUserVerifier(string name, string verifier)
    {
        Execute("UPDATE users SET verifier = $v WHERE name = $n", ("$v", verifier), ("$n", name));
        Changed(ChangeKinds.User, name);
    }

    public void SetDomainAdmin(string name, bool isAdmin)
    {
        Execute("UPDATE users SET is_domain_admin = $a WHERE name = $n", ("$a", isAdmin ? 1 : 0), ("$n", name));
        Changed(ChangeKinds.User, name);
    }

    public void DeleteUser(string name)
    {
        // The memberships go with the user (group rows by cascade): the projects and groups they were in changed too.
        foreach (var project in Query("SELECT project FROM project_members WHERE principal = $n AND is_group = 0", r => r.GetString(0), ("$n", name)))
            Changed(ChangeKinds.Project, project);
        foreach (var group in Query("SELECT group_name FROM group_members WHERE user_name = $n", r => r.GetString(0), ("$n", name)))
            Changed(ChangeKinds.Group, group);
        Execute("DELETE FROM project_members WHERE principal = $n AND is_group = 0", ("$n", name));
        Execute("DELETE FROM users WHERE name = $n", ("$n", name));
        Changed(ChangeKinds.User, name);
    }

    public GroupRecord? GetGroup(string name)
    {
        var members = Query("SELECT user_name FROM group_members WHERE group_name = $g ORDER BY user_name", r => PooledString(r, 0), ("$g", name));
        return Query("SELECT name, created_at FROM groups WHERE name = $n", r => new GroupRecord(PooledString(r, 0), members, ParseTime(r.GetString(1))), ("$n", name))
            .FirstOrDefault();
    }

    public IReadOnlyList<GroupRecord> Groups()
    {
        var members = Query("SELECT group_name, user_name FROM group_members ORDER BY user_name", r => (PooledString(r, 0), PooledString(r, 1)))
            .ToLookup(p => p.Item1, p => p.Item2, StringComparer.Ordinal);
        return Query("SELECT name, created_at FROM groups ORDER BY name",
            r => new GroupRecord(PooledString(r, 0), members[r.GetString(0)].ToList(), ParseTime(r.GetString(1))));
    }

    public void InsertGroup(string name, DateTimeOffset at)
    {
        Execute("INSERT INTO groups (name, created_at) VALUES ($n, $t)", ("$n", name), ("$t", Time(at)));
        Changed(ChangeKinds.Group, name);
    }

    public void DeleteGroup(string name)
    {
        foreach (var project in Query("SELECT project FROM project_members WHERE principal = $n AND is_group = 1", r => r.GetString(0), ("$n", name)))
            Changed(ChangeKinds.Project, project);
        Execute("DELETE FROM project_members WHERE principal = $n AND is_group = 1", ("$n", name));
        Execute("DELETE FROM groups WHERE name = $n", ("$n", name));
        Changed(ChangeKinds.Group, name);
    }

    public void AddGroupMember(string group, string user)
    {
        Execute("INSERT INTO group_members (group_name, user_name) VALUES ($g, $u) ON CONFLICT DO NOTHING", ("$g", group), ("$u", user));
        Changed(ChangeKinds.Group, group);
    }

    public void RemoveGroupMember(string group, string user)
    {
        Execute("DELETE FROM group_members WHERE group_name = $g AND user_name = $u", ("$g", group), ("$u", user));
        Changed(ChangeKinds.Group, group);
    }

    private static AccountRecord MapAccount(DbDataReader r) => new(r.GetString(0), r.GetString(1), r.GetString(2),
        r.GetString(3) == "accepted" ? AccountStatus.Accepted : AccountStatus.Proposed, r.GetString(4), ParseTime(r.GetString(5)), NullableTime(r, 6))
    {
        ObjectStore = r.IsDBNull(7) ? null : FromJson<ObjectStoreRecord>(r.GetString(7)),
    };

    private const string AccountColumns = "name, location, admin, status, proposed_by, created_at, accepted_at, object_store";

    public AccountRecord? GetAccount(string name) =>
        Query($"SELECT {AccountColumns} FROM accounts WHERE name = $n", MapAccount, ("$n", name)).FirstOrDefault();

    public IReadOnlyList<AccountRecord> Accounts() => Query($"SELECT {AccountColumns} FROM accounts ORDER BY name", MapAccount);

    public void InsertAccount(AccountRecord a)
    {
        Execute("INSERT INTO accounts (name, location, admin, status, proposed_by, created_at, object_store) VALUES ($n, $l, $a, 'proposed', $p, $t, $o)",
            ("$n", a.Name), ("$l", a.Location), ("$a", a.Admin), ("$p", a.ProposedBy), ("$t", Time(a.CreatedAt)),
            ("$o", a.ObjectStore is null ? null : Json(a.ObjectStore)));
        Changed(ChangeKinds.Account, a.Name);
    }

    public void SetAccountObjectStore(string name, ObjectStoreRecord store)
    {
        Execute("UPDATE accounts SET object_store = $o WHERE name = $n", ("$o", Json(store)), ("$n", name));
        Changed(ChangeKinds.Account, name);
    }

    public void SetAccountAdmin(string name, string admin)
    {
        Execute("UPDATE accounts SET admin = $a WHERE name = $n", ("$a", admin), ("$n", name));
        Changed(ChangeKinds.Account, name);
    }

    public void AcceptAccount(string name, DateTimeOffset at)
    {
        Execute("UPDATE accounts SET status = 'accepted', accepted_at = $t WHERE name = $n", ("$t", Time(at)), ("$n", name));
        Changed(ChangeKinds.Account, name);
    }
}
