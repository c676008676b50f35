using ApicastSidecarProxy;

return args switch
{
    ["--version"] => CommandLineInfo.PrintVersion(),
    _ when args.Any(arg => arg is "--help" or "-h") => CommandLineInfo.PrintHelp(),
    ["check", .. var rest] => await ApicastSidecarProxy.Diagnostics.CheckCommand.RunAsync(rest),
    _ => await SidecarApplication.RunAsync(args),
};
