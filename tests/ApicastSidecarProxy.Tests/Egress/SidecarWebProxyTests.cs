using ApicastSidecarProxy.Egress;

namespace ApicastSidecarProxy.Tests.Egress;

public class SidecarWebProxyTests
{
    private static readonly Uri Destination = new("https://su1.3scale.net/");

    [Fact]
    public async Task TheProxy_IsTheOneChosenForTheRequestNowSending()
    {
        var proxy = new SidecarWebProxy(null);

        var (a, b) = (await On(new Uri("http://a:3128/"), proxy), await On(new Uri("http://b:3128/"), proxy));

        Assert.Equal(("http://a:3128/", "http://b:3128/"), (a?.ToString(), b?.ToString()));
    }

    [Fact]
    public async Task Direct_IsBypassed()
    {
        var proxy = new SidecarWebProxy(null);

        var bypassed = await Task.Run(() =>
        {
            OutboundPath.Pin(ProxyChoice.Direct);
            return proxy.IsBypassed(Destination);
        });

        Assert.True(bypassed);
    }

    [Fact]
    public async Task WithoutAChoice_TheProxyCannotResolve_SoTheRequestFailsInsteadOfGoingDirect()
    {
        var proxy = new SidecarWebProxy(null);

        var (bypassed, chosen) = await Task.Run(() => (proxy.IsBypassed(Destination), proxy.GetProxy(Destination)));

        Assert.False(bypassed);
        Assert.Equal(SidecarWebProxy.Unselected, chosen);
        Assert.EndsWith(".invalid", chosen!.Host);
    }

    private static Task<Uri?> On(Uri chosen, SidecarWebProxy proxy) => Task.Run(() =>
    {
        OutboundPath.Pin(new ProxyChoice(chosen));
        return proxy.GetProxy(Destination);
    });
}
