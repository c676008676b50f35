using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;

namespace ApicastSidecarProxy.Observability;

/// <summary>
/// Console logging through a console formatter of ours (text or JSON), written through a
/// <see cref="LogBatchWriter"/> instead of the console logger's queue, whose writer thread wakes up for every line.
/// </summary>
[ProviderAlias("Console")] // "Logging:Console:LogLevel" settings keep applying to these lines
public sealed class BatchedConsoleLoggerProvider(ConsoleFormatter formatter, LogBatchWriter output) : ILoggerProvider
{
    private readonly ConcurrentDictionary<string, BatchedConsoleLogger> _loggers = new();

    public ILogger CreateLogger(string categoryName) =>
        _loggers.GetOrAdd(categoryName, name => new BatchedConsoleLogger(name, formatter, output));

    public void Dispose()
    {
        // The output belongs to the application, which writes the last batch after the host has stopped.
    }

    private sealed class BatchedConsoleLogger(string category, ConsoleFormatter formatter, LogBatchWriter output) : ILogger
    {
        [ThreadStatic]
        private static StringWriter? t_line;

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception,
            Func<TState, Exception?, string> format)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }

            var line = t_line ??= new StringWriter();
            var text = line.GetStringBuilder();
            try
            {
                formatter.Write(new LogEntry<TState>(logLevel, category, eventId, state, exception, format), null, line);
                if (text.Length > 0)
                {
                    output.Append(text);
                }
            }
            finally
            {
                text.Clear(); // also after a formatter failure: no half line in front of this thread's next one
                if (text.Capacity > 4096)
                {
                    text.Capacity = 1024;
                }
            }
        }
    }
}
