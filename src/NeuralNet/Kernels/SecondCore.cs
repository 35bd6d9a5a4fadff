using System.Diagnostics;

namespace NeuralNet.Kernels;

/// <summary>A piece of work handed to <see cref="SecondCore"/>.</summary>
internal abstract class WorkItem
{
    /// <summary>Does the work, on the helper thread.</summary>
    public abstract void Execute();
}

/// <summary>
/// One long-lived helper thread that takes half of a large multiply while the calling thread does the
/// other half. Unlike <c>Parallel.For</c> it allocates nothing per call, and after each piece of work it
/// spins for a short while before sleeping, because in a training step the next large multiply follows
/// within microseconds and waking a sleeping thread costs about as much as a small multiply.
/// </summary>
internal static class SecondCore
{
    // 1 ms: W3's step (1024-wide layers, batches of 256) has one-core stretches of a few hundred µs between its shared
    // products (layer 3, the loss); with 200 µs the helper fell asleep several times a step and waking it cost more than
    // the spin (the measurements, by W3-profile, are in benchmarks/README.md). Spinning costs nothing the step
    // needs: the core would otherwise idle.
    private static readonly long IdleSpinTicks = Stopwatch.Frequency / 1000;
    // The helper sleeps on an event whose Set takes no lock, so that the caller's side of a hand-off allocates nothing
    // whatever the helper is doing: ManualResetEventSlim.Set enters a Monitor when a thread waits on it, and a contended
    // Monitor may allocate its lock objects on first contention. (That was first blamed for 112 bytes once counted in a
    // training step while the machine was busy; a later session found that the count itself takes in bytes a thread never
    // allocated while a background GC runs, the likelier cause: the tests now run the non-concurrent GC, AllocationCountTests.)
    private static readonly AutoResetEvent Wake = new(false);
    private static int s_sleeping;
    private static readonly Lock StartLock = new();
    private static WorkItem? s_item;
    private static Exception? s_error;
    private static volatile bool s_done;
    private static int s_busy;
    private static Thread? s_thread;

    /// <summary>Pieces of work handed to the helper so far (read by the benchmark's breakdown).</summary>
    internal static long HandOffs;

    /// <summary>Of those, how many the caller took back and did itself because the helper had not picked them up.</summary>
    internal static long TakenBack;

    /// <summary>Stopwatch ticks the caller spent waiting for the helper (at the end of a hand-off or at a meeting).</summary>
    internal static long WaitTicks;

    /// <summary>Stopwatch ticks from <see cref="Start"/> to the helper picking the work up (for the W2 profile).</summary>
    internal static long PickUpTicks;

    /// <summary>Stopwatch ticks the helper spent executing work items (for the W2 profile).</summary>
    internal static long HelperTicks;

    private static long s_started;

    // The recent pick-ups' running mean (each new one weighs 1/8), in Stopwatch ticks; written by the helper only.
    private static long s_recentPickUp;

    /// <summary>
    /// The pick-up above which handing work over counts as dear (<see cref="HandOverIsCheap"/>), in Stopwatch ticks: 300 ns.
    /// A pick-up is one or two cache lines moving from the caller's core to the helper's plus the helper's polling: well
    /// under this on a virtual machine whose two cores share a cache, and well over it when the host has put them on
    /// different core complexes (benchmarks/README.md has the measurements).
    /// </summary>
    internal static readonly long DearPickUpTicks = Stopwatch.Frequency * 3 / 10_000_000;

    /// <summary>
    /// Whether handing work to the helper, and with it any cache line moving between the two cores, is cheap now: the
    /// running mean of the last hand-overs' pick-ups (each new one weighing 1/8) is at most <see cref="DearPickUpTicks"/>.
    /// True before any hand-over. A choice made on it is one of speed only: every path it chooses between gives the same
    /// bits. <see cref="HandOverCostOverride"/> fixes the answer for tests.
    /// </summary>
    internal static bool HandOverIsCheap => HandOverCostOverride ?? Volatile.Read(ref s_recentPickUp) <= DearPickUpTicks;

    /// <summary>When set, the answer of <see cref="HandOverIsCheap"/> (tests of the paths chosen on it); null measures.</summary>
    internal static bool? HandOverCostOverride { get; set; }

    /// <summary>The running mean <paramref name="mean"/> of the pick-ups after one more, <paramref name="pickUp"/>: each new one weighs 1/8.</summary>
    internal static long RecentMean(long mean, long pickUp) => mean + ((pickUp - mean) / 8); // m ← m + (x − m)/8

    /// <summary>Counts one pick-up of <paramref name="ticks"/> (by the helper thread; by tests, in place of one).</summary>
    internal static void NotePickUp(long ticks)
    {
        PickUpTicks += ticks;
        Volatile.Write(ref s_recentPickUp, RecentMean(s_recentPickUp, ticks));
    }

    /// <summary>The running mean of the recent pick-ups, in nanoseconds (the benchmark runner prints it).</summary>
    internal static double RecentPickUpNanoseconds => Volatile.Read(ref s_recentPickUp) * 1e9 / Stopwatch.Frequency;

    /// <summary>How many times the helper found no work for its idle spin and went to sleep (for the W2 figures).</summary>
    internal static long Sleeps;

    /// <summary>
    /// While true, the helper picks up no work, as when its core is taken by another process: every hand-off meets a
    /// late helper, deterministically (tests of the paths that take the work back).
    /// </summary>
    internal static volatile bool Paused;

    /// <summary>Whether there is a second core to use at all.</summary>
    public static bool Exists { get; } = Environment.ProcessorCount > 1;

    /// <summary>
    /// Reserves the helper thread for the caller and returns true, or returns false at once when it is
    /// busy with another caller's work (the caller then does all of it itself). A reservation must be
    /// followed by <see cref="Start"/> and <see cref="Wait"/>.
    /// </summary>
    public static bool TryReserve() => Interlocked.CompareExchange(ref s_busy, 1, 0) == 0;

    /// <summary>Starts <paramref name="item"/> on the reserved helper thread.</summary>
    public static void Start(WorkItem item)
    {
        EnsureThread();
        HandOffs++;
        s_started = Stopwatch.GetTimestamp();
        s_done = false;
        s_error = null;
        Interlocked.Exchange(ref s_item, item); // a full fence: the helper sees the item, or the caller sees it sleeping
        if (Volatile.Read(ref s_sleeping) != 0)
        {
            Wake.Set();
        }
    }

    /// <summary>Whether the helper has finished its last piece of work and has none waiting (for tests that hold it).</summary>
    internal static bool IsIdle => s_done && Volatile.Read(ref s_item) is null;

    /// <summary>
    /// Takes back the work given to <see cref="Start"/> if the helper has not picked it up yet, and then releases
    /// the reservation (the caller must not call <see cref="Wait"/>) and returns true; returns false when the
    /// helper has already started it (the caller must then <see cref="Wait"/> as usual).
    /// </summary>
    public static bool TryWithdraw()
    {
        if (Interlocked.Exchange(ref s_item, null) is null)
        {
            return false;
        }

        TakenBack++;
        Volatile.Write(ref s_busy, 0);
        return true;
    }

    /// <summary>
    /// Waits for the work started by <see cref="Start"/>, spinning (it is a matter of microseconds), and
    /// rethrows its failure. When the helper has not even picked the work up (its core is busy with another
    /// process), the caller takes the work back and does it itself rather than wait.
    /// </summary>
    public static void Wait()
    {
        if (Interlocked.Exchange(ref s_item, null) is WorkItem unstarted)
        {
            TakenBack++;
            try
            {
                unstarted.Execute();
            }
            finally
            {
                Volatile.Write(ref s_busy, 0); // only now may another caller refill the job object
            }

            return;
        }

        if (!s_done)
        {
            long start = Stopwatch.GetTimestamp();
            SpinUntilDone();
            WaitTicks += Stopwatch.GetTimestamp() - start;
        }

        Exception? error = s_error;
        Volatile.Write(ref s_busy, 0);
        if (error is not null)
        {
            throw new AggregateException("The helper thread of a matrix multiply failed.", error);
        }
    }

    /// <summary>
    /// Spins until the helper is done, looking every pause (tens of nanoseconds): a wait here is a few microseconds, and
    /// SpinWait's growing pauses and yields (each a system call) overshot the helper's end by about as much again. After
    /// <see cref="TightSpins"/> looks (a helper descheduled by a busy machine) it backs off as SpinWait does.
    /// </summary>
    private static void SpinUntilDone()
    {
        for (int i = 0; i < TightSpins; i++)
        {
            if (s_done)
            {
                return;
            }

            Thread.SpinWait(1);
        }

        SpinWait spin = default;
        while (!s_done)
        {
            spin.SpinOnce(sleep1Threshold: -1);
        }
    }

    /// <summary>Looks, one pause apart, before a wait backs off: about a millisecond.</summary>
    private const int TightSpins = 1 << 15;

    private static void EnsureThread()
    {
        if (s_thread is not null)
        {
            return;
        }

        lock (StartLock)
        {
            s_thread ??= StartThread();
        }
    }

    private static Thread StartThread()
    {
        var thread = new Thread(Loop) { IsBackground = true, Name = "NeuralNet second core" };
        thread.Start();
        return thread;
    }

    private static void Loop()
    {
        while (true)
        {
            WorkItem? item = Paused ? null : Interlocked.Exchange(ref s_item, null);
            if (item is null)
            {
                // One pause between looks (SpinWait(16) between them made the pick-up several times slower; benchmarks/README.md), the
                // clock read once every 64 looks.
                long start = Stopwatch.GetTimestamp();
                for (int looks = 0; (Paused || Volatile.Read(ref s_item) is null) && ((++looks & 63) != 0 || Stopwatch.GetTimestamp() - start < IdleSpinTicks);)
                {
                    Thread.SpinWait(1);
                }

                Interlocked.Exchange(ref s_sleeping, 1); // a full fence before the last look at the item
                if (Paused || Volatile.Read(ref s_item) is null)
                {
                    Sleeps++;
                    Wake.WaitOne(); // a Set from before this wait only makes one more round of this loop
                }

                Volatile.Write(ref s_sleeping, 0);
                continue;
            }

            long pickedUp = Stopwatch.GetTimestamp();
            NotePickUp(pickedUp - Volatile.Read(ref s_started));
            try
            {
                item.Execute();
            }
#pragma warning disable CA1031 // the failure is handed to the waiting caller, which rethrows it
            catch (Exception e)
#pragma warning restore CA1031
            {
                s_error = e;
            }
            finally
            {
                HelperTicks += Stopwatch.GetTimestamp() - pickedUp;
                s_done = true;
            }
        }
    }
}
