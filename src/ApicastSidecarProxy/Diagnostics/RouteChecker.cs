using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using ApicastSidecarProxy.Configuration;
using ApicastSidecarProxy.Egress;
using ApicastSidecarProxy.Failures;
using ApicastSidecarProxy.Forwarding;

namespace ApicastSidecarProxy.Diagnostics;

/// <summary>
/// Checks one route hop by hop: DNS and TCP to the first hop (the proxy, or the upstream when direct), then one real
/// request through the sidecar's own outbound handler, whose outcome tells which of proxy authentication, tunnel, TLS
/// and upstream answer passed.
/// </summary>
public sealed class RouteChecker(SidecarOptions options, IProxySelector selector, HttpMessageInvoker invoker,
    Func<X509Certificate2?> lastCertificate, CheckReport report)
{
    private const int MaxBodyBytes = 64 * 1024;

    public async Task RunAsync(SidecarRoute route)
    {
        var upstream = route.Options.Upstream;
        IReadOnlyList<ProxyChoice> choices;
        try
        {
            choices = selector.Select(upstream);
        }
        catch (ProxySelectionException e)
        {
            report.Heading($"{route.Name}: {upstream}");
            report.Fail($"proxy selection: {e.Message} ({FailureCode.ProxySelectionFailed.Text()})",
                $"fix the PAC script ({SettingNames.ProxyPac}): its FindProxyForURL must return a proxy list for {upstream.IdnHost}");
            report.NotReached("proxy, tunnel, TLS and answer");
            return;
        }

        report.Heading($"{route.Name}: {upstream} via {ProxyChoice.Describe(choices, "direct connection")}");
        // The proxy list's entries in order, as the sidecar tries them, until one takes a TCP connection.
        foreach (var choice in choices)
        {
            var firstHop = choice.Proxy ?? upstream;
            var hopName = choice.IsDirect ? "upstream" : "proxy";
            if (await ResolveAsync(firstHop, hopName) is { } addresses && await ConnectAsync(firstHop, addresses, hopName))
            {
                await RequestAsync(route);
                return;
            }
        }

        report.NotReached("tunnel, TLS and answer");
    }

    private async Task<IPAddress[]?> ResolveAsync(Uri hop, string hopName)
    {
        if (IPAddress.TryParse(hop.IdnHost.Trim('[', ']'), out var literal))
        {
            report.Pass($"{hopName} address {literal} needs no DNS lookup");
            return [literal];
        }

        try
        {
            using var timeout = new CancellationTokenSource(options.ConnectTimeout);
            var addresses = await Dns.GetHostAddressesAsync(hop.IdnHost, timeout.Token);
            report.Pass($"DNS: {hopName} host {hop.IdnHost} resolves to {string.Join(", ", addresses.Take(4).Select(a => a.ToString()))}");
            return addresses;
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            report.Fail($"DNS: {hopName} host {hop.IdnHost} does not resolve ({e.Message})",
                $"check the host name in {(hopName == "proxy" ? "https_proxy" : "the endpoint URL")} and this machine's DNS (/etc/resolv.conf)");
            return null;
        }
    }

    private async Task<bool> ConnectAsync(Uri hop, IPAddress[] addresses, string hopName)
    {
        try
        {
            using var timeout = new CancellationTokenSource(options.ConnectTimeout);
            using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
            await socket.ConnectAsync(addresses, hop.Port, timeout.Token);
            report.Pass($"TCP: connected to the {hopName} at {hop.IdnHost}:{hop.Port}");
            return true;
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            var reason = e is OperationCanceledException ? $"no answer within {SettingNames.ConnectTimeout}" : e.Message;
            report.Fail($"TCP: cannot connect to the {hopName} at {hop.IdnHost}:{hop.Port} ({reason})",
                hopName == "proxy"
                    ? "is the proxy running on that host and port, and does no firewall block this machine?"
                    : "is the upstream reachable from here without a proxy? If not, set https_proxy");
            return false;
        }
    }

    private async Task RequestAsync(SidecarRoute route)
    {
        var check = route.Options.Check ?? new RouteCheck("/", 0, "");
        using var timeout = new CancellationTokenSource(options.ConnectTimeout + options.UpstreamTimeout);
        var path = OutboundPath.Begin();
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, route.DestinationPrefix + check.PathAndQuery);
            using var response = await invoker.SendAsync(request, timeout.Token);
            ReportTunnelAndTls(route, path);
            await ReportAnswerAsync(route, check, response, timeout.Token);
        }
        catch (Exception e) when (e is HttpRequestException or IOException or OperationCanceledException or ProxySelectionException)
        {
            await ReportFailureAsync(route, path, ForwardingFailureClassifier.ClassifyOwnRequest(e, path, timeout.Token,
                $"{SettingNames.ConnectTimeout} + {SettingNames.UpstreamTimeout}"));
        }
    }

    private void ReportTunnelAndTls(SidecarRoute route, OutboundPath path)
    {
        var upstream = route.Options.Upstream;
        if (path.Proxy is not null)
        {
            // Only when this request's proxy asked for credentials (it challenged, and .NET answered).
            report.Pass($"proxy {path.Proxy.GetLeftPart(UriPartial.Authority)} {(path.ProxySchemeTried is not null ? $"accepted the {path.ProxySchemeTried} credentials and " : "")}opened the tunnel to {upstream.IdnHost}:{upstream.Port}");
        }

        if (upstream.Scheme == Uri.UriSchemeHttps && lastCertificate() is { } certificate)
        {
            var daysLeft = (int)(certificate.NotAfter.ToUniversalTime() - DateTime.UtcNow).TotalDays;
            report.Pass($"TLS: {certificate.Subject}, issued by {certificate.Issuer}, valid until {certificate.NotAfter.ToUniversalTime():yyyy-MM-dd} ({daysLeft} days)");
        }
    }

    private async Task ReportAnswerAsync(SidecarRoute route, RouteCheck check, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var body = await ReadBoundedAsync(response, cancellationToken);
        var contentType = response.Content.Headers.ContentType?.MediaType ?? "no content type";
        var status = (int)response.StatusCode;
        var what = $"GET {check.PathAndQuery} answered {status} ({contentType})";
        if (route.Options.Check is null || (status == check.ExpectedStatus && body.Contains(check.ExpectedBodyFragment, StringComparison.Ordinal)))
        {
            report.Pass(route.Options.Check is null ? what : $"{what} with the expected \"{check.ExpectedBodyFragment}\"");
            return;
        }

        report.Fail($"{what}; expected {check.ExpectedStatus} with \"{check.ExpectedBodyFragment}\"",
            $"is {route.Options.EndpointVariable} the right 3scale URL? Something else (a captive portal, the proxy's block page) may be answering");
    }

    private async Task ReportFailureAsync(SidecarRoute route, OutboundPath path, ForwardingFailure failure)
    {
        var upstream = route.Options.Upstream;
        switch (failure.Code)
        {
            case FailureCode.ProxyAuthFailed:
                var offered = await ProxyChallengeProbe.OfferedSchemesAsync(path.Proxy!, upstream, options.ConnectTimeout);
                report.Fail($"proxy authentication: {failure.Message}",
                    $"the proxy rejected the credentials: check {SettingNames.ProxyUsername} and {SettingNames.ProxyPassword} " +
                    $"(or {SettingNames.ProxyPasswordFile}, or user:password in https_proxy)" +
                    (offered.Count > 0 ? $"; the proxy offered {string.Join(", ", offered)}" : ""));
                report.NotReached("tunnel, TLS and answer");
                break;
            case FailureCode.ProxyRefused:
                report.Fail($"tunnel: {failure.Message}", $"the proxy does not allow CONNECT to {upstream.IdnHost}:{upstream.Port}: ask its administrators to allow it");
                report.NotReached("TLS and answer");
                break;
            case FailureCode.UpstreamUnreachable when failure.ProxyAnswer is not null:
                report.Pass("proxy accepted the request for a tunnel");
                report.Fail($"tunnel: {failure.Message}", $"the proxy cannot reach {upstream.IdnHost}:{upstream.Port}: check the URL in {route.Options.EndpointVariable}");
                report.NotReached("TLS and answer");
                break;
            case FailureCode.ProxyTlsFailed:
                report.Fail($"TLS to the proxy: {failure.Message}",
                    $"the https:// proxy's certificate is not trusted: add its CA certificate with {SettingNames.UpstreamCaFile}");
                report.NotReached("tunnel, TLS to the upstream and answer");
                break;
            case FailureCode.UpstreamTlsFailed:
                if (path.Proxy is not null)
                {
                    report.Pass($"proxy {path.Proxy.GetLeftPart(UriPartial.Authority)} opened the tunnel to {upstream.IdnHost}:{upstream.Port}");
                }

                report.Fail($"TLS: {failure.Message}",
                    $"if the proxy inspects TLS, add its CA certificate with {SettingNames.UpstreamCaFile}; otherwise check the URL in {route.Options.EndpointVariable}");
                report.NotReached("answer");
                break;
            case FailureCode.ConnectTimeout:
                report.Fail($"connection: {failure.Message}", $"the {failure.Hop} is slow or silent; raise {SettingNames.ConnectTimeout} only if it is known to be slow");
                break;
            case FailureCode.UpstreamTimeout:
                ReportTunnelAndTls(route, path);
                report.Fail($"answer: {failure.Message}", $"the upstream is slow or down; raise {SettingNames.UpstreamTimeout} only if it is known to be slow");
                break;
            default:
                report.Fail($"{failure.Hop}: {failure.Message}", "see the error code in the README's Errors table");
                break;
        }
    }

    private static async Task<string> ReadBoundedAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        var buffer = new byte[MaxBodyBytes];
        var total = 0;
        int read;
        while (total < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(total), cancellationToken)) > 0)
        {
            total += read;
        }

        return System.Text.Encoding.UTF8.GetString(buffer, 0, total);
    }
}
