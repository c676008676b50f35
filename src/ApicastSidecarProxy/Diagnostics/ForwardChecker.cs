using System.Net.Security;
using System.Security.Authentication;
using ApicastSidecarProxy.Configuration;
using ApicastSidecarProxy.Egress;
using ApicastSidecarProxy.ForwardProxy;

namespace ApicastSidecarProxy.Diagnostics;

/// <summary>
/// `check --forward host:port`: what the forward-proxy listener would do for that destination. The allow-list, then
/// the tunnel through the corporate proxy exactly as the listener opens it, then a TLS handshake through the tunnel
/// (the one APIcast would make, with this machine's trust and UPSTREAM_CA_FILE).
/// </summary>
public sealed class ForwardChecker(SidecarOptions options, TunnelOpener opener, IProxySelector selector, CheckReport report)
{
    public async Task RunAsync(string target)
    {
        if (!ConnectRequestHead.TryParseAuthority(target, out var destination))
        {
            report.Heading($"forward: {target}");
            report.Fail($"'{target}' is not host:port", "give the destination as APIcast would CONNECT to it, e.g. keycloak.corp.example:8443");
            return;
        }

        var (host, port) = destination;
        report.Heading($"forward: {target} via {Describe(new Uri($"https://{target}/"))}");
        if (options.ForwardProxy is not { } forward)
        {
            report.Fail($"the forward-proxy listener is off", $"set {SettingNames.ForwardProxyPort} and {SettingNames.ForwardProxyAllow}");
            return;
        }

        if (!forward.Allow.Allows(host, port, tunnel: true))
        {
            report.Fail($"{target} is not in {SettingNames.ForwardProxyAllow} ({forward.Allow.Text})",
                $"add it to {SettingNames.ForwardProxyAllow} if APIcast must reach it");
            return;
        }

        report.Pass($"{target} is in {SettingNames.ForwardProxyAllow}");
        var path = OutboundPath.Begin();
        var (tunnel, failure) = await opener.OpenAsync(host, port, path, CancellationToken.None);
        if (tunnel is null)
        {
            report.Fail($"tunnel: {failure!.Message} ({failure.CodeText})", failure.Hop == "proxy"
                ? "see the proxy checks of the routes above: the forward listener uses the same proxy and credentials"
                : $"the proxy cannot reach {target}: check the host and port");
            report.NotReached("TLS");
            return;
        }

        await using (tunnel)
        {
            report.Pass(path.Proxy is null ? $"TCP: connected to {target}" : $"proxy {path.Description} opened the tunnel to {target}");
            await HandshakeAsync(tunnel, host);
        }
    }

    private string Describe(Uri destination)
    {
        try
        {
            return ProxyChoice.Describe(selector.Select(destination), "direct connection");
        }
        catch (ProxySelectionException)
        {
            return "no proxy (the PAC script failed: see below)";
        }
    }

    private async Task HandshakeAsync(Stream tunnel, string host)
    {
        using var timeout = new CancellationTokenSource(options.ConnectTimeout);
        await using var tls = new SslStream(tunnel, leaveInnerStreamOpen: true);
        var validator = new UpstreamCertificateValidator(options.Tls);
        try
        {
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = host,
                RemoteCertificateValidationCallback = (_, certificate, chain, errors) => validator.Validate(certificate, chain, errors, atProxy: false),
            }, timeout.Token);
            var certificate = tls.RemoteCertificate!;
            report.Pass($"TLS: {certificate.Subject}, issued by {certificate.Issuer}");
        }
        catch (Exception e) when (e is AuthenticationException or IOException or OperationCanceledException)
        {
            report.Fail($"TLS with {host} through the tunnel failed: {e.Message}",
                "if the proxy inspects TLS, APIcast must trust its CA too; or the destination does not speak TLS on that port");
        }
    }
}
