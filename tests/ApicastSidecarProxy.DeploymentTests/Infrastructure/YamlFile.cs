using YamlDotNet.RepresentationModel;

namespace ApicastSidecarProxy.DeploymentTests.Infrastructure;

/// <summary>
/// Loads a YAML stream (one or more documents) into plain objects: <see cref="YamlMap"/> for mappings,
/// <see cref="IReadOnlyList{T}"/> of objects for sequences, and strings for scalars (unresolved, as written).
/// </summary>
public static class YamlFile
{
    public static IReadOnlyList<YamlMap> LoadDocuments(string path)
    {
        var stream = new YamlStream();
        using (var reader = new StreamReader(path))
        {
            stream.Load(reader);
        }

        return stream.Documents
            .Select(document => Convert(document.RootNode) as YamlMap
                ?? throw new InvalidDataException($"{path}: a document is not a mapping"))
            .ToList();
    }

    public static YamlMap LoadSingle(string path)
    {
        var documents = LoadDocuments(path);
        return documents.Count == 1 ? documents[0] : throw new InvalidDataException($"{path}: {documents.Count} documents, expected 1");
    }

    private static object? Convert(YamlNode node) => node switch
    {
        YamlMappingNode mapping => new YamlMap(mapping.Children.ToDictionary(
            entry => ((YamlScalarNode)entry.Key).Value ?? "",
            entry => Convert(entry.Value),
            StringComparer.Ordinal)),
        YamlSequenceNode sequence => sequence.Children.Select(Convert).ToList(),
        YamlScalarNode scalar => scalar.Value,
        _ => throw new InvalidDataException($"unsupported YAML node {node.NodeType} at {node.Start}"),
    };
}
