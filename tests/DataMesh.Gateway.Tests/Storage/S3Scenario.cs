using DataMesh.Gateway.Tests.Admin;
using Npgsql;

namespace DataMesh.Gateway.Tests.Storage;

/// <summary>
/// An accepted account on the fixture's s3rver (prefix <c>acct_x/</c> of bucket lake), a producer project (owner
/// <see cref="Owner"/>) and a consumer project (owner <see cref="Consumer"/>) in it, each with a workspace, and the
/// producer's orders uploaded as two objects under <c>acct_x/&lt;producer&gt;/orders/</c> (ids 1..30 and 31..60).
/// Passwords equal user names.
/// </summary>
public sealed record S3Scenario(string Account, string Prefix, string Owner, string Consumer, string Producer, string ConsumerProject, string Profile)
{
    public string ProducerPrefix => $"{Prefix}{Producer}/";

    public static async Task<S3Scenario> CreateAsync(S3GatewayFixture fixture, string? secret = null)
    {
        var s = Guid.NewGuid().ToString("N")[..8];
        var scenario = new S3Scenario($"acct_{s}", $"acct_{s}/", $"own_{s}", $"con_{s}", $"prod_{s}", $"cons_{s}", $"prof_{s}");
        await using (var carol = await fixture.OpenAsync("carol"))
        {
            await carol.ExecAsync($"CREATE USER {scenario.Owner} PASSWORD '{scenario.Owner}'");
            await carol.ExecAsync($"CREATE USER {scenario.Consumer} PASSWORD '{scenario.Consumer}'");
            await carol.ExecAsync($"ASSOCIATE ACCOUNT {scenario.Account} LOCATION 's3://{S3GatewayFixture.Bucket}/{scenario.Prefix}' ADMIN {scenario.Owner} {fixture.With(secret)}");
        }
        await using (var owner = await fixture.OpenAsync(scenario.Owner)) await owner.ExecAsync($"ACCEPT ACCOUNT {scenario.Account}");
        await using (var carol = await fixture.OpenAsync("carol"))
        {
            await carol.ExecAsync($"CREATE PROJECT PROFILE {scenario.Profile} BLUEPRINTS (producer_storage, workspace)");
            await carol.ExecAsync($"CREATE PROJECT {scenario.Producer} ACCOUNT {scenario.Account} PROFILE {scenario.Profile}");
            await carol.ExecAsync($"CREATE PROJECT {scenario.ConsumerProject} ACCOUNT {scenario.Account} PROFILE {scenario.Profile}");
            await carol.ExecAsync($"ADD MEMBER {scenario.Owner} TO PROJECT {scenario.Producer} AS OWNER");
            await carol.ExecAsync($"ADD MEMBER {scenario.Consumer} TO PROJECT {scenario.ConsumerProject} AS OWNER");
        }
        await scenario.UploadOrdersAsync(fixture, "part-1.parquet", 30, 1);
        await scenario.UploadOrdersAsync(fixture, "part-2.parquet", 30, 31);
        return scenario;
    }

    /// <summary>Writes orders ids firstId.. as one object under the producer's orders/ prefix; returns its ETag.</summary>
    public Task<string> UploadOrdersAsync(S3GatewayFixture fixture, string name, int rows, int firstId)
    {
        var file = ParquetFiles.Orders(Path.Combine(fixture.Scratch, Guid.NewGuid().ToString("N")), name, rows, firstId);
        return fixture.S3.PutAsync(S3GatewayFixture.Bucket, $"{ProducerPrefix}orders/{name}", file);
    }

    /// <summary>CREATE ASSET producer.orders FROM 'orders/*.parquet', published, and the consumer's subscription approved
    /// with a row filter (Europe) and customer_email excluded. Returns the subscription id.</summary>
    public async Task<long> PublishAndSubscribeAsync(S3GatewayFixture fixture)
    {
        await using (var owner = await fixture.OpenAsync(Owner))
        {
            await owner.ExecAsync($"CREATE ASSET {Producer}.orders FROM 'orders/*.parquet' DESCRIPTION 'orders on the lake'");
            await owner.ExecAsync($"PUBLISH ASSET {Producer}.orders");
        }
        await using (var consumer = await fixture.OpenAsync(Consumer))
            await consumer.ExecAsync($"REQUEST SUBSCRIPTION TO {Producer}.orders FOR PROJECT {ConsumerProject} JUSTIFICATION 'regional revenue'");
        await using var o = await fixture.OpenAsync(Owner);
        var requests = await o.QueryAsync("SHOW SUBSCRIPTION REQUESTS");
        var id = Convert.ToInt64(requests.Rows.Single(r => Equals(r[requests.IndexOf("consumer_project")], ConsumerProject))[requests.IndexOf("subscription")]);
        await o.ExecAsync($"APPROVE SUBSCRIPTION {id} WITH ROW FILTER (region = 'Europe') EXCLUDE COLUMNS (customer_email)");
        return id;
    }

    public static async Task<object?> ScalarAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }
}
