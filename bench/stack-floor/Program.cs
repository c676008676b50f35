// The floor of the sidecar's stack: Kestrel, YARP's IHttpForwarder and one SocketsHttpHandler, configured as the
// sidecar configures them, and nothing else: no logging, metrics, redaction, readiness prober, error pages or
// settings validation. It reads just enough of the sidecar's environment contract to run in bench/benchmark.sh
// (--compare), so the sidecar's distance to it is what our own code costs, and its distance to nginx is the stack's.
using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Yarp.ReverseProxy.Forwarder;

if (args is ["--version"])
{
    Console.WriteLine("stack-floor (Kestrel + YARP's forwarder + SocketsHttpHandler, nothing else)");
    return 0;
}

if (Environment.GetEnvironmentVariable("THREESCALE_PORTAL_ENDPOINT") is not { Length: > 0 })
{
    Console.Error.WriteLine("stack-floor: THREESCALE_PORTAL_ENDPOINT is required (it reads the sidecar's environment)");
    return 2;
}

var portal = Origin(Setting("THREESCALE_PORTAL_ENDPOINT", "")); // the sidecar sends the access token; the bench ignores it
var backend = Origin(Setting("BACKEND_ENDPOINT_OVERRIDE", "https://su1.3scale.net"));
var listenAddress = IPAddress.Parse(Setting("LISTEN_ADDRESS", "0.0.0.0"));
var portalPort = int.Parse(Setting("PORTAL_LISTEN_PORT", "9090"));
var backendPort = int.Parse(Setting("BACKEND_LISTEN_PORT", "9091"));

var handler = new SocketsHttpHandler
{
    UseProxy = true, // https_proxy and NO_PROXY, credentials in the proxy URL: .NET's own environment proxy
    AllowAutoRedirect = false,
    AutomaticDecompression = DecompressionMethods.None,
    UseCookies = false,
    ActivityHeadersPropagator = null,
    PooledConnectionIdleTimeout = TimeSpan.FromSeconds(50),
    PooledConnectionLifetime = TimeSpan.FromMinutes(5),
};
if (Environment.GetEnvironmentVariable("UPSTREAM_CA_FILE") is { Length: > 0 } caFile)
{
    handler.SslOptions.CertificateChainPolicy = new X509ChainPolicy
    {
        TrustMode = X509ChainTrustMode.CustomRootTrust,
        RevocationMode = X509RevocationMode.NoCheck,
    };
    handler.SslOptions.CertificateChainPolicy.CustomTrustStore.ImportFromPemFile(caFile);
}

var invoker = new HttpMessageInvoker(handler);
var config = new ForwarderRequestConfig
{
    ActivityTimeout = TimeSpan.FromSeconds(30),
    Version = HttpVersion.Version11,
    VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
};

var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = ["--hostBuilder:reloadConfigOnChange=false"] });
builder.Logging.ClearProviders();
builder.WebHost.ConfigureKestrel(kestrel =>
{
    kestrel.AddServerHeader = false;
    kestrel.Listen(listenAddress, portalPort, listener => listener.Protocols = HttpProtocols.Http1);
    kestrel.Listen(listenAddress, backendPort, listener => listener.Protocols = HttpProtocols.Http1);
});
builder.Services.AddHttpForwarder();
var app = builder.Build();
var forwarder = app.Services.GetRequiredService<IHttpForwarder>();
app.Run(async context =>
{
    var destination = context.Connection.LocalPort == portalPort ? portal : backend;
    var error = await forwarder.SendAsync(context, destination, invoker, config, HttpTransformer.Default);
    if (error != ForwarderError.None && !context.Response.HasStarted)
    {
        context.Response.StatusCode = StatusCodes.Status502BadGateway;
        Console.Error.WriteLine($"{error}: {context.Features.Get<IForwarderErrorFeature>()?.Exception?.GetBaseException().Message}");
    }
});
app.Run();
return 0;

static string Setting(string name, string fallback) =>
    Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : fallback;

static string Origin(string endpoint) => new Uri(endpoint).GetLeftPart(UriPartial.Authority);
