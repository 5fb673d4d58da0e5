using System.Buffers.Binary;
using System.Diagnostics;
using System.Text;
using DataMesh.Gateway.Tests.Infrastructure;

namespace DataMesh.Gateway.Tests.Integration;

/// <summary>The raw wire these tests speak: building messages, reading replies, waiting for a close.</summary>
public sealed partial class RawProtocolTests
{
    private static async Task<List<(char Type, byte[] Payload)>> ReadAllAsync(RawClient client, string sql, TimeSpan timeout)
    {
        await client.SendAsync(RawClient.Query(sql));
        return await client.ReadUntilAsync('Z', timeout);
    }

    // ================================================================ helpers

    private async Task AssertServerAliveAsync()
    {
        await using var connection = await fixture.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT 1";
        Assert.Equal(1, Convert.ToInt32(await command.ExecuteScalarAsync()));
    }

    /// <summary>Sends a StartupMessage and authenticates with the shared independent SCRAM client.</summary>
    private static async Task<List<(char Type, byte[] Payload)>> AuthenticateAsync(RawClient client, string user, string password)
    {
        await client.SendAsync(RawClient.StartupMessage(user, "marketing"));
        return await RawLogin.AuthenticateAsync(client, user, password);
    }

    private static async Task<byte[]> ExpectAsync(RawClient client, char type)
    {
        var message = await client.ReadMessageAsync() ?? throw new EndOfStreamException($"connection closed while waiting for '{type}'");
        if (message.Type == 'E') throw new ServerErrorException(message.Payload);
        Assert.Equal(type, message.Type);
        return message.Payload;
    }

    private static async Task<List<string>> QueryValuesAsync(RawClient client, string sql)
    {
        await client.SendAsync(RawClient.Query(sql));
        var messages = await client.ReadUntilAsync('Z', TimeSpan.FromSeconds(30));
        if (messages.FirstOrDefault(m => m.Type == 'E') is { Payload: not null } e) throw new ServerErrorException(e.Payload);
        return messages.Where(m => m.Type == 'D').Select(m => TextValues(m.Payload)[0] ?? "<null>").ToList();
    }

    private static async Task ExpectFatalThenCloseAsync(RawClient client, string sqlState)
    {
        var message = await client.ReadMessageAsync(ClosePromptly);
        Assert.True(message is not null, $"expected a FATAL {sqlState} ErrorResponse, but the connection was closed without one");
        Assert.Equal('E', message.Value.Type);
        Assert.Equal("FATAL", RawClient.Field(message.Value.Payload, 'S'));
        Assert.Equal(sqlState, RawClient.SqlState(message.Value.Payload));
        Assert.True(await client.IsClosedByServerAsync(ClosePromptly), "the server must close the connection after a FATAL error");
    }

    /// <summary>Reads whole messages until the server closes; returns them and whether the close happened in time.</summary>
    private static async Task<(List<(char Type, byte[] Payload)> Messages, bool Closed)> DrainUntilClosedAsync(RawClient client, TimeSpan timeout)
    {
        var bytes = new List<byte>();
        var closed = await ReadRawUntilClosedAsync(client, bytes, timeout);
        var messages = new List<(char, byte[])>();
        var data = bytes.ToArray();
        var p = 0;
        while (p + 5 <= data.Length)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(data.AsSpan(p + 1));
            if (length < 4 || p + 1 + length > data.Length) break;
            messages.Add(((char)data[p], data.AsSpan(p + 5, length - 4).ToArray()));
            p += 1 + length;
        }
        Assert.True(p == data.Length, $"trailing bytes that are not a whole message: {Convert.ToHexString(data.AsSpan(p).ToArray())}");
        return (messages, closed);
    }

    private static async Task<bool> ReadRawUntilClosedAsync(RawClient client, List<byte> received, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        var buffer = new byte[4096];
        try
        {
            while (true)
            {
                var n = await client.Stream.ReadAsync(buffer, cts.Token);
                if (n == 0) return true;
                received.AddRange(buffer.AsSpan(0, n).ToArray());
            }
        }
        catch (IOException)
        {
            return true; // reset by the server
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private static async Task<(char Type, byte[] Payload)?> TryReadMessageAsync(RawClient client, TimeSpan timeout)
    {
        try
        {
            return await client.ReadMessageAsync(timeout);
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    private static void AssertOnlyFatal(List<(char Type, byte[] Payload)> messages, string sqlState)
    {
        Assert.True(messages.Count <= 1, $"expected at most one ErrorResponse, got {Types(messages)}");
        foreach (var (type, payload) in messages)
        {
            Assert.Equal('E', type);
            Assert.Equal("FATAL", RawClient.Field(payload, 'S'));
            Assert.Equal(sqlState, RawClient.SqlState(payload));
        }
    }

    private async Task SendCancelAsync(int pid, int key)
    {
        await using var cancel = await RawClient.ConnectAsync(fixture);
        await cancel.SendAsync([.. RawClient.BigEndian(16), .. RawClient.BigEndian(80877102), .. RawClient.BigEndian(pid), .. RawClient.BigEndian(key)]);
        Assert.True(await cancel.IsClosedByServerAsync(ClosePromptly));
    }

    private static (int Pid, int Key) BackendKey(List<(char Type, byte[] Payload)> messages)
    {
        var k = Assert.Single(messages, m => m.Type == 'K').Payload;
        return (BinaryPrimitives.ReadInt32BigEndian(k), BinaryPrimitives.ReadInt32BigEndian(k.AsSpan(4)));
    }

    private static async Task<bool> WaitForAsync(Func<bool> condition, TimeSpan timeout)
    {
        var watch = Stopwatch.StartNew();
        while (!condition())
        {
            if (watch.Elapsed > timeout) return false;
            await Task.Delay(50);
        }
        return true;
    }

    private static string Types(IEnumerable<(char Type, byte[] Payload)> messages) => new(messages.Select(m => m.Type).ToArray());

    private static string CString(byte[] payload) => Encoding.UTF8.GetString(payload, 0, Array.IndexOf(payload, (byte)0));

    private static string FirstFieldName(byte[] rowDescription) => CString(rowDescription[2..]);

    private static List<string?> TextValues(byte[] dataRow)
    {
        var count = BinaryPrimitives.ReadInt16BigEndian(dataRow);
        var values = new List<string?>(count);
        var p = 2;
        for (var i = 0; i < count; i++)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(dataRow.AsSpan(p));
            p += 4;
            if (length < 0)
            {
                values.Add(null);
                continue;
            }
            values.Add(Encoding.UTF8.GetString(dataRow, p, length));
            p += length;
        }
        return values;
    }
}
