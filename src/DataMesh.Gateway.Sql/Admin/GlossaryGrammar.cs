namespace DataMesh.Gateway.Sql.Admin;

/// <summary>Glossary terms (with parents and owning projects) and metadata forms.</summary>
internal static class GlossaryGrammar
{
    /// <summary>CREATE GLOSSARY TERM 'Term' | term [DESCRIPTION '...'] [PARENT 'Term'] [OWNER PROJECT p], clauses in any order.</summary>
    public static AdminStatement CreateTerm(TokenCursor c)
    {
        var term = c.ExpectNameOrString("glossary term");
        string? description = null, parent = null, owner = null;
        var clauses = new ClauseSet(c);
        while (c.Peek() is { } keyword)
        {
            if (c.AcceptWord("DESCRIPTION"))
            {
                clauses.Claim("DESCRIPTION", "DESCRIPTION", keyword);
                description = c.ExpectString("description (string literal)");
            }
            else if (c.AcceptWord("PARENT"))
            {
                clauses.Claim("PARENT", "PARENT", keyword);
                parent = c.ExpectNameOrString("parent glossary term");
            }
            else if (c.AcceptWord("OWNER"))
            {
                clauses.Claim("OWNER", "OWNER PROJECT", keyword);
                c.ExpectWord("PROJECT");
                owner = c.ExpectName("project name");
            }
            else break; // anything else is trailing input, reported by the caller
        }
        return new CreateGlossaryTerm(term, description, parent, owner);
    }

    /// <summary>ALTER GLOSSARY TERM t SET DESCRIPTION '…' | SET PARENT t | SET PARENT NONE | RENAME TO t</summary>
    public static AdminStatement AlterTerm(TokenCursor c)
    {
        var term = c.ExpectNameOrString("glossary term");
        if (c.AcceptWord("RENAME"))
        {
            c.ExpectWord("TO");
            return new RenameObject(RenameKind.GlossaryTerm, term, c.ExpectNameOrString("glossary term"));
        }
        c.ExpectWord("SET");
        if (c.AcceptWord("DESCRIPTION")) return new AlterGlossaryTerm(term, c.ExpectString("description (string literal)"), true, null, false);
        if (!c.AcceptWord("PARENT")) throw c.Unexpected("DESCRIPTION or PARENT");
        if (c.AcceptWord("NONE")) return new AlterGlossaryTerm(term, null, false, null, true);
        return new AlterGlossaryTerm(term, null, false, c.ExpectNameOrString("parent glossary term or NONE"), true);
    }

    /// <summary>DROP GLOSSARY TERM t [CASCADE | RESTRICT]</summary>
    public static AdminStatement DropTerm(TokenCursor c)
    {
        var term = c.ExpectNameOrString("glossary term");
        return new DropGlossaryTerm(term, LifecycleGrammar.Cascade(c));
    }

    /// <summary>CREATE METADATA FORM name ( field type [REQUIRED], … ) [DESCRIPTION '…']</summary>
    public static AdminStatement CreateForm(TokenCursor c)
    {
        var name = c.ExpectName("form name");
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var fields = c.ExpectList("form field", allowEmpty: false, item =>
        {
            var token = item.Peek();
            var field = item.ExpectName("field name");
            if (!seen.Add(field)) throw item.ErrorAt(token!.Value, $"field \"{field}\" is listed twice");
            var (type, values) = FieldType(item);
            return new FormFieldSpec(field, type, item.AcceptWord("REQUIRED"), values);
        });
        var description = c.AcceptWord("DESCRIPTION") ? c.ExpectString("description (string literal)") : null;
        return new CreateMetadataForm(name, fields, description);
    }

    private static (string Type, IReadOnlyList<string>? Values) FieldType(TokenCursor c)
    {
        foreach (var type in new[] { "TEXT", "INTEGER", "NUMBER", "BOOLEAN", "DATE" })
            if (c.AcceptWord(type)) return (type.ToLowerInvariant(), null);
        if (!c.AcceptWord("ONE")) throw c.Unexpected("TEXT, INTEGER, NUMBER, BOOLEAN, DATE or ONE OF ('a', …)");
        c.ExpectWord("OF");
        var values = c.ExpectList("allowed value (string literal)", allowEmpty: false, item => item.ExpectString("allowed value (string literal)"));
        return ("choice", values);
    }
}
