using ApicastSidecarProxy;

return args switch
{
    ["--version"] => CommandLineInfo.PrintVersion(),
    ["--help" or "-h"] => CommandLineInfo.PrintHelp(),
    _ => await SidecarApplication.RunAsync(args),
};
