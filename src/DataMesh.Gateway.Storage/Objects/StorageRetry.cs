namespace DataMesh.Gateway.Storage.Objects;

/// <summary>
/// Runs one object-store request with retries: transient faults (throttling, 5xx, no connection, a timeout) are
/// tried again after an exponential delay with full jitter (base, doubling, capped), up to the configured attempts;
/// anything else, and the last transient fault, is thrown classified (<see cref="ObjectStoreException"/>).
/// Delays come from the <see cref="TimeProvider"/>.
/// </summary>
public sealed class StorageRetry(StorageOptions options, TimeProvider time)
{
    private long _retries;

    /// <summary>Requests tried again since the gateway started (for metrics and tests).</summary>
    public long Retries => Interlocked.Read(ref _retries);

    public async Task<T> RunAsync<T>(string account, Func<CancellationToken, Task<T>> request, CancellationToken cancel)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await request(cancel).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancel.IsCancellationRequested)
            {
                var fault = ObjectStoreException.From(e, account);
                if (!fault.IsTransient || attempt >= Math.Max(1, options.MaxAttempts)) throw fault;
                Interlocked.Increment(ref _retries);
                await Task.Delay(Delay(attempt), time, cancel).ConfigureAwait(false);
            }
        }
    }

    private TimeSpan Delay(int attempt)
    {
        var ceiling = Math.Min(options.RetryMaxDelay.TotalMilliseconds, options.RetryBaseDelay.TotalMilliseconds * Math.Pow(2, attempt - 1));
        // Full jitter keeps many sessions that failed together from retrying together; never less than half the step.
        return TimeSpan.FromMilliseconds(ceiling * (0.5 + Random.Shared.NextDouble() / 2));
    }
}
