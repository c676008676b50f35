using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace ApicastSidecarProxy.Caching;

/// <summary>
/// Derives <see cref="AnswerKey"/>s with HKDF-SHA256 from the requesting credentials, so that another token finds
/// nothing, and a copy of the cache directory without the token is ciphertext under names that say nothing.
/// </summary>
public sealed class AnswerKeyDerivation
{
    private static readonly byte[] Salt = "apicast-sidecar-proxy/config-cache/v1"u8.ToArray();
    private static readonly byte[] EncryptionInfo = "entry encryption"u8.ToArray();
    private static readonly byte[] NameInfo = "entry name"u8.ToArray();

    // APIcast uses one or a few tokens; the bound only keeps a client that varies its Authorization from growing it.
    private const int MaxRememberedCredentials = 64;

    private readonly ConcurrentDictionary<string, (byte[] NameKey, byte[] EncryptionKey)> _byCredentials = new(StringComparer.Ordinal);

    /// <param name="credentials">The Authorization value that asked (or the route's own), never empty.</param>
    /// <param name="target">The request target as sent, path and query byte for byte.</param>
    /// <param name="acceptEncoding">The request's Accept-Encoding: an answer is replayed only to a request that accepts its encoding.</param>
    public AnswerKey For(string credentials, string target, string acceptEncoding)
    {
        var (nameKey, encryptionKey) = KeysFor(credentials);
        var request = Encoding.UTF8.GetBytes($"{target}\n{acceptEncoding}");
        var id = HMACSHA256.HashData(nameKey, request);
        return new AnswerKey(Convert.ToHexStringLower(id), id, encryptionKey);
    }

    private (byte[] NameKey, byte[] EncryptionKey) KeysFor(string credentials)
    {
        if (_byCredentials.TryGetValue(credentials, out var keys))
        {
            return keys;
        }

        var secret = HKDF.Extract(HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(credentials), Salt);
        keys = (HKDF.Expand(HashAlgorithmName.SHA256, secret, 32, NameInfo),
            HKDF.Expand(HashAlgorithmName.SHA256, secret, 32, EncryptionInfo));
        if (_byCredentials.Count >= MaxRememberedCredentials)
        {
            _byCredentials.Clear();
        }

        _byCredentials[credentials] = keys;
        return keys;
    }
}
