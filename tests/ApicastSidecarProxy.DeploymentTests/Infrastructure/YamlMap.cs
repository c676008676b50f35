namespace ApicastSidecarProxy.DeploymentTests.Infrastructure;

/// <summary>A YAML mapping with typed accessors that fail with the missing key's name.</summary>
public sealed class YamlMap(IReadOnlyDictionary<string, object?> entries)
{
    public IReadOnlyDictionary<string, object?> Entries { get; } = entries;

    public bool Has(string key) => Entries.ContainsKey(key);

    public string String(string key) =>
        Entries.TryGetValue(key, out var value) && value is string text
            ? text
            : throw new KeyNotFoundException($"no scalar '{key}' in mapping with keys [{string.Join(", ", Entries.Keys)}]");

    public string? OptionalString(string key) => Entries.TryGetValue(key, out var value) ? value as string : null;

    public YamlMap Map(string key) =>
        Entries.TryGetValue(key, out var value) && value is YamlMap map
            ? map
            : throw new KeyNotFoundException($"no mapping '{key}' in mapping with keys [{string.Join(", ", Entries.Keys)}]");

    public YamlMap? OptionalMap(string key) => Entries.TryGetValue(key, out var value) ? value as YamlMap : null;

    public IReadOnlyList<YamlMap> Maps(string key) => OptionalMaps(key)
        ?? throw new KeyNotFoundException($"no sequence '{key}' in mapping with keys [{string.Join(", ", Entries.Keys)}]");

    public IReadOnlyList<YamlMap>? OptionalMaps(string key) =>
        Entries.TryGetValue(key, out var value) && value is IReadOnlyList<object?> items
            ? items.Select(item => item as YamlMap ?? throw new InvalidDataException($"an item of '{key}' is not a mapping")).ToList()
            : null;

    public IReadOnlyList<string> Strings(string key) =>
        Entries.TryGetValue(key, out var value) && value is IReadOnlyList<object?> items
            ? items.Select(item => item as string ?? throw new InvalidDataException($"an item of '{key}' is not a scalar")).ToList()
            : throw new KeyNotFoundException($"no sequence '{key}' in mapping with keys [{string.Join(", ", Entries.Keys)}]");

    /// <summary>Follows a dotted path of mapping keys, e.g. "spec.template.spec".</summary>
    public YamlMap Path(string dotted) => dotted.Split('.').Aggregate(this, (map, key) => map.Map(key));

    /// <summary>"apiVersion kind/name" of a Kubernetes object, for messages.</summary>
    public string Describe() =>
        $"{OptionalString("apiVersion")} {OptionalString("kind")}/{OptionalMap("metadata")?.OptionalString("name")}";
}
