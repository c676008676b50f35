using System.Security.Cryptography;
using System.Text;

namespace ApicastSidecarProxy.Caching;

/// <summary>
/// An answer as written to disk: "ASC1", a random 96-bit nonce, the 128-bit AES-GCM tag, then the ciphertext of
/// (stored-at in Unix milliseconds, header count, each header as length-prefixed UTF-8 name and value, body). The
/// entry's identifier is the associated data, so a file renamed to another entry's name does not open.
/// </summary>
public static class AnswerEnvelope
{
    private static readonly byte[] Magic = "ASC1"u8.ToArray();
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private const int HeaderSize = 4 + NonceSize + TagSize;

    public static byte[] Seal(StoredAnswer answer, AnswerKey key)
    {
        var plaintext = Serialize(answer);
        var sealedBytes = new byte[HeaderSize + plaintext.Length];
        Magic.CopyTo(sealedBytes, 0);
        var nonce = sealedBytes.AsSpan(4, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(key.EncryptionKey, TagSize);
        aes.Encrypt(nonce, plaintext, sealedBytes.AsSpan(HeaderSize), sealedBytes.AsSpan(4 + NonceSize, TagSize), key.IdBytes);
        return sealedBytes;
    }

    /// <summary>The answer, or null when the bytes are not an entry this key sealed (corrupt, truncated, another token).</summary>
    public static StoredAnswer? Open(ReadOnlySpan<byte> sealedBytes, AnswerKey key)
    {
        if (sealedBytes.Length < HeaderSize || !sealedBytes[..4].SequenceEqual(Magic))
        {
            return null;
        }

        var plaintext = new byte[sealedBytes.Length - HeaderSize];
        try
        {
            using var aes = new AesGcm(key.EncryptionKey, TagSize);
            aes.Decrypt(sealedBytes.Slice(4, NonceSize), sealedBytes[HeaderSize..], sealedBytes.Slice(4 + NonceSize, TagSize),
                plaintext, key.IdBytes);
        }
        catch (AuthenticationTagMismatchException)
        {
            return null;
        }

        return Deserialize(plaintext);
    }

    private static byte[] Serialize(StoredAnswer answer)
    {
        using var buffer = new MemoryStream(answer.Body.Length + 256);
        using (var writer = new BinaryWriter(buffer, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(answer.StoredAt.ToUnixTimeMilliseconds());
            writer.Write(answer.Headers.Count);
            foreach (var (name, value) in answer.Headers)
            {
                writer.Write(name);
                writer.Write(value);
            }

            writer.Write(answer.Body);
        }

        return buffer.ToArray();
    }

    // The plaintext passed authentication, so it is what Serialize wrote; a format error would still only mean "unreadable".
    private static StoredAnswer? Deserialize(byte[] plaintext)
    {
        try
        {
            using var reader = new BinaryReader(new MemoryStream(plaintext), Encoding.UTF8);
            var storedAt = DateTimeOffset.FromUnixTimeMilliseconds(reader.ReadInt64());
            var count = reader.ReadInt32();
            if (count is < 0 or > 16)
            {
                return null;
            }

            var headers = new List<KeyValuePair<string, string>>(count);
            for (var i = 0; i < count; i++)
            {
                headers.Add(new(reader.ReadString(), reader.ReadString()));
            }

            var bodyStart = (int)reader.BaseStream.Position;
            return new StoredAnswer(headers, plaintext[bodyStart..], storedAt);
        }
        catch (Exception e) when (e is EndOfStreamException or IOException or ArgumentOutOfRangeException)
        {
            return null;
        }
    }
}
