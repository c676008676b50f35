return await ApicastSidecarProxy.SidecarApplication.RunAsync(args);
