using DataMesh.Gateway.Catalog.Model;
using DataMesh.Gateway.Catalog.Store;
using DataMesh.Gateway.Sql.Admin;

namespace DataMesh.Gateway.Admin.Commands;

/// <summary>
/// The glossary: terms in the domain's glossary (domain admins edit them) or a project's (its owners do), each optionally
/// under a broader parent term (never in a cycle); terms on assets and on single columns; editing, renaming (assets follow)
/// and dropping (2BP01 while assets, columns or narrower terms use it, unless CASCADE).
/// </summary>
internal static class GlossaryCommands
{
    public static AdminResult CreateTerm(AdminContext ctx, CreateGlossaryTerm s)
    {
        RequireEditor(ctx, s.OwnerProject, "define glossary terms");
        ctx.Change(w =>
        {
            if (w.GetTerm(s.Term) is not null) throw AdminErrors.Duplicate("glossary term", s.Term);
            if (s.OwnerProject is { } owner && w.GetProject(owner) is null) throw AdminErrors.Unknown("project", owner);
            var parent = s.Parent is null ? null : (w.GetTerm(s.Parent) ?? throw AdminErrors.Unknown("glossary term", s.Parent)).Term;
            w.InsertTerm(new GlossaryTermRecord(s.Term, s.Description, ctx.Now) { Parent = parent, OwnerProject = s.OwnerProject });
        });
        return AdminResult.Done("CREATE GLOSSARY TERM");
    }

    public static AdminResult AlterTerm(AdminContext ctx, AlterGlossaryTerm s)
    {
        var term = ctx.Read(r => r.GetTerm(s.Term)) ?? throw AdminErrors.Unknown("glossary term", s.Term);
        RequireEditor(ctx, term.OwnerProject, $"change glossary term \"{term.Term}\"");
        ctx.Change(w =>
        {
            var current = w.GetTerm(s.Term) ?? throw AdminErrors.Unknown("glossary term", s.Term);
            var parent = current.Parent;
            if (s.SetParent)
            {
                parent = s.Parent is null ? null : (w.GetTerm(s.Parent) ?? throw AdminErrors.Unknown("glossary term", s.Parent)).Term;
                RequireNoCycle(w, current.Term, parent);
            }
            w.UpdateTerm(current with { Description = s.SetDescription ? s.Description : current.Description, Parent = parent });
        });
        return AdminResult.Done("ALTER GLOSSARY TERM");
    }

    public static void RenameTerm(AdminContext ctx, string oldName, string newName)
    {
        var term = ctx.Read(r => r.GetTerm(oldName)) ?? throw AdminErrors.Unknown("glossary term", oldName);
        RequireEditor(ctx, term.OwnerProject, $"rename glossary term \"{term.Term}\"");
        ctx.Change(w =>
        {
            // Terms are unique case-insensitively: 'sales' may become 'Sales', but not another term's name.
            if (w.GetTerm(newName) is { } other && !other.Term.Equals(term.Term, StringComparison.OrdinalIgnoreCase)) throw AdminErrors.Duplicate("glossary term", newName);
            w.RenameTerm(term.Term, newName);
            foreach (var asset in w.Assets().Where(a => Uses(a, term.Term)))
            {
                string Renamed(string t) => t.Equals(term.Term, StringComparison.OrdinalIgnoreCase) ? newName : t;
                w.UpdateAsset(asset with
                {
                    Terms = asset.Terms.Select(Renamed).ToList(),
                    ColumnTerms = asset.ColumnTerms.ToDictionary(c => c.Key, c => (IReadOnlyList<string>)c.Value.Select(Renamed).ToList()),
                });
            }
        });
    }

    public static AdminResult DropTerm(AdminContext ctx, DropGlossaryTerm s)
    {
        var term = ctx.Read(r => r.GetTerm(s.Term)) ?? throw AdminErrors.Unknown("glossary term", s.Term);
        RequireEditor(ctx, term.OwnerProject, $"drop glossary term \"{term.Term}\"");
        var notices = new List<AdminNotice>();
        ctx.Change(w =>
        {
            var current = w.GetTerm(s.Term) ?? throw AdminErrors.Unknown("glossary term", s.Term);
            var plan = new DropPlan(w, ctx.Now);
            plan.AddTerm(current);
            if (!plan.IsEmpty && !s.Cascade) throw plan.Refusal($"glossary term '{current.Term}'", "DROP GLOSSARY TERM");
            if (!plan.IsEmpty) notices.Add(plan.Notice());
            plan.Execute(w, ctx);
        });
        return AdminResult.Done("DROP GLOSSARY TERM") with { Notices = notices };
    }

    public static AdminResult ShowGlossary(AdminContext ctx, ShowGlossary _)
    {
        var (terms, assets) = ctx.Read(r => (r.Terms(), r.Assets()));
        return new AdminResult(
            [new("term"), new("description"), new("assets", AdminColumnType.BigInt), new("parent"), new("owner_project")],
            terms.Select(t => new object?[]
            {
                t.Term, t.Description, (long)assets.Count(a => AssetVisibility.CanSee(ctx, a) && Uses(a, t.Term)), t.Parent, t.OwnerProject,
            }).ToList(),
            $"SHOW GLOSSARY {terms.Count}");
    }

    /// <summary>The terms as the glossary spells them; 42704 for one it does not have.</summary>
    public static List<string> CheckTerms(AdminContext ctx, IReadOnlyList<string> terms)
    {
        var known = ctx.Read(r => r.Terms());
        return terms.Select(t => known.FirstOrDefault(k => k.Term.Equals(t, StringComparison.OrdinalIgnoreCase))?.Term
            ?? throw AdminErrors.Unknown("glossary term", t)).Distinct().ToList();
    }

    /// <summary>ALTER ASSET … SET COLUMN c TERMS (…): the column's terms (an empty list clears them).</summary>
    public static AssetRecord SetColumnTerms(AdminContext ctx, AssetRecord a, string column, IReadOnlyList<string> terms)
    {
        var match = a.Schema.FirstOrDefault(c => c.Name.Equals(column, StringComparison.OrdinalIgnoreCase))
            ?? throw AdminErrors.Unknown($"column of asset {a.QualifiedName}", column);
        var checkedTerms = CheckTerms(ctx, terms);
        var columns = a.ColumnTerms.ToDictionary(c => c.Key, c => c.Value);
        if (checkedTerms.Count == 0) columns.Remove(match.Name);
        else columns[match.Name] = checkedTerms;
        return a with { ColumnTerms = columns };
    }

    /// <summary>Whether the asset or one of its columns carries the term.</summary>
    public static bool Uses(AssetRecord a, string term) =>
        a.Terms.Contains(term, StringComparer.OrdinalIgnoreCase) || a.ColumnTerms.Values.Any(t => t.Contains(term, StringComparer.OrdinalIgnoreCase));

    /// <summary>A domain term is edited by domain admins; a project's term by the project's owners (and domain admins).</summary>
    private static void RequireEditor(AdminContext ctx, string? ownerProject, string action)
    {
        if (ownerProject is null) Permissions.RequireDomainAdmin(ctx, action);
        else Permissions.RequireRole(ctx, ownerProject, MemberRole.Owner, action);
    }

    private static void RequireNoCycle(ICatalogReader r, string term, string? parent)
    {
        for (var at = parent; at is not null; at = r.GetTerm(at)?.Parent)
            if (at.Equals(term, StringComparison.OrdinalIgnoreCase))
                throw AdminErrors.Invalid($"glossary term '{term}' cannot be placed under '{parent}': that would make a cycle");
    }
}
