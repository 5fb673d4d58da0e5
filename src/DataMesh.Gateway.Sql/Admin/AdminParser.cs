using System.Diagnostics.CodeAnalysis;
using DataMesh.Gateway.Sql.Lexing;

namespace DataMesh.Gateway.Sql.Admin;

/// <summary>
/// Recognises admin commands by their leading keywords and parses them into <see cref="AdminStatement"/> records.
/// Anything else (SELECT, SET, SHOW search_path, CREATE TABLE, DESCRIBE tbl...) is left for the engine.
/// </summary>
public static class AdminParser
{
    private sealed record Command(string[] Words, Func<TokenCursor, AdminStatement> Parse);

    // Leading phrases are matched in full: "SHOW MEMBERS" alone is not ours, because DuckDB's "SHOW tbl"
    // describes a table that may well be called members. No phrase is a prefix of another except
    // CREATE PROJECT [PROFILE], which ProjectGrammar disambiguates. The one-word listings (SHOW USERS, SHOW DOMAIN…)
    // do take over DuckDB's SHOW of a table with that name; SHOW "domain" or DESCRIBE domain still reaches the engine,
    // because only unquoted words match.
    private static readonly Command[] Commands =
    [
        new(["ASSOCIATE", "ACCOUNT"], PrincipalGrammar.AssociateAccount),
        new(["ACCEPT", "ACCOUNT"], c => new AcceptAccount(c.ExpectName("account name"))),
        new(["ALTER", "ACCOUNT"], PrincipalGrammar.AlterAccount),
        new(["SHOW", "DOMAIN"], _ => new ShowDomain()),
        new(["ALTER", "DOMAIN"], DomainGrammar.RenameDomain),
        new(["SHOW", "ACCOUNTS"], _ => new ShowAccounts()),
        new(["SHOW", "USERS"], _ => new ShowUsers()),
        new(["SHOW", "GROUPS"], _ => new ShowGroups()),
        new(["SHOW", "BLUEPRINTS"], _ => new ShowBlueprints()),
        new(["SHOW", "PROJECT", "PROFILES"], _ => new ShowProjectProfiles()),
        new(["SHOW", "PROJECTS"], _ => new ShowProjects()),
        new(["SHOW", "GLOSSARY"], _ => new ShowGlossary()),
        new(["SHOW", "AUDIT"], AuditGrammar.ShowAudit),
        new(["SHOW", "MEMBERS", "OF", "PROJECT"], c => new ShowMembers(c.ExpectName("project name"))),
        new(["SHOW", "ASSETS", "IN", "PROJECT"], c => new ShowAssets(c.ExpectName("project name"))),
        new(["SHOW", "SUBSCRIPTION", "REQUESTS"], _ => new ShowSubscriptionRequests()),
        new(["SHOW", "SUBSCRIPTIONS", "FOR", "PROJECT"], c => new ShowSubscriptions(c.ExpectName("project name"))),
        new(["SHOW", "EFFECTIVE", "POLICY"], SubscriptionGrammar.ShowEffectivePolicy),
        new(["CREATE", "USER"], PrincipalGrammar.CreateUser),
        new(["ALTER", "USER"], PrincipalGrammar.AlterUser),
        new(["DROP", "USER"], c => new DropUser(c.ExpectName("user name"))),
        new(["GRANT", "DOMAIN", "ADMIN"], PrincipalGrammar.GrantDomainAdmin),
        new(["REVOKE", "DOMAIN", "ADMIN"], PrincipalGrammar.RevokeDomainAdmin),
        new(["CREATE", "GROUP"], c => new CreateGroup(c.ExpectName("group name"))),
        new(["DROP", "GROUP"], c => new DropGroup(c.ExpectName("group name"))),
        new(["ALTER", "GROUP"], PrincipalGrammar.AlterGroup),
        new(["CREATE", "BLUEPRINT"], ProjectGrammar.CreateBlueprint),
        new(["CREATE", "PROJECT"], ProjectGrammar.CreateProjectOrProfile),
        new(["ADD", "MEMBER"], ProjectGrammar.AddMember),
        new(["REMOVE", "MEMBER"], ProjectGrammar.RemoveMember),
        new(["CREATE", "GLOSSARY", "TERM"], AssetGrammar.CreateGlossaryTerm),
        new(["CREATE", "ASSET"], AssetGrammar.CreateAsset),
        new(["ALTER", "ASSET"], AssetGrammar.AlterAsset),
        new(["PUBLISH", "ASSET"], c => new PublishAsset(c.ExpectAssetName())),
        new(["UNPUBLISH", "ASSET"], c => new UnpublishAsset(c.ExpectAssetName())),
        new(["DESCRIBE", "ASSET"], c => new DescribeAsset(c.ExpectAssetName())),
        new(["DESCRIBE", "PROJECT"], c => new DescribeProject(c.ExpectName("project name"))),
        new(["SEARCH", "CATALOG"], c => new SearchCatalog(c.ExpectString("search text (string literal)"))),
        new(["REQUEST", "SUBSCRIPTION"], SubscriptionGrammar.RequestSubscription),
        new(["APPROVE", "SUBSCRIPTION"], ApproveGrammar.ApproveSubscription),
        new(["REJECT", "SUBSCRIPTION"], SubscriptionGrammar.RejectSubscription),
        new(["REVOKE", "SUBSCRIPTION"], SubscriptionGrammar.RevokeSubscription),
    ];

    /// <summary>
    /// Returns true when the statement is an admin command (recognised by its leading keywords), with the parsed
    /// record; false when it is not an admin command at all. Throws <see cref="AdminSyntaxException"/> when it is
    /// an admin command but malformed, with the offset (relative to <see cref="SqlStatement.Text"/>) of the
    /// offending token, or the text's length when something is missing at the end.
    /// </summary>
    public static bool TryParse(SqlStatement statement, [NotNullWhen(true)] out AdminStatement? result)
    {
        ArgumentNullException.ThrowIfNull(statement);
        foreach (var command in Commands)
        {
            if (!statement.StartsWith(command.Words)) continue;
            var cursor = new TokenCursor(statement);
            cursor.Skip(command.Words.Length);
            result = command.Parse(cursor);
            cursor.ExpectEnd();
            return true;
        }
        result = null;
        return false;
    }
}
