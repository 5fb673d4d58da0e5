using Microsoft.AspNetCore.Http;

namespace DataMesh.Gateway.Portal;

/// <summary>The portal's one stylesheet, compiled into the assembly (no static files to deploy, no build chain).</summary>
internal static class Stylesheet
{
    private static readonly byte[] Bytes = Load();
    private static readonly string ETag = "\"" + Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(Bytes))[..16] + "\"";

    public static IResult Serve(HttpContext context)
    {
        context.Response.Headers.CacheControl = "public, max-age=3600";
        context.Response.Headers.ETag = ETag;
        if (context.Request.Headers.IfNoneMatch == ETag) return Results.StatusCode(StatusCodes.Status304NotModified);
        return Results.Bytes(Bytes, "text/css; charset=utf-8");
    }

    private static byte[] Load()
    {
        using var stream = typeof(Stylesheet).Assembly.GetManifestResourceStream("portal.css")!;
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
