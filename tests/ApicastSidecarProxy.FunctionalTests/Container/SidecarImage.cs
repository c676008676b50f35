namespace ApicastSidecarProxy.FunctionalTests.Container;

/// <summary>
/// The image under test, named by SIDECAR_IMAGE: build/test.sh builds it with build/image.sh and sets it. A container
/// test without it fails, rather than passing without having run anything.
/// </summary>
public static class SidecarImage
{
    public const string Variable = "SIDECAR_IMAGE";

    public static string Name => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } name
        ? name
        : throw new InvalidOperationException(
            $"{Variable} is not set: the container tests need the image. Run ./build/test.sh, which builds it, or " +
            $"build/image.sh and then: source build/container-env.sh; export {Variable}=localhost/apicast-sidecar-proxy:ci");
}
