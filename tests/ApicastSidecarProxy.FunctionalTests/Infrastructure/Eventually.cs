namespace ApicastSidecarProxy.FunctionalTests.Infrastructure;

/// <summary>Polls a condition until it holds or a deadline passes: waiting on state, never on a fixed sleep.</summary>
public static class Eventually
{
    public static async Task<T> ReturnsAsync<T>(Func<Task<T>> probe, Func<T, bool> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var value = await probe();
            if (condition(value)) return value;
            if (DateTime.UtcNow >= deadline)
            {
                throw new TimeoutException($"{what} did not happen within {timeout.TotalSeconds}s; last value: {value}");
            }

            await Task.Delay(50);
        }
    }
}
