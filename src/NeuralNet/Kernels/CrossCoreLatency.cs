using System.Diagnostics;
using System.Runtime.InteropServices;

namespace NeuralNet.Kernels;

/// <summary>
/// The round trip of one cache line between the calling thread and the library's second-core thread (the two threads a
/// training step shares its work between): the caller writes an odd number, the helper answers with the next even one,
/// many times over; the median of a few batches in nanoseconds. On a virtual machine whose host moves the two cores
/// between core complexes it tells the host's state at the moment of a timing (several times longer when the two cores do
/// not share an L3; benchmarks/README.md has the figures), so the benchmark runner's W2 and W3 print it before and after
/// their timed epoch. A diagnostic only: nothing in the library decides by it.
/// </summary>
internal static class CrossCoreLatency
{
    private const int RoundTrips = 20_000, Batches = 5;
    private const long NotStarted = -2;

    /// <summary>The median round trip in ns, or NaN when there is no second core or it is busy.</summary>
    public static double Measure()
    {
        if (!SecondCore.Exists || !SecondCore.TryReserve())
        {
            return double.NaN;
        }

        var job = new PingPong();
        job.Line.Value = NotStarted;
        SecondCore.Start(job);
        long waiting = Stopwatch.GetTimestamp();
        while (Volatile.Read(ref job.Line.Value) == NotStarted)
        {
            if (Stopwatch.GetElapsedTime(waiting).TotalSeconds > 1 && SecondCore.TryWithdraw())
            {
                return double.NaN; // the helper did not pick the work up in a second (a busy machine): no figure
            }
        }

        var times = new double[Batches];
        try
        {
            for (int b = 0; b < Batches; b++)
            {
                long start = Stopwatch.GetTimestamp();
                for (long i = 0; i < RoundTrips; i++)
                {
                    long ping = (((b * (long)RoundTrips) + i) * 2) + 1;
                    Volatile.Write(ref job.Line.Value, ping);
                    while (Volatile.Read(ref job.Line.Value) != ping + 1)
                    {
                    }
                }

                times[b] = Stopwatch.GetElapsedTime(start).TotalNanoseconds / RoundTrips;
            }
        }
        finally
        {
            Volatile.Write(ref job.Line.Value, -1); // the helper's signal to stop
            SecondCore.Wait();
        }

        Array.Sort(times);
        return times[Batches / 2];
    }

    /// <summary>The helper's side: answers each odd number with the next even one until it reads −1.</summary>
    private sealed class PingPong : WorkItem
    {
        public PaddedLong Line;

        public override void Execute()
        {
            long seen = 0;
            Volatile.Write(ref Line.Value, 0); // started
            while (true)
            {
                long value = Volatile.Read(ref Line.Value);
                if (value == -1)
                {
                    return;
                }

                if (value != seen && (value & 1) == 1)
                {
                    seen = value + 1;
                    Volatile.Write(ref Line.Value, seen);
                }
            }
        }
    }

    /// <summary>One long alone on its cache line (the object's other fields and neighbours kept off it).</summary>
    [StructLayout(LayoutKind.Explicit, Size = 192)]
    private struct PaddedLong
    {
        [FieldOffset(64)]
        public long Value;
    }
}
