using System.Diagnostics;
using System.Runtime;
using System.Runtime.CompilerServices;
using FluentAssertions;
using NeuralNet.Tests.Training;
using Xunit;

namespace NeuralNet.Tests;

/// <summary>
/// The allocation tests compare <see cref="GC.GetAllocatedBytesForCurrentThread"/> with 0, so that count must hold what
/// the thread allocates and nothing else. Under the concurrent (background) GC it does not: while another thread allocated
/// and background collections ran, a thread that allocated nothing in a window counted 328-8120 bytes in about one window
/// per background collection (here: 26 of 50,000 windows of arithmetic with 39 collections of generation 2; 22 and 44 of
/// 3,000 of <c>GemmDriverPackedCTests</c>' held products in two runs, 7.0-8.2 KB each), the unused end of the space the
/// thread had been handed to allocate in. With the non-concurrent GC the same runs counted 0 in every window (450,000
/// windows, 3,000 products). So the test project turns the concurrent GC off (<c>NeuralNet.Tests.csproj</c>), and these
/// check that the setting reaches the test process and that the count is then exact while another thread allocates and
/// collects.
/// </summary>
[Collection(nameof(AllocationsCounted))]
public sealed class AllocationCountTests
{
    [Fact]
    public void TestProcess_RunsTheNonConcurrentGc()
    {
        AppContext.GetData("System.GC.Concurrent")?.ToString().Should().BeEquivalentTo("false", "NeuralNet.Tests.csproj sets ConcurrentGarbageCollection to false");
        GCSettings.LatencyMode.Should().Be(GCLatencyMode.Batch, "the latency mode of the non-concurrent workstation GC");
    }

    [Fact]
    public void ThreadThatAllocatesNothing_CountsNothing_WhileAnotherThreadAllocatesAndCollects()
    {
        const int Collections = 20;
        bool stop = false;
        var churn = new Thread(() =>
        {
            // Small objects and large ones (the large object heap), some kept a while so that they reach generation 2.
            var kept = new object[4096];
            for (int i = 0; !Volatile.Read(ref stop); i++)
            {
                kept[i % kept.Length] = i % 64 == 0 ? new byte[100_000 + (i % 7 * 50_000)] : new byte[16 + (i % 4000)];
                if (i % 20_000 == 0)
                {
                    GC.Collect(2, GCCollectionMode.Forced, blocking: false);
                }
            }
        })
        { IsBackground = true, Name = "allocating beside the count" };

        var counted = new List<long>();
        object? held = null;
        int fullCollections = GC.CollectionCount(2);
        long deadline = Stopwatch.GetTimestamp() + (10 * Stopwatch.Frequency);
        churn.Start();
        try
        {
            for (int window = 0; GC.CollectionCount(2) - fullCollections < Collections && Stopwatch.GetTimestamp() < deadline; window++)
            {
                held = new byte[1 + (window % 500)]; // leaves this thread a partly used allocation space, as a test's set-up does
                long before = GC.GetAllocatedBytesForCurrentThread();
                long sum = Arithmetic(20_000);
                long bytes = GC.GetAllocatedBytesForCurrentThread() - before;
                if (bytes != 0)
                {
                    counted.Add(bytes);
                }

                GC.KeepAlive(sum);
            }
        }
        finally
        {
            Volatile.Write(ref stop, true);
            churn.Join();
        }

        GC.KeepAlive(held);
        (GC.CollectionCount(2) - fullCollections).Should().BeGreaterThanOrEqualTo(Collections, "the windows must span collections of generation 2 for the check to mean anything");
        counted.Should().BeEmpty("a thread that allocates nothing must count nothing, whatever another thread allocates and collects");
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static long Arithmetic(int steps)
    {
        long sum = 0;
        for (int i = 0; i < steps; i++)
        {
            sum += i ^ (sum >> 3);
        }

        return sum;
    }
}
