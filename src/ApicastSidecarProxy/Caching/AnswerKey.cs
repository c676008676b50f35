namespace ApicastSidecarProxy.Caching;

/// <summary>
/// Where an answer is kept, derived from the credentials that asked for it and the request: an identifier that
/// reveals neither (a file name, the key of the in-memory table) and the key that encrypts it on disk.
/// </summary>
/// <param name="Id">Lowercase hex of <see cref="IdBytes"/>.</param>
/// <param name="IdBytes">HMAC-SHA256 of the request under a key derived from the credentials.</param>
/// <param name="EncryptionKey">AES-256 key derived from the credentials.</param>
public sealed record AnswerKey(string Id, byte[] IdBytes, byte[] EncryptionKey);
