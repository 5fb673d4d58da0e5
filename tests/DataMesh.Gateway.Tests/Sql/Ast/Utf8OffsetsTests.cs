using DataMesh.Gateway.Sql.Ast;

namespace DataMesh.Gateway.Tests.Sql.Ast;

public sealed class Utf8OffsetsTests
{
    [Fact]
    public void Reference_example_maps_bytes_to_chars()
    {
        const string sql = "SELECT 'é€' AS a, x FROM tbl";
        var offsets = new Utf8Offsets(sql);
        Assert.Equal(sql.IndexOf(", x", StringComparison.Ordinal) + 2, offsets.ToCharOffset(21));
        Assert.Equal(sql.IndexOf("tbl", StringComparison.Ordinal), offsets.ToCharOffset(28));
        Assert.Equal(sql.Length, offsets.ToCharOffset((ulong)offsets.ByteLength));
    }

    [Fact]
    public void Surrogate_pairs_count_four_bytes_and_two_chars()
    {
        const string sql = "'😀😀' x";
        var offsets = new Utf8Offsets(sql);
        Assert.Equal(1, offsets.ToCharOffset(1));
        Assert.Equal(3, offsets.ToCharOffset(5));
        Assert.Equal(5, offsets.ToCharOffset(9));
        Assert.Equal(7, offsets.ToCharOffset(11));
        Assert.False(offsets.TryToCharOffset(2, out _)); // inside the first emoji
        Assert.False(offsets.TryToCharOffset(4, out _));
    }

    [Fact]
    public void Code_points_map_to_chars_past_surrogate_pairs()
    {
        var offsets = new Utf8Offsets("a😀b");
        Assert.True(offsets.TryCodePointToCharOffset(2, out var b));
        Assert.Equal(3, b);
        Assert.True(offsets.TryCodePointToCharOffset(3, out var end));
        Assert.Equal(4, end);
        Assert.False(offsets.TryCodePointToCharOffset(4, out _));
    }

    [Fact]
    public void Ulong_max_is_no_location() =>
        Assert.Null(Utf8Offsets.ToCharOffset("SELECT 1", 18446744073709551615UL));

    [Theory]
    [InlineData("é", 1UL)]
    [InlineData("abc", 4UL)]
    [InlineData("€", 2UL)]
    public void Offsets_inside_a_character_or_past_the_end_throw(string text, ulong bytes) =>
        Assert.Throws<SqlAstException>(() => Utf8Offsets.ToCharOffset(text, bytes));

    [Fact]
    public void Lone_surrogates_count_as_the_three_byte_replacement_character()
    {
        var text = "\ud800x";
        Assert.Equal(1, Utf8Offsets.ToCharOffset(text, 3));
    }

    [Fact]
    public void Engine_locations_agree_with_the_converter_for_mixed_scripts()
    {
        const string sql = "SELECT '日本語😀é' AS a, \"列\" FROM \"表\" AS t";
        var query = AstTestEngine.Parse(sql);
        Assert.Equal(sql.IndexOf("\"表\"", StringComparison.Ordinal), query.BaseTables.Single().Offset);
        Assert.Equal(sql.IndexOf("\"列\"", StringComparison.Ordinal), query.ColumnReferences.Single().Offset);
    }
}
