namespace DataMesh.Gateway.Sql.Ast;

/// <summary>A range of chars in the original SQL text.</summary>
public readonly record struct TextSpan(int Start, int Length)
{
    public int End => Start + Length;

    public string Of(string text) => text.Substring(Start, Length);

    public override string ToString() => $"[{Start}..{End})";
}
