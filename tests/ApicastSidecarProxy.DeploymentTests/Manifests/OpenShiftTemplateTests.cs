using System.Text.RegularExpressions;
using ApicastSidecarProxy.DeploymentTests.Infrastructure;

namespace ApicastSidecarProxy.DeploymentTests.Manifests;

/// <summary>
/// The two OpenShift Templates (APIcast and the sidecar in one pod; the operator variant): parameters declared and used,
/// 3scale's names where they overlap, every object named after the gateway, no secret value as a parameter.
/// </summary>
public partial class OpenShiftTemplateTests
{
    public static TheoryData<string> Templates => new() { "deploy/openshift/template.yaml", "deploy/openshift/operator-variant.yaml" };

    private static readonly YamlMap PodTemplate = YamlFile.LoadSingle(RepositoryFiles.OpenShiftTemplate);

    private static IReadOnlyList<YamlMap> Parameters(YamlMap template) => template.Maps("parameters");

    private static YamlMap Load(string file) => YamlFile.LoadSingle(RepositoryFiles.Absolute(file));

    [Theory]
    [MemberData(nameof(Templates))]
    public void EveryParameterUsed_IsDeclared_AndEveryDeclaredParameterIsUsed(string file)
    {
        var text = File.ReadAllText(RepositoryFiles.Absolute(file));
        var objectsText = text[text.IndexOf("\nobjects:", StringComparison.Ordinal)..];
        var used = ParameterReference().Matches(objectsText).Select(m => m.Groups["name"].Value).ToHashSet();
        var declared = Parameters(Load(file)).Select(p => p.String("name")).ToHashSet();

        Assert.Equal(declared.Order(), used.Order());
    }

    [Theory]
    [MemberData(nameof(Templates))]
    public void EveryObject_IsNamedAfterTheGateway_SoTwoGatewaysFitInOneProject(string file)
    {
        var objects = Load(file).Maps("objects");

        Assert.All(objects, o => Assert.StartsWith("${APICAST_NAME}", o.Map("metadata").String("name")));
        Assert.All(objects.Where(o => o.OptionalMap("spec")?.Has("selector") == true), o =>
        {
            var selector = o.Path("spec.selector");
            var labels = (selector.OptionalMap("matchLabels") ?? selector).Entries;
            Assert.Equal("${APICAST_NAME}", labels["app.kubernetes.io/instance"]);
        });
    }

    [Theory]
    [MemberData(nameof(Templates))]
    public void NoSecretValue_IsAParameter_SecretsAreReferencedByName(string file)
    {
        var declared = Parameters(Load(file)).Select(p => p.String("name")).ToList();

        Assert.DoesNotContain(declared, name => name.Contains("PASSWORD", StringComparison.Ordinal) || name.Contains("TOKEN", StringComparison.Ordinal));
        Assert.DoesNotContain(Load(file).Maps("objects"), o => o.String("kind") == "Secret" && o.Has("data"));
    }

    [Fact]
    public void Parameters_FollowThe3scaleApicastTemplate_AndReachTheVariablesItSets()
    {
        var apicast = PodSpec.Load("openshift").Apicast;

        // 3scale's parameter -> the APIcast variable its template sets from it.
        (string Parameter, string Variable)[] threescale =
        [
            ("DEPLOYMENT_ENVIRONMENT", "THREESCALE_DEPLOYMENT_ENV"),
            ("CONFIGURATION_LOADER", "APICAST_CONFIGURATION_LOADER"),
            ("CONFIGURATION_CACHE", "APICAST_CONFIGURATION_CACHE"),
            ("LOG_LEVEL", "APICAST_LOG_LEVEL"),
            ("MANAGEMENT_API", "APICAST_MANAGEMENT_API"),
            ("OPENSSL_VERIFY", "OPENSSL_VERIFY"),
            ("RESPONSE_CODES", "APICAST_RESPONSE_CODES"),
        ];
        foreach (var (parameter, variable) in threescale)
        {
            Assert.Equal($"${{{parameter}}}", apicast.EnvValue(variable));
        }

        Assert.Equal("${AMP_APICAST_IMAGE}", apicast.Yaml.String("image"));
        Assert.Equal("${APICAST_NAME}", PodSpec.TemplateDeployment().Map("metadata").String("name"));
        // CONFIGURATION_URL_SECRET: 3scale's Secret whose key "password" is https://TOKEN@TENANT-admin.3scale.net.
        var portal = PodSpec.Load("openshift").Sidecar.EnvEntry("THREESCALE_PORTAL_ENDPOINT")!.Path("valueFrom.secretKeyRef");
        Assert.Equal(("${CONFIGURATION_URL_SECRET}", "password"), (portal.String("name"), portal.String("key")));
    }

    [Fact]
    public void Parameters_CoverTheProxySecretAuthenticationCaBundleAndKerberos()
    {
        var pod = PodSpec.Load("openshift");
        var sidecar = pod.Sidecar;

        Assert.Equal("${PROXY_SECRET}", sidecar.EnvEntry("PROXY_USERNAME")!.Path("valueFrom.secretKeyRef").String("name"));
        Assert.Equal("${PROXY_AUTH}", sidecar.EnvValue("PROXY_AUTH"));
        Assert.Equal("${UPSTREAM_CA_FILE}", sidecar.EnvValue("UPSTREAM_CA_FILE"));
        Assert.Equal("${PROXY_CA_CONFIGMAP}", MountedVolume(pod, "/etc/apicast-sidecar-proxy/ca").Path("configMap").String("name"));

        // Kerberos: krb5.conf and the keytab where KRB5_CONFIG and KRB5_CLIENT_KTNAME point, optional (absent unless used).
        var krb5Conf = MountedVolume(pod, Path.GetDirectoryName(sidecar.EnvValue("KRB5_CONFIG"))!);
        var keytab = MountedVolume(pod, Path.GetDirectoryName(sidecar.EnvValue("KRB5_CLIENT_KTNAME"))!);
        Assert.Equal(("${KRB5_CONFIGMAP}", "true"), (krb5Conf.Path("configMap").String("name"), krb5Conf.Path("configMap").String("optional")));
        Assert.Equal(("${KRB5_KEYTAB_SECRET}", "true"), (keytab.Path("secret").String("secretName"), keytab.Path("secret").String("optional")));
        Assert.Equal("MEMORY:sidecar", sidecar.EnvValue("KRB5CCNAME"));
    }

    [Fact]
    public void RequiredParameters_AreMarked_AndTheSidecarImageHasNoDefault()
    {
        var parameters = Parameters(PodTemplate);

        foreach (var name in new[] { "APICAST_NAME", "CONFIGURATION_URL_SECRET", "PROXY_URL", "PROXY_SECRET", "SIDECAR_IMAGE" })
        {
            Assert.Equal("true", parameters.Single(p => p.String("name") == name).OptionalString("required"));
        }

        Assert.Null(parameters.Single(p => p.String("name") == "SIDECAR_IMAGE").OptionalString("value"));
    }

    [Fact]
    public void Images_ComeFromParameters()
    {
        var pod = PodSpec.Load("openshift");

        Assert.Equal("${SIDECAR_IMAGE}", pod.Sidecar.Yaml.String("image"));
        Assert.Equal("${AMP_APICAST_IMAGE}", pod.Apicast.Yaml.String("image"));
    }

    [Fact]
    public void Service_ExposesTheGateway_ApicastsMetrics_AndTheSidecarsMetrics()
    {
        var service = PodSpec.TemplateObject(RepositoryFiles.OpenShiftTemplate, "Service");
        var pod = PodSpec.Load("openshift");

        var targets = service.Path("spec").Maps("ports").Select(p => p.String("targetPort")).ToList();
        Assert.Equal(["proxy", "metrics", "management"], targets);
        Assert.Equal(9421, pod.Apicast.ContainerPort("metrics"));
    }

    private static YamlMap MountedVolume(PodSpec pod, string mountPath) =>
        pod.Volume(pod.Sidecar.VolumeMounts.Single(m => m.String("mountPath") == mountPath).String("name"));

    // ${NAME} and ${{NAME}} (the latter substitutes a non-string value).
    [GeneratedRegex(@"\$\{\{?(?<name>[A-Z0-9_]+)\}?\}")]
    private static partial Regex ParameterReference();
}
