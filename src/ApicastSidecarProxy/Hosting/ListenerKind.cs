using ApicastSidecarProxy.Configuration;
using ApicastSidecarProxy.Forwarding;

namespace ApicastSidecarProxy.Hosting;

/// <summary>What a listener serves; its name appears in the start-up line "listening listener=NAME".</summary>
public abstract record ListenerKind(string Name);

/// <summary>A route's listener: every request goes to its one upstream.</summary>
public sealed record RouteListener(SidecarRoute Route) : ListenerKind(Route.Name);

/// <summary>The management listener: /healthz, /readyz, /metrics.</summary>
public sealed record ManagementListener() : ListenerKind("management");

/// <summary>The forward-proxy listener: CONNECT tunnels and absolute-form requests to allow-listed destinations.</summary>
public sealed record ForwardListener(ForwardProxyOptions Options) : ListenerKind("forward");
