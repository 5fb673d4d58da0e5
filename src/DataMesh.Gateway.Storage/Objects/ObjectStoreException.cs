using System.Net;
using System.Net.Sockets;
using Amazon.Runtime;
using Amazon.S3;
using DataMesh.Gateway.Protocol.Errors;

namespace DataMesh.Gateway.Storage.Objects;

public enum StoreFault
{
    /// <summary>The store does not know the key id, or the signature does not match: the credentials are wrong.</summary>
    CredentialsRefused,
    AccessDenied,
    BucketMissing,
    ObjectMissing,
    /// <summary>If-Match failed: the object no longer carries the ETag the caller pinned.</summary>
    ObjectChanged,
    /// <summary>SlowDown, 429, 503: the store asks for less.</summary>
    Throttled,
    /// <summary>A 5xx other than throttling.</summary>
    Unavailable,
    /// <summary>No connection, a reset, a timeout: the store cannot be reached.</summary>
    Unreachable,
    Other,
}

/// <summary>
/// A failed object-store request, classified. Its message is the gateway's own text with the account named and the
/// store's error code (never the SDK's message, a request's headers or a key): it may reach clients and logs.
/// </summary>
public sealed class ObjectStoreException(StoreFault fault, string account, string message) : Exception(message)
{
    public StoreFault Fault { get; } = fault;
    public string Account { get; } = account;

    public bool IsTransient => Fault is StoreFault.Throttled or StoreFault.Unavailable or StoreFault.Unreachable;

    /// <summary>As a PostgreSQL error: 58030 (io_error) for every fault, with a hint for what can be done about it.
    /// Not 08006: drivers take class 08 as their own connection broken, while the session is fine.</summary>
    public PgErrorException ToPgError(string? what = null) => new(SqlState.IoError,
        what is null ? Message : $"{what}: {Message}",
        hint: Fault switch
        {
            StoreFault.CredentialsRefused or StoreFault.AccessDenied => $"an account admin can set the credentials again with ALTER ACCOUNT {Account} SET CREDENTIALS (…)",
            StoreFault.Throttled or StoreFault.Unavailable or StoreFault.Unreachable => "the query can be repeated when the object store is available again",
            _ => null,
        });

    /// <summary>Classifies whatever a request threw (the SDK's exceptions, sockets, timeouts).</summary>
    /// <remarks>The endpoint is not named: consumers see these errors, and the account's name is enough for its admins.</remarks>
    public static ObjectStoreException From(Exception e, string account)
    {
        var store = $"the object store of account \"{account}\"";
        switch (e)
        {
            case ObjectStoreException already:
                return already;
            case AmazonS3Exception s3:
                var code = string.IsNullOrEmpty(s3.ErrorCode) ? ((int)s3.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture) : s3.ErrorCode;
                return Classify(s3.StatusCode, code) switch
                {
                    StoreFault.CredentialsRefused => new(StoreFault.CredentialsRefused, account, $"{store} refused the gateway's credentials ({code})"),
                    StoreFault.AccessDenied => new(StoreFault.AccessDenied, account, $"{store} denied access ({code})"),
                    StoreFault.BucketMissing => new(StoreFault.BucketMissing, account, $"the bucket of account \"{account}\" does not exist ({code})"),
                    StoreFault.ObjectMissing => new(StoreFault.ObjectMissing, account, $"an object of account \"{account}\" was deleted ({code})"),
                    StoreFault.ObjectChanged => new(StoreFault.ObjectChanged, account, $"an object of account \"{account}\" changed ({code})"),
                    StoreFault.Throttled => new(StoreFault.Throttled, account, $"{store} is throttling requests ({code})"),
                    StoreFault.Unavailable => new(StoreFault.Unavailable, account, $"{store} is unavailable ({code})"),
                    var other => new(other, account, $"{store} failed the request ({code})"),
                };
            case HttpRequestException { InnerException: SocketException socket }:
                return new(StoreFault.Unreachable, account, $"{store} is unreachable ({socket.SocketErrorCode})");
            case HttpRequestException or IOException or SocketException:
                return new(StoreFault.Unreachable, account, $"{store} is unreachable (connection failed)");
            case TaskCanceledException or OperationCanceledException or TimeoutException:
                return new(StoreFault.Unreachable, account, $"{store} did not answer in time");
            case AmazonServiceException { InnerException: { } inner } when inner is not AmazonServiceException:
                return From(inner, account);
            case AmazonClientException { InnerException: { } inner }:
                return From(inner, account);
            default:
                return new(StoreFault.Other, account, $"{store} failed the request ({e.GetType().Name})");
        }
    }

    private static StoreFault Classify(HttpStatusCode status, string code) => code switch
    {
        "InvalidAccessKeyId" or "SignatureDoesNotMatch" or "InvalidToken" or "ExpiredToken" or "TokenRefreshRequired" or "AuthorizationHeaderMalformed" => StoreFault.CredentialsRefused,
        "AccessDenied" or "AllAccessDisabled" or "AccountProblem" => StoreFault.AccessDenied,
        "NoSuchBucket" => StoreFault.BucketMissing,
        "NoSuchKey" => StoreFault.ObjectMissing,
        "PreconditionFailed" => StoreFault.ObjectChanged,
        "SlowDown" or "Throttling" or "ThrottlingException" or "RequestLimitExceeded" or "TooManyRequests" => StoreFault.Throttled,
        "InternalError" or "ServiceUnavailable" or "RequestTimeout" => StoreFault.Unavailable,
        _ => status switch
        {
            HttpStatusCode.Forbidden => StoreFault.AccessDenied,
            HttpStatusCode.NotFound => StoreFault.ObjectMissing,
            HttpStatusCode.PreconditionFailed => StoreFault.ObjectChanged,
            HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable => StoreFault.Throttled,
            >= HttpStatusCode.InternalServerError => StoreFault.Unavailable,
            _ => StoreFault.Other,
        },
    };
}
