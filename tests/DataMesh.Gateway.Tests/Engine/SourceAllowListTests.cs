using DataMesh.Gateway.Engine.Instances;

namespace DataMesh.Gateway.Tests.Engine;

public sealed class SourceAllowListTests : IDisposable
{
    private readonly EngineFiles _files = new();

    [Fact]
    public void EachKindOfSourceBecomesTheNarrowestEntryDuckDbCanEnforce()
    {
        var list = SourceAllowList.From([
            "/data/sales/*.parquet",
            "/data/events/2024-*/part?.parquet",
            "/data/raw/",
            _files.A,
            "/data/one/file.parquet",
        ]);
        Assert.Equal(["/data/one/file.parquet"], list.Paths);
        Assert.Equal(["/data/events/", "/data/raw/", "/data/sales/", _files.A + "/"], list.Directories.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void DotSegmentsAreFoldedBeforeDuckDbSeesThem()
    {
        var list = SourceAllowList.From(["/data/x/../y/file.parquet", "/data/./z/*.parquet"]);
        Assert.Equal(["/data/y/file.parquet"], list.Paths);
        Assert.Equal(["/data/z/"], list.Directories);
    }

    [Theory]
    [InlineData("relative/file.parquet")]
    [InlineData("s3://bucket/file.parquet")]
    [InlineData("/*.parquet")]
    [InlineData("/")]
    public void SourcesThatCannotBeConfinedAreRejected(string source) =>
        Assert.Throws<ArgumentException>(() => SourceAllowList.From([source]));

    public void Dispose() => _files.Dispose();
}
