using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using NeuralNet.Benchmarks.Workloads;

namespace NeuralNet.Benchmarks;

/// <summary>
/// <c>W1</c>, <c>W2</c>, <c>W3</c> or <c>gemm</c> run that workload of WORKLOADS.md (metrics on stdout,
/// checks on stderr, after a line naming the processor and the kernel choices made for it); <c>W2-profile</c>
/// prints where W2's step time goes, per epoch; <c>W2-gather-ab</c> times W2's gather with and without the request for the
/// next batch's rows, alternating; <c>W2-halves-ab</c> times W2's steps with the output layer's backward pass cut into two
/// halves of its inputs against whole, alternating; <c>W2-undo-ab</c> times them with the first layer's weights copied
/// before every update against updated without a copy where the update provably stays finite, alternating; <c>W2-dw-ab</c>
/// times them with the first layer's weight gradient packed against multiplied without packing, alternating (<c>W2-dw-ab
/// products [MxNxK ...]</c>: products alone); <c>W3-fused-ab</c> times W3's steps with the element-wise passes inside the
/// products against separate passes, alternating; <c>W3-pages-ab</c> times W3's steps with the library's large arrays on
/// 4 KB pages against 2 MB pages, alternating; any other arguments go to BenchmarkDotNet's switcher (e.g. <c>--filter '*Gemm*'</c>).
/// The exit code is non-zero when a benchmark fails, so CI can run them in dry mode.
/// </summary>
internal static class Program
{
    public static int Main(string[] args)
    {
        string? workload = args.FirstOrDefault()?.ToUpperInvariant();
        if (workload is "W1" or "W2" or "W3" or "GEMM" or "W2-PROFILE" or "W3-PROFILE" or "W3-FUSED-AB" or "W3-PAGES-AB" or "W2-HALVES-AB" or "W2-UNDO-AB" or "W2-DW-AB")
        {
            WorkloadOutput.Note($"machine: {NeuralNet.Kernels.MachineProfile.Describe()}");
        }

        switch (workload)
        {
            case "W1":
                SeedWorkload.Run(warmPass: args.ElementAtOrDefault(1) == "warm");
                return 0;
            case "W2":
                FashionWorkload.Run();
                return 0;
            case "W3":
                WideWorkload.Run(int.TryParse(args.ElementAtOrDefault(1), out int epochs) ? epochs : 2);
                return 0;
            case "W2-PROFILE":
                FashionProfile.Run();
                return 0;
            case "W3-PROFILE":
                WideProfile.Run(separatePasses: args.ElementAtOrDefault(1) == "separate");
                return 0;
            case "W3-FUSED-AB":
                WideFusedAB.Run(int.TryParse(args.ElementAtOrDefault(1), out int rounds) ? rounds : 8);
                return 0;
            case "W3-PAGES-AB":
                WidePagesAB.Run(int.TryParse(args.ElementAtOrDefault(1), out int pageEpochs) ? pageEpochs : 12);
                return 0;
            case "GEMM":
                GemmWorkload.Run(args.Skip(1).ToArray());
                return 0;
            case "STREAM-CSV":
                StreamingCsvWorkload.Run(args.ElementAtOrDefault(1));
                return 0;
            case "W2-LAYER-PROBE":
                FashionLayerProbe.Run();
                return 0;
            case "OPTIM-PROBE":
                OptimizerProbe.Run();
                return 0;
            case "SHARED-AB":
                SharedPathsAB.Run(args.ElementAtOrDefault(1) == "f64");
                return 0;
            case "CHECK-AB":
                CheckAB.Run(int.TryParse(args.ElementAtOrDefault(1), out int checkRounds) ? checkRounds : 8);
                return 0;
            case "KERNEL-PROBE":
                KernelProbe.Run(args.Skip(1).ToArray());
                return 0;
            case "OUT-AB":
                OutputLayerAB.Run(int.TryParse(args.ElementAtOrDefault(1), out int outEpochs) ? outEpochs : 6);
                return 0;
            case "W2-GATHER-AB":
                GatherAB.Run(int.TryParse(args.ElementAtOrDefault(1), out int gatherEpochs) ? gatherEpochs : 12);
                return 0;
            case "W2-HALVES-AB":
                HalvesAB.Run(int.TryParse(args.ElementAtOrDefault(1), out int halvesEpochs) ? halvesEpochs : 8);
                return 0;
            case "W2-DW-AB":
                DirectGradientAB.Run(args[1..]);
                return 0;
            case "W2-UNDO-AB":
                UndoCopyAB.Run(int.TryParse(args.ElementAtOrDefault(1), out int undoEpochs) ? undoEpochs : 8);
                return 0;
            case "CHECKS":
                DeterministicNumbers.ReportChecks();
                return 0;
        }

        Summary[] summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args).ToArray();
        bool failed = summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success) || s.Reports.Length < s.BenchmarksCases.Length);
        return failed ? 1 : 0;
    }
}
