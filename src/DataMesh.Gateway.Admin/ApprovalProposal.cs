using DataMesh.Gateway.Catalog.Model;

namespace DataMesh.Gateway.Admin;

/// <summary>
/// A pending subscription as APPROVE SUBSCRIPTION would leave it (row filter validated, column lists resolved to the
/// asset's spelling, masks checked, expiry computed), and the columns the consumer would see. Nothing is stored.
/// </summary>
public sealed record ApprovalProposal(SubscriptionRecord Approved, IReadOnlyList<string> VisibleColumns);
