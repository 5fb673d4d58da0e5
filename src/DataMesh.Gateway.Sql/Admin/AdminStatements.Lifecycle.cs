namespace DataMesh.Gateway.Sql.Admin;

// Retiring, renaming, changing grants, asking for changes, following events, help, glossary hierarchy and metadata forms.

/// <summary>CASCADE drops (or revokes) what depends on the object; RESTRICT (the default) refuses while anything does.</summary>
public sealed record DropAsset(AssetName Name, bool Cascade) : AdminStatement { public override string Tag => "DROP ASSET"; }
public sealed record DropProject(string Name, bool Cascade) : AdminStatement { public override string Tag => "DROP PROJECT"; }
public sealed record DropProjectProfile(string Name, bool Cascade) : AdminStatement { public override string Tag => "DROP PROJECT PROFILE"; }
public sealed record DropBlueprint(string Name, bool Cascade) : AdminStatement { public override string Tag => "DROP BLUEPRINT"; }
public sealed record DropGlossaryTerm(string Term, bool Cascade) : AdminStatement { public override string Tag => "DROP GLOSSARY TERM"; }
public sealed record DisassociateAccount(string Name, bool Cascade) : AdminStatement { public override string Tag => "DISASSOCIATE ACCOUNT"; }

/// <summary>What ALTER … RENAME TO renames.</summary>
public enum RenameKind { Asset, Project, Profile, Blueprint, GlossaryTerm, Group, Account }

/// <summary>ALTER ASSET|PROJECT|PROJECT PROFILE|BLUEPRINT|GLOSSARY TERM|GROUP|ACCOUNT x RENAME TO y. For an asset, x is "project.asset".</summary>
public sealed record RenameObject(RenameKind Kind, string Name, string NewName) : AdminStatement
{
    public override string Tag => Kind switch
    {
        RenameKind.Asset => "ALTER ASSET",
        RenameKind.Project => "ALTER PROJECT",
        RenameKind.Profile => "ALTER PROJECT PROFILE",
        RenameKind.Blueprint => "ALTER BLUEPRINT",
        RenameKind.GlossaryTerm => "ALTER GLOSSARY TERM",
        RenameKind.Group => "ALTER GROUP",
        _ => "ALTER ACCOUNT",
    };
}

/// <summary>ALTER PROJECT p SET WEBHOOK 'url' | NONE (null).</summary>
public sealed record SetProjectWebhook(string Project, string? Url) : AdminStatement { public override string Tag => "ALTER PROJECT"; }

/// <summary>ALTER GLOSSARY TERM t SET DESCRIPTION '…' | SET PARENT p | SET PARENT NONE.</summary>
public sealed record AlterGlossaryTerm(string Term, string? Description, bool SetDescription, string? Parent, bool SetParent) : AdminStatement
{
    public override string Tag => "ALTER GLOSSARY TERM";
}

/// <summary>ALTER ASSET p.a SET COLUMN c TERMS (…): the column's glossary terms (an empty list clears them).</summary>
public sealed record AlterAssetColumnTerms(AssetName Name, string Column, IReadOnlyList<string> Terms) : AdminStatement { public override string Tag => "ALTER ASSET"; }

/// <summary>One field of CREATE METADATA FORM: its type (text, integer, number, boolean, date, choice) and whether it is required.</summary>
public sealed record FormFieldSpec(string Name, string Type, bool Required, IReadOnlyList<string>? Values);
public sealed record CreateMetadataForm(string Name, IReadOnlyList<FormFieldSpec> Fields, string? Description) : AdminStatement { public override string Tag => "CREATE METADATA FORM"; }
public sealed record DropMetadataForm(string Name) : AdminStatement { public override string Tag => "DROP METADATA FORM"; }
public sealed record ShowMetadataForms : AdminStatement { public override string Tag => "SHOW METADATA FORMS"; }

/// <summary>SET COLUMNS ALL (both null), INCLUDE (…) or EXCLUDE (…).</summary>
public sealed record GrantColumns(IReadOnlyList<string>? Include, IReadOnlyList<string>? Exclude);

/// <summary>SET EXPIRES 'timestamp' (At), IN INTERVAL '…' (In), or NEVER (both null).</summary>
public sealed record GrantExpiry(string? At, string? In);

/// <summary>
/// The changes of ALTER SUBSCRIPTION and REQUEST SUBSCRIPTION CHANGE; null members are left as they are. One model with
/// APPROVE SUBSCRIPTION: the server applies them to the grant's policy and validates the result exactly as an approval.
/// </summary>
public sealed record GrantChanges
{
    /// <summary>Set: the row filter changes, to <see cref="RowFilter"/> (null: no filter any more).</summary>
    public bool SetsRowFilter { get; init; }
    public SqlFragment? RowFilter { get; init; }
    public GrantColumns? Columns { get; init; }

    /// <summary>The grant's masks from now on (empty: none); null: unchanged.</summary>
    public IReadOnlyList<ColumnMask>? Masks { get; init; }
    public GrantExpiry? Expiry { get; init; }

    /// <summary>Columns a later revision added, approved now, with their masks.</summary>
    public IReadOnlyList<string>? AddColumns { get; init; }
    public IReadOnlyList<ColumnMask> AddMasks { get; init; } = [];
}

public sealed record AlterSubscription(long Id, GrantChanges Changes, string? Comment) : AdminStatement { public override string Tag => "ALTER SUBSCRIPTION"; }

/// <summary>REQUEST SUBSCRIPTION CHANGE n …: <see cref="ChangesText"/> is the changes as written, applied when an owner approves.</summary>
public sealed record RequestSubscriptionChange(long Id, GrantChanges Changes, string ChangesText, string Justification) : AdminStatement
{
    public override string Tag => "REQUEST SUBSCRIPTION CHANGE";
}

public sealed record DecideSubscriptionChange(long Id, bool Approve, string? Comment) : AdminStatement
{
    public override string Tag => Approve ? "APPROVE SUBSCRIPTION CHANGE" : "REJECT SUBSCRIPTION CHANGE";
}

public sealed record WithdrawSubscriptionChange(long Id) : AdminStatement { public override string Tag => "WITHDRAW SUBSCRIPTION CHANGE"; }
public sealed record ShowSubscriptionChanges : AdminStatement { public override string Tag => "SHOW SUBSCRIPTION CHANGES"; }
public sealed record WithdrawSubscriptionRequest(long Id) : AdminStatement { public override string Tag => "WITHDRAW SUBSCRIPTION REQUEST"; }

/// <summary>SHOW USAGE OF ASSET p.a [SINCE 'time'].</summary>
public sealed record ShowUsage(AssetName Asset, string? Since) : AdminStatement { public override string Tag => "SHOW USAGE"; }

/// <summary>SHOW EVENTS [LIMIT n]: the events concerning the caller.</summary>
public sealed record ShowEvents(int Limit) : AdminStatement { public override string Tag => "SHOW EVENTS"; }

/// <summary>HELP [words]: the command list, or the commands whose phrase starts with <see cref="Topic"/>.</summary>
public sealed record Help(string? Topic, int TopicOffset) : AdminStatement { public override string Tag => "HELP"; }
