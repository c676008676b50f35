using ApicastSidecarProxy.DeploymentTests.Infrastructure;

namespace ApicastSidecarProxy.DeploymentTests.Manifests;

/// <summary>kustomization.yaml lists the manifests that exist, never a Secret, and its image overrides apply.</summary>
public class KustomizationTests
{
    private static readonly YamlMap Kustomization = YamlFile.LoadSingle(RepositoryFiles.Kustomization);

    [Fact]
    public void Resources_AreTheDeploymentAndServiceFiles_AndNoSecret()
    {
        var resources = Kustomization.Strings("resources");

        Assert.Equal(["deployment.yaml", "service.yaml"], resources);
        Assert.All(resources, r => Assert.True(File.Exists(Path.Combine(Path.GetDirectoryName(RepositoryFiles.Kustomization)!, r)), r));
    }

    [Fact]
    public void ImageOverrides_NameTheImagesTheDeploymentUses()
    {
        var pod = PodSpec.Load("kubernetes");
        var images = pod.Containers.Select(c => c.Yaml.String("image").Split(':')[0]).ToHashSet();

        Assert.Equal(images.Order(), Kustomization.Maps("images").Select(i => i.String("name")).Order());
    }
}
