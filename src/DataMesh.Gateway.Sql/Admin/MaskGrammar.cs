namespace DataMesh.Gateway.Sql.Admin;

/// <summary>MASK COLUMNS ( col USING hash | redact | null | year | partial(first[, last]), ... )</summary>
internal static class MaskGrammar
{
    public static List<ColumnMask> Masks(TokenCursor c)
    {
        var columns = new HashSet<string>(StringComparer.Ordinal);
        return c.ExpectList("masked column", allowEmpty: false, item =>
        {
            var token = item.Peek();
            var column = item.ExpectName("column name");
            // Two masks on one column would leave which one applies to chance.
            if (!columns.Add(column)) throw item.ErrorAt(token!.Value, $"column \"{column}\" is masked more than once");
            item.ExpectWord("USING");
            return Mask(item, column);
        });
    }

    /// <summary>( col [USING mask], … ): columns with an optional mask each (ADD COLUMNS).</summary>
    public static (List<string> Columns, List<ColumnMask> Masks) ColumnsWithMasks(TokenCursor c)
    {
        var masks = new List<ColumnMask>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var columns = c.ExpectList("column", allowEmpty: false, item =>
        {
            var token = item.Peek();
            var column = item.ExpectName("column");
            if (!seen.Add(column)) throw item.ErrorAt(token!.Value, $"column \"{column}\" is listed twice");
            if (item.AcceptWord("USING")) masks.Add(Mask(item, column));
            return column;
        });
        return (columns, masks);
    }

    private static ColumnMask Mask(TokenCursor c, string column)
    {
        if (c.AcceptWord("HASH")) return new ColumnMask(column, MaskKind.Hash);
        if (c.AcceptWord("REDACT")) return new ColumnMask(column, MaskKind.Redact);
        if (c.AcceptWord("NULL")) return new ColumnMask(column, MaskKind.Null);
        if (c.AcceptWord("YEAR")) return new ColumnMask(column, MaskKind.Year);
        if (!c.AcceptWord("PARTIAL")) throw c.Unexpected("mask HASH, REDACT, NULL, YEAR or PARTIAL(first, last)");
        // partial(n) keeps the first n characters and nothing at the end.
        c.ExpectSymbol("(");
        var first = c.ExpectInteger("characters to keep", 0, int.MaxValue);
        var last = c.AcceptSymbol(",") ? c.ExpectInteger("characters to keep", 0, int.MaxValue) : 0;
        c.ExpectSymbol(")");
        return new ColumnMask(column, MaskKind.Partial, first, last);
    }
}
