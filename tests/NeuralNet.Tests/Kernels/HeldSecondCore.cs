using NeuralNet.Kernels;

namespace NeuralNet.Tests.Kernels;

/// <summary>Runs code while <see cref="SecondCore"/> is reserved by someone else, so the caller must do all of the work itself.</summary>
internal static class HeldSecondCore
{
    /// <summary>Reserves the helper (waiting while another test uses it), runs <paramref name="action"/>, and releases it.</summary>
    public static void While(Action action)
    {
        SpinWait.SpinUntil(SecondCore.TryReserve);
        try
        {
            action();
        }
        finally
        {
            Release();
        }
    }

    /// <summary>
    /// Whether the helper can be reserved within <paramref name="timeout"/> (it is released again at once): code that
    /// kept a reservation by mistake would leave it reserved for ever.
    /// </summary>
    public static bool FreesWithin(TimeSpan timeout)
    {
        if (!SpinWait.SpinUntil(SecondCore.TryReserve, timeout))
        {
            return false;
        }

        Release();
        return true;
    }

    /// <summary>Releases a reservation this thread holds, the way every reservation ends: a start and a wait.</summary>
    private static void Release()
    {
        SecondCore.Start(NoWork.Instance);
        SecondCore.Wait(); // releases the reservation
    }

    private sealed class NoWork : WorkItem
    {
        public static readonly NoWork Instance = new();

        public override void Execute()
        {
        }
    }
}
