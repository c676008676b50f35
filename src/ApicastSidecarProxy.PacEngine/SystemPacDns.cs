using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace ApicastSidecarProxy.PacEngine;

/// <summary>The system resolver, each look-up bounded in time: a slow DNS server must not hold a PAC evaluation.</summary>
public sealed class SystemPacDns(TimeSpan timeout) : IPacDns
{
    /// <summary>One second per look-up.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(1);

    public static SystemPacDns Instance { get; } = new(DefaultTimeout);

    // Never sent to: connecting a UDP socket only asks the kernel which local address routes there (TEST-NET-2).
    private static readonly IPEndPoint RouteProbe = new(IPAddress.Parse("198.51.100.1"), 53);

    public IPAddress? Resolve(string host)
    {
        if (host.Length is 0 or > 253)
        {
            return null;
        }

        using var cancellation = new CancellationTokenSource(timeout);
        try
        {
            // WaitAsync as well: getaddrinfo does not always honour the token.
            var addresses = Dns.GetHostAddressesAsync(host, cancellation.Token).WaitAsync(timeout).GetAwaiter().GetResult();
            return addresses.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork) ?? addresses.FirstOrDefault();
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or TimeoutException or ArgumentException)
        {
            return null;
        }
    }

    public IPAddress MyIpAddress() => DefaultRouteAddress() ?? FirstInterfaceAddress() ?? IPAddress.Loopback;

    private static IPAddress? DefaultRouteAddress()
    {
        try
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            socket.Connect(RouteProbe);
            return socket.LocalEndPoint is IPEndPoint { Address: var address } && !IPAddress.IsLoopback(address) ? address : null;
        }
        catch (SocketException)
        {
            return null;
        }
    }

    private static IPAddress? FirstInterfaceAddress()
    {
        foreach (var nic in NetworkInterface.GetAllNetworkInterfaces())
        {
            if (nic.OperationalStatus != OperationalStatus.Up || nic.NetworkInterfaceType == NetworkInterfaceType.Loopback)
            {
                continue;
            }

            foreach (var unicast in nic.GetIPProperties().UnicastAddresses)
            {
                if (unicast.Address.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(unicast.Address))
                {
                    return unicast.Address;
                }
            }
        }

        return null;
    }
}
