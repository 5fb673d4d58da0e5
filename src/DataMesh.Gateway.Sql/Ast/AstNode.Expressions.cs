namespace DataMesh.Gateway.Sql.Ast;

/// <summary>Typed views of expression nodes: the fields the policy layer reads, by their meaning.</summary>
public sealed partial class AstNode
{
    /// <summary>An expression's operands or arguments ("children").</summary>
    public IReadOnlyList<AstNode> Children => Nodes("children");

    /// <summary>FUNCTION and WINDOW: the name as written (not case-folded).</summary>
    public string FunctionName => String("function_name") ?? "";

    /// <summary>FUNCTION and WINDOW: the schema and catalog that qualify the call ("" when unqualified).</summary>
    public string FunctionSchema => String("schema") ?? "";

    public string FunctionCatalog => String("catalog") ?? "";

    /// <summary>FUNCTION: an operator (<c>+</c>, <c>~~</c>, …) rather than a call by name.</summary>
    public bool IsOperator => Flag("is_operator");

    /// <summary>COMPARISON operands.</summary>
    public AstNode? Left => Node("left");

    public AstNode? Right => Node("right");

    /// <summary>BETWEEN: <c>input BETWEEN lower AND upper</c>.</summary>
    public AstNode? Input => Node("input");

    public AstNode? Lower => Node("lower");

    public AstNode? Upper => Node("upper");

    /// <summary>CAST: the expression cast.</summary>
    public AstNode? CastChild => Node("child");

    /// <summary>CAST: the target type's id ("DATE", "DECIMAL", …), or null.</summary>
    public string? CastTypeId => Node("cast_type")?.String("id");

    /// <summary>CAST: TRY_CAST rather than CAST.</summary>
    public bool IsTryCast => Flag("try_cast");

    /// <summary>COLUMN_REF: the name's parts as written (<c>t.amount</c> is ["t", "amount"]); the string parts only.</summary>
    public IReadOnlyList<string> ColumnNames
    {
        get
        {
            var items = this["column_names"].Items;
            var names = new List<string>(items.Count);
            foreach (var item in items)
                if (item is { Kind: AstValueKind.String, Text: { } name }) names.Add(name);
            return names;
        }
    }

    /// <summary>CONSTANT: its value; null for any other node.</summary>
    public AstConstant? Constant => Class == "CONSTANT" ? new AstConstant(Node("value")) : null;
}

/// <summary>The value of a CONSTANT expression: its type id, whether it is NULL, and its text.</summary>
public readonly struct AstConstant(AstNode? value)
{
    /// <summary>"INTEGER", "VARCHAR", "DECIMAL", "NULL", …; null when the constant has no type.</summary>
    public string? TypeId => value?.Node("type")?.String("id");

    public bool IsNull => value?.Flag("is_null") ?? false;

    /// <summary>The value as DuckDB wrote it: a string's text or a number's digits; null for other values.</summary>
    public string? Text => value is null ? null : value["value"].Text;

    /// <summary>A non-NULL VARCHAR constant's text.</summary>
    public bool TryString(out string text)
    {
        text = "";
        if (TypeId != "VARCHAR" || IsNull || value?["value"] is not { Kind: AstValueKind.String, Text: { } s }) return false;
        text = s;
        return true;
    }

    /// <summary>Width and scale of a DECIMAL constant.</summary>
    public (int Width, int Scale)? Decimal
    {
        get
        {
            if (value?.Node("type")?.Node("type_info") is not { } info) return null;
            return int.TryParse(info["width"].Text, out var width) && int.TryParse(info["scale"].Text, out var scale) ? (width, scale) : null;
        }
    }
}
