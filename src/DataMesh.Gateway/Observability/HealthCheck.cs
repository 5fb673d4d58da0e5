namespace DataMesh.Gateway.Observability;

/// <summary><c>datamesh health</c>: asks a running gateway's /health; exit 0 when ready, 1 otherwise (for probes).</summary>
public static class HealthCheck
{
    public static async Task<int> RunAsync(string? metricsListen)
    {
        if (string.IsNullOrWhiteSpace(metricsListen))
        {
            Console.Error.WriteLine("health needs the gateway's metrics endpoint: --metrics-listen HOST:PORT or DATAMESH_METRICSLISTEN");
            return 2;
        }
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        try
        {
            using var response = await http.GetAsync(new Uri($"http://{metricsListen}/health")).ConfigureAwait(false);
            var body = (await response.Content.ReadAsStringAsync().ConfigureAwait(false)).Trim();
            Console.WriteLine(body);
            return response.IsSuccessStatusCode ? 0 : 1;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            Console.WriteLine("unreachable: " + e.Message);
            return 1;
        }
    }
}
