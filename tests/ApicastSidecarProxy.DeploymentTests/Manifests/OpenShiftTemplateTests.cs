using System.Text.RegularExpressions;
using ApicastSidecarProxy.DeploymentTests.Infrastructure;

namespace ApicastSidecarProxy.DeploymentTests.Manifests;

/// <summary>The template's parameters are declared, used, and the ones the issue names.</summary>
public partial class OpenShiftTemplateTests
{
    private static readonly string Text = File.ReadAllText(RepositoryFiles.OpenShiftTemplate);
    private static readonly YamlMap Template = YamlFile.LoadSingle(RepositoryFiles.OpenShiftTemplate);

    private static IReadOnlyList<YamlMap> Parameters => Template.Maps("parameters");

    [Fact]
    public void EveryParameterUsed_IsDeclared_AndEveryDeclaredParameterIsUsed()
    {
        var objectsText = Text[Text.IndexOf("\nobjects:", StringComparison.Ordinal)..];
        var used = ParameterReference().Matches(objectsText).Select(m => m.Groups["name"].Value).ToHashSet();
        var declared = Parameters.Select(p => p.String("name")).ToHashSet();

        Assert.Equal(declared.Order(), used.Order());
    }

    [Fact]
    public void Parameters_CoverTokenEndpointsProxyCredentialsAndImages()
    {
        var declared = Parameters.Select(p => p.String("name")).ToHashSet();

        Assert.Superset(new HashSet<string>
        {
            "ACCESS_TOKEN", "THREESCALE_PORTAL_ENDPOINT", "BACKEND_ENDPOINT_OVERRIDE",
            "PROXY_URL", "PROXY_USERNAME", "PROXY_PASSWORD", "SIDECAR_IMAGE", "APICAST_IMAGE",
        }, declared);
    }

    [Fact]
    public void SecretParameters_HaveNoDefault_AndRequiredOnesAreMarked()
    {
        foreach (var name in new[] { "ACCESS_TOKEN", "PROXY_PASSWORD" })
        {
            Assert.True(string.IsNullOrEmpty(Parameters.Single(p => p.String("name") == name).OptionalString("value")), name);
        }

        foreach (var name in new[] { "ACCESS_TOKEN", "THREESCALE_PORTAL_ENDPOINT", "PROXY_URL", "SIDECAR_IMAGE" })
        {
            Assert.Equal("true", Parameters.Single(p => p.String("name") == name).OptionalString("required"));
        }
    }

    [Fact]
    public void Secrets_OnlyTravelInSecretObjects()
    {
        var deployment = PodSpec.TemplateDeployment();
        var deploymentText = string.Join("\n", Flatten(deployment));

        Assert.DoesNotContain("${ACCESS_TOKEN}", deploymentText);
        Assert.DoesNotContain("${PROXY_PASSWORD}", deploymentText);
    }

    [Fact]
    public void Images_ComeFromParameters()
    {
        var pod = PodSpec.Load("openshift");

        Assert.Equal("${SIDECAR_IMAGE}", pod.Sidecar.Yaml.String("image"));
        Assert.Equal("${APICAST_IMAGE}", pod.Apicast.Yaml.String("image"));
    }

    private static IEnumerable<string> Flatten(object? node) => node switch
    {
        YamlMap map => map.Entries.SelectMany(e => Flatten(e.Value).Prepend(e.Key)),
        IReadOnlyList<object?> list => list.SelectMany(Flatten),
        string text => [text],
        _ => [],
    };

    // ${NAME} and ${{NAME}} (the latter substitutes a non-string value).
    [GeneratedRegex(@"\$\{\{?(?<name>[A-Z0-9_]+)\}?\}")]
    private static partial Regex ParameterReference();
}
