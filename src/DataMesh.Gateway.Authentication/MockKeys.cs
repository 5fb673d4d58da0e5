using System.Security.Cryptography;

namespace DataMesh.Gateway.Authentication;

/// <summary>A random key for the process's lifetime, for stores that have no durable secret to derive mock verifiers from.</summary>
internal static class MockKeys
{
    public static readonly byte[] Process = RandomNumberGenerator.GetBytes(32);
}
