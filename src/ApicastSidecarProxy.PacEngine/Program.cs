using System.Runtime.InteropServices;
using System.Text;

namespace ApicastSidecarProxy.PacEngine;

internal static class Program
{
    private static int Main(string[] args)
    {
        if (args.Length > 0)
        {
            Console.Error.WriteLine("apicast-sidecar-pac: the PAC engine of apicast-sidecar-proxy, which starts it when PROXY_PAC is set; " +
                "it takes no arguments and is not meant to be run by hand");
            return 64;
        }

        // The engine ends with the sidecar, when its standard input closes; SIGTERM and SIGINT (sent to the whole
        // process group or service) start the sidecar's drain, during which its requests may still need the script.
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, signal => signal.Cancel = true);
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, signal => signal.Cancel = true);
        var utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);
        using var requests = new StreamReader(Console.OpenStandardInput(), utf8);
        using var replies = new StreamWriter(Console.OpenStandardOutput(), utf8);
        new PacEngineServer(PacScriptOptions.Default).Run(requests, replies);
        return 0;
    }
}
