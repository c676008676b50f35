using System.Net;
using ApicastSidecarProxy.PacEngine;

namespace ApicastSidecarProxy.Tests.PacEngine;

/// <summary>A resolver with a fixed table; records every look-up.</summary>
internal sealed class FakePacDns(Dictionary<string, string> addresses, string myAddress = "10.1.2.3") : IPacDns
{
    public List<string> LookedUp { get; } = [];

    public IPAddress? Resolve(string host)
    {
        lock (LookedUp)
        {
            LookedUp.Add(host);
        }

        return addresses.TryGetValue(host, out var address) ? IPAddress.Parse(address) : null;
    }

    public IPAddress MyIpAddress() => IPAddress.Parse(myAddress);
}
