using System.Diagnostics;
using System.Text.Json;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using DataMesh.Gateway.Tests.Clients;

namespace DataMesh.Gateway.Tests.Storage;

/// <summary>
/// A real S3 API for the tests: npm's s3rver (installed into tests/clients/s3 by tests/clients/install.sh) as a child
/// process on a free loopback port, its objects in a temporary directory. <see cref="Stop"/> and <see cref="Start"/>
/// take it down and bring it back on the same port and directory (a store that goes away mid-session). Uploads go
/// through the AWS SDK with the settings s3rver needs. Keys: S3RVER / S3RVER.
/// </summary>
public sealed class S3Server : IAsyncDisposable
{
    public const string AccessKeyId = "S3RVER";
    public const string SecretAccessKey = "S3RVER";

    private readonly string[] _buckets;
    private readonly string _extraKeys;
    private Process? _process;

    private S3Server(string[] buckets, string extraKeys = "")
    {
        _buckets = buckets;
        _extraKeys = extraKeys;
        Directory.CreateDirectory(DataDirectory);
    }

    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "datamesh-tests", "s3-" + Guid.NewGuid().ToString("N"));
    public int Port { get; private set; }
    public string Endpoint => $"http://127.0.0.1:{Port}";

    public static async Task<S3Server> StartAsync(params string[] buckets)
    {
        var server = new S3Server(buckets);
        await server.StartAsync(0);
        return server;
    }

    /// <summary>A server that also accepts the given key pairs (the documents' example keys) besides S3RVER / S3RVER.</summary>
    public static async Task<S3Server> StartAsync(IReadOnlyDictionary<string, string> keys, params string[] buckets)
    {
        var server = new S3Server(buckets, string.Join(',', keys.Select(k => $"{k.Key}:{k.Value}")));
        await server.StartAsync(0);
        return server;
    }

    /// <summary>Brings the server back after <see cref="Stop"/> on the same port, with the same objects.</summary>
    public Task RestartAsync() => StartAsync(Port);

    private async Task StartAsync(int port)
    {
        var script = Path.Combine(ClientProcess.Root, "s3", "serve.js");
        if (!Directory.Exists(Path.Combine(ClientProcess.Root, "s3", "node_modules", "s3rver")))
            throw new InvalidOperationException("s3rver is not installed: run tests/clients/install.sh");
        var start = new ProcessStartInfo("node") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { script, DataDirectory, port.ToString(System.Globalization.CultureInfo.InvariantCulture) }.Concat(_buckets)) start.ArgumentList.Add(a);
        start.Environment["S3RVER_KEYS"] = _extraKeys;
        _process = Process.Start(start)!;
        var line = await _process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
        if (line is null) throw new InvalidOperationException("s3rver did not start: " + await _process.StandardError.ReadToEndAsync());
        Port = JsonDocument.Parse(line).RootElement.GetProperty("port").GetInt32();
    }

    /// <summary>Stops the server (its objects stay on disk): connections to it are refused until <see cref="RestartAsync"/>.</summary>
    public void Stop()
    {
        if (_process is not { } p) return;
        _process = null;
        try
        {
            p.StandardInput.Close();
            if (!p.WaitForExit(10_000)) p.Kill(entireProcessTree: true);
        }
        finally
        {
            p.Dispose();
        }
    }

    public AmazonS3Client Client() => new(new BasicAWSCredentials(AccessKeyId, SecretAccessKey), new AmazonS3Config
    {
        ServiceURL = Endpoint,
        ForcePathStyle = true,
        AuthenticationRegion = "us-east-1",
        RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
        ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
    });

    public async Task<string> PutAsync(string bucket, string key, string file)
    {
        using var client = Client();
        var response = await client.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = key, FilePath = file, UseChunkEncoding = false });
        return response.ETag;
    }

    public async Task DeleteAsync(string bucket, string key)
    {
        using var client = Client();
        await client.DeleteObjectAsync(bucket, key);
    }

    public async Task<List<string>> KeysAsync(string bucket, string prefix)
    {
        using var client = Client();
        var page = await client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket, Prefix = prefix });
        return (page.S3Objects ?? []).Select(o => o.Key).ToList();
    }

    public async Task<byte[]> GetAsync(string bucket, string key)
    {
        using var client = Client();
        using var response = await client.GetObjectAsync(bucket, key);
        using var memory = new MemoryStream();
        await response.ResponseStream.CopyToAsync(memory);
        return memory.ToArray();
    }

    public ValueTask DisposeAsync()
    {
        Stop();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
        return ValueTask.CompletedTask;
    }
}
