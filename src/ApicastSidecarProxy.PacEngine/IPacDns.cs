using System.Net;

namespace ApicastSidecarProxy.PacEngine;

/// <summary>The host look-ups a PAC script can make (dnsResolve, isResolvable, isInNet, myIpAddress).</summary>
public interface IPacDns
{
    /// <summary>An address of <paramref name="host"/>, IPv4 preferred; null when it does not resolve in time.</summary>
    IPAddress? Resolve(string host);

    /// <summary>This host's own address as browsers report it: a non-loopback IPv4 address, else 127.0.0.1.</summary>
    IPAddress MyIpAddress();
}
