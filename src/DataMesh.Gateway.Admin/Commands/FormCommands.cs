using System.Globalization;
using DataMesh.Gateway.Catalog.Model;
using DataMesh.Gateway.Protocol.Errors;
using DataMesh.Gateway.Sql.Admin;

namespace DataMesh.Gateway.Admin.Commands;

/// <summary>
/// Domain metadata forms: typed fields, some required, defined by domain admins. An asset fills them in its metadata
/// (the key is the field's name) and PUBLISH ASSET checks every form: a required field missing is 23502, a value that is
/// not of the field's type 22P02, a value outside a field's choices 23514, as PostgreSQL reports NOT NULL, input and CHECK
/// violations. A field name belongs to one form.
/// </summary>
internal static class FormCommands
{
    public static AdminResult Create(AdminContext ctx, CreateMetadataForm s)
    {
        Permissions.RequireDomainAdmin(ctx, "define metadata forms");
        ctx.Change(w =>
        {
            var forms = w.Forms();
            if (forms.Any(f => f.Name == s.Name)) throw AdminErrors.Duplicate("metadata form", s.Name);
            foreach (var field in s.Fields)
                if (forms.FirstOrDefault(f => f.Fields.Any(x => x.Name == field.Name)) is { } other)
                    throw AdminErrors.Duplicate($"metadata field of form {other.Name}", field.Name);
            w.InsertForm(new MetadataFormRecord(s.Name, s.Description, s.Fields.Select(f => new FormField(f.Name, f.Type, f.Required, f.Values)).ToList(), ctx.User, ctx.Now));
        });
        return AdminResult.Done("CREATE METADATA FORM");
    }

    public static AdminResult Drop(AdminContext ctx, DropMetadataForm s)
    {
        Permissions.RequireDomainAdmin(ctx, "drop metadata forms");
        ctx.Change(w =>
        {
            if (w.Forms().All(f => f.Name != s.Name)) throw AdminErrors.Unknown("metadata form", s.Name);
            w.DeleteForm(s.Name);
        });
        return AdminResult.Done("DROP METADATA FORM");
    }

    public static AdminResult Show(AdminContext ctx, ShowMetadataForms _)
    {
        var forms = ctx.Read(r => r.Forms());
        var rows = forms.SelectMany(f => f.Fields.Select(x => new object?[]
        {
            f.Name, x.Name, x.Type == "choice" ? "one of (" + string.Join(", ", x.Values ?? []) + ")" : x.Type, x.Required, f.Description,
        })).ToList();
        return new AdminResult([new("form"), new("field"), new("type"), new("required", AdminColumnType.Bool), new("description")], rows, $"SHOW METADATA FORMS {rows.Count}");
    }

    /// <summary>PUBLISH's check: the asset's metadata fills every form.</summary>
    public static void RequireFilled(IReadOnlyList<MetadataFormRecord> forms, AssetRecord asset)
    {
        foreach (var form in forms)
        {
            foreach (var field in form.Fields)
            {
                var where = $"asset {asset.QualifiedName} cannot be published: metadata field \"{field.Name}\" of form {form.Name}";
                if (!asset.Metadata.TryGetValue(field.Name, out var value) || string.IsNullOrWhiteSpace(value))
                {
                    if (!field.Required) continue;
                    throw new PgErrorException(SqlState.NotNullViolation, $"{where} is required",
                        hint: $"give it a value with ALTER ASSET {asset.QualifiedName} SET METADATA (…, {field.Name} = '…')");
                }
                if (field.Type == "choice" && !(field.Values ?? []).Contains(value))
                    throw new PgErrorException(SqlState.CheckViolation, $"{where} must be one of {string.Join(", ", (field.Values ?? []).Select(v => $"'{v}'"))}, not '{value}'");
                if (!Fits(field.Type, value))
                    throw new PgErrorException(SqlState.InvalidTextRepresentation, $"{where} must be {Article(field.Type)}, not '{value}'");
            }
        }
    }

    private static bool Fits(string type, string value) => type switch
    {
        "integer" => long.TryParse(value.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _),
        "number" => decimal.TryParse(value.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out _),
        "boolean" => value.Trim().ToLowerInvariant() is "true" or "false" or "t" or "f" or "yes" or "no" or "on" or "off" or "1" or "0",
        "date" => DateOnly.TryParseExact(value.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _),
        _ => true,
    };

    private static string Article(string type) => type switch
    {
        "integer" => "an integer",
        "number" => "a number",
        "boolean" => "a boolean (true or false)",
        "date" => "a date (yyyy-mm-dd)",
        _ => "text",
    };
}
