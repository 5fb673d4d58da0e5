using DataMesh.Gateway.Admin.Commands;
using DataMesh.Gateway.Catalog.Store;
using DataMesh.Gateway.Protocol.Errors;
using DataMesh.Gateway.Sql.Admin;

namespace DataMesh.Gateway.Admin;

/// <summary>
/// Executes one admin statement and records it in the audit log: a successful change is audited in its own
/// transaction; reads and failures are appended afterwards (a failure rolled its transaction back first).
/// </summary>
public sealed class AdminExecutor(AdminServices services)
{
    public AdminServices Services { get; } = services;

    /// <param name="statementOffset">Where the statement starts in the query text, for error positions.</param>
    public AdminResult Execute(AdminStatement statement, string user, string database, string redactedText, int statementOffset = 0) =>
        Execute(statement, new AdminCaller(user), database, redactedText, statementOffset);

    /// <param name="export">The caller's session, for commands that write data products from governed queries.</param>
    public AdminResult Execute(AdminStatement statement, AdminCaller caller, string database, string redactedText, int statementOffset = 0,
        IQueryExport? export = null)
    {
        var ctx = new AdminContext(caller, database, redactedText, Services) { Command = statement.Tag, Export = export };
        try
        {
            var result = Dispatch(ctx, statement, statementOffset);
            if (!ctx.Audited) Services.Catalog.Store.AppendAudit(ctx.Audit("ok", null, null));
            return result;
        }
        catch (PgErrorException e)
        {
            Services.Catalog.Store.AppendAudit(ctx.Audit("error", e.SqlState, e.Message));
            throw;
        }
        catch (CatalogStoreException e)
        {
            // The change was rolled back whole and the snapshot still holds the last committed state. Its audit
            // record is attempted, but on a full disk it cannot be written either: the client's error is the record.
            var error = StoreFaults.Translate(e);
            try
            {
                Services.Catalog.Store.AppendAudit(ctx.Audit("error", error.SqlState, error.Message));
            }
            catch (CatalogStoreException)
            {
            }
            throw error;
        }
    }

    /// <summary>
    /// Runs every check of <paramref name="statement"/> as the caller, without approving: the portal's preview of what
    /// the consumer would see. Errors are the command's own (same SQLSTATEs and messages); nothing is written, so
    /// nothing is audited (the preview's query is audited when it runs).
    /// </summary>
    public ApprovalProposal ProposeApproval(ApproveSubscription statement, AdminCaller caller, string database, string redactedText, int statementOffset = 0)
    {
        var ctx = new AdminContext(caller, database, redactedText, Services) { Command = statement.Tag };
        try
        {
            return SubscriptionCommands.Propose(ctx, statement, statementOffset);
        }
        catch (CatalogStoreException e)
        {
            throw StoreFaults.Translate(e);
        }
    }

    /// <summary>Records an admin command that could not even be parsed (42601), so the audit log shows every attempt.</summary>
    public void AuditRejected(string user, string database, string text, PgErrorException error) =>
        AuditRejected(new AdminCaller(user), database, text, error);

    public void AuditRejected(AdminCaller caller, string database, string text, PgErrorException error)
    {
        var ctx = new AdminContext(caller, database, text, Services) { Command = "UNPARSED ADMIN COMMAND" };
        try
        {
            Services.Catalog.Store.AppendAudit(ctx.Audit("error", error.SqlState, error.Message));
        }
        catch (CatalogStoreException)
        {
            // The client still gets its syntax error; the catalog cannot take the record now.
        }
    }

    private static AdminResult Dispatch(AdminContext ctx, AdminStatement statement, int offset) => statement switch
    {
        ShowDomain s => DomainCommands.Show(ctx, s),
        RenameDomain s => DomainCommands.Rename(ctx, s),
        CreateUser s => PrincipalCommands.CreateUser(ctx, s),
        AlterUserPassword s => PrincipalCommands.AlterUserPassword(ctx, s),
        DropUser s => PrincipalCommands.DropUser(ctx, s),
        ShowUsers s => PrincipalCommands.ShowUsers(ctx, s),
        GrantDomainAdmin s => PrincipalCommands.SetDomainAdmin(ctx, s.User, true),
        RevokeDomainAdmin s => PrincipalCommands.SetDomainAdmin(ctx, s.User, false),
        CreateGroup s => PrincipalCommands.CreateGroup(ctx, s),
        DropGroup s => PrincipalCommands.DropGroup(ctx, s),
        AlterGroupAddUser s => PrincipalCommands.AlterGroup(ctx, s.Group, s.User, add: true),
        AlterGroupDropUser s => PrincipalCommands.AlterGroup(ctx, s.Group, s.User, add: false),
        ShowGroups s => PrincipalCommands.ShowGroups(ctx, s),
        AssociateAccount s => AccountCommands.Associate(ctx, s),
        AcceptAccount s => AccountCommands.Accept(ctx, s),
        AlterAccountAdmin s => AccountCommands.AlterAdmin(ctx, s),
        AlterAccountCredentials s => AccountCommands.AlterCredentials(ctx, s),
        ShowAccounts s => AccountCommands.Show(ctx, s),
        ShowBlueprints s => ProjectCommands.ShowBlueprints(ctx, s),
        CreateBlueprint s => ProjectCommands.CreateBlueprint(ctx, s),
        CreateProjectProfile s => ProjectCommands.CreateProfile(ctx, s),
        ShowProjectProfiles s => ProjectCommands.ShowProfiles(ctx, s),
        CreateProject s => ProjectCommands.CreateProject(ctx, s),
        ShowProjects s => ProjectCommands.ShowProjects(ctx, s),
        DescribeProject s => ProjectDescription.Describe(ctx, s),
        AddMember s => ProjectCommands.AddMember(ctx, s),
        RemoveMember s => ProjectCommands.RemoveMember(ctx, s),
        ShowMembers s => ProjectCommands.ShowMembers(ctx, s),
        CreateGlossaryTerm s => AssetCommands.CreateTerm(ctx, s),
        ShowGlossary s => AssetCommands.ShowGlossary(ctx, s),
        CreateAsset s => AssetCommands.Create(ctx, s),
        CreateDataProduct s => ProductCommands.Create(ctx, s),
        AlterAssetColumnDescription s => AssetCommands.Alter(ctx, s.Name, a => AssetCommands.SetColumnDescription(a, s.Column, s.Description)),
        AlterAssetDescription s => AssetCommands.Alter(ctx, s.Name, a => a with { Description = s.Description }),
        AlterAssetTerms s => AssetCommands.Alter(ctx, s.Name, a => a with { Terms = AssetCommands.CheckTerms(ctx, s.Terms) }),
        AlterAssetMetadata s => AssetCommands.Alter(ctx, s.Name, a => a with { Metadata = new Dictionary<string, string>(s.Metadata) }),
        PublishAsset s => AssetCommands.Publish(ctx, s),
        UnpublishAsset s => AssetCommands.Unpublish(ctx, s),
        DescribeAsset s => AssetCommands.Describe(ctx, s),
        ShowAssets s => AssetCommands.Show(ctx, s),
        SearchCatalog s => AssetCommands.Search(ctx, s),
        RequestSubscription s => SubscriptionCommands.Request(ctx, s),
        ShowSubscriptionRequests s => SubscriptionCommands.ShowRequests(ctx, s),
        ApproveSubscription s => SubscriptionCommands.Approve(ctx, s, offset),
        ApproveSubscriptionColumns s => NewColumnCommands.ApproveAdded(ctx, s),
        RejectSubscription s => SubscriptionCommands.Reject(ctx, s),
        RevokeSubscription s => SubscriptionCommands.Revoke(ctx, s),
        ShowSubscriptions s => SubscriptionCommands.Show(ctx, s),
        ShowEffectivePolicy s => PolicyCommands.ShowEffective(ctx, s),
        ShowAudit s => AuditCommands.Show(ctx, s),
        _ => throw new PgErrorException(SqlState.FeatureNotSupported, $"{statement.Tag} is not supported"),
    };
}
