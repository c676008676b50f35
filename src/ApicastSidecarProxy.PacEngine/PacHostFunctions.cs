using Jint;
using Jint.Native;
using Jint.Runtime.Interop;

namespace ApicastSidecarProxy.PacEngine;

/// <summary>
/// The PAC helpers that need the host: DNS and the clock. Registered as ClrFunction values, which need no reflection
/// (engine.SetValue with a delegate does, and is not trim-safe).
/// </summary>
internal static class PacHostFunctions
{
    public static void Register(Engine engine, PacScriptOptions options)
    {
        var time = new PacTimeFunctions(options.Time);
        Add(engine, "dnsResolve", arguments =>
            arguments.Length > 0 && arguments[0].IsString() && options.Dns.Resolve(arguments[0].AsString()) is { } address
                ? new JsString(address.ToString())
                : JsValue.Null);
        Add(engine, "myIpAddress", _ => new JsString(options.Dns.MyIpAddress().ToString()));
        Add(engine, "weekdayRange", arguments => time.WeekdayRange(arguments) ? JsBoolean.True : JsBoolean.False);
        Add(engine, "dateRange", arguments => time.DateRange(arguments) ? JsBoolean.True : JsBoolean.False);
        Add(engine, "timeRange", arguments => time.TimeRange(arguments) ? JsBoolean.True : JsBoolean.False);
    }

    private static void Add(Engine engine, string name, Func<JsValue[], JsValue> function) =>
        engine.SetValue(name, new ClrFunction(engine, name, (_, arguments) => function(arguments)));
}
