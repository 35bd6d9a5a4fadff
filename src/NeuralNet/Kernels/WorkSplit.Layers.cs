using System.Runtime.CompilerServices;

namespace NeuralNet.Kernels;

// How a dense layer's passes are cut between the cores: its weights (and so its forward depth and the gather of its
// batch) at one column, and a small layer's backward pass above such a layer into two parts of its inputs.
internal static partial class WorkSplit
{
    /// <summary>
    /// The input column at which the update of a weight matrix of <paramref name="outputs"/> × <paramref name="inputs"/>
    /// values (column-major) is cut (the columns before it are the caller's), or 0 when one core updates it.
    /// </summary>
    public static int WeightColumnSplit(int inputs, int outputs)
    {
        int length = inputs * outputs;
        int column = UpdateSplit(length) / outputs;
        return length >= MinimumUpdateLength && column > 0 && column < inputs ? column : 0;
    }

    /// <summary>
    /// The depth at which a dense layer's forward product <c>Z = X·Wᵀ</c> (<paramref name="rows"/> × outputs, depth =
    /// inputs) is cut, the same column as <see cref="WeightColumnSplit"/>; 0 for one ordinary product (a small product, or
    /// a layer of <see cref="LargeLayerWeights"/> weights or more).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] // its first test, which per-sample training always meets, in the caller
    public static int ForwardDepthSplit(int rows, int inputs, int outputs)
    {
        if (rows <= 1 || (long)rows * outputs * inputs < MinimumProductWork)
        {
            return 0; // one sample, or a small product: no split (decided before the split is computed: per-sample training)
        }

        if ((long)inputs * outputs >= LargeLayerWeights)
        {
            return 0; // each core's half of the weights would not stay in its cache anyway: an ordinary product, its pieces claimed by both threads
        }

        return WeightColumnSplit(inputs, outputs);
    }

    /// <summary>
    /// The feature at which the gather of a mini-batch of <paramref name="rows"/> × <paramref name="features"/> values
    /// (<see cref="RowGather"/>) is cut, the helper taking the features from it on; 0 for one core. A gather moves a
    /// value per few instructions, like an element-wise update, so it is shared from the same size on. The cut is the
    /// middle feature: a first dense layer cuts its forward depth and its weight gradient there too (at the whole cache
    /// line of weights nearest it), so each core mostly reads the part of the batch it gathered.
    /// </summary>
    public static int GatherSplit(int rows, int features)
        => (long)rows * features >= MinimumUpdateLength && features >= 2 && TwoCores ? features / 2 : 0;

    /// <summary>
    /// Whether the backward pass of a dense layer of <paramref name="inputs"/> → <paramref name="outputs"/> over
    /// <paramref name="rows"/> samples, above a dense layer of <paramref name="belowInputs"/> inputs, is cut into two parts of
    /// its inputs (the units of the layer below), one a core (<see cref="InputCut"/>): its weight gradient and ∂L/∂X for each
    /// part of the columns, then the layer below's ∂L/∂Z and bias gradient there (a small output layer over a first layer
    /// cut between the cores, W2's 128 → 10 over 784 → 128). Its two products are too small to be shared on their own
    /// (under <see cref="MinimumProductWork"/> each), but with the activation gradient of at least
    /// <see cref="BackwardHalvesValues"/> values the whole is enough work for a part of it to outweigh a hand-over, work
    /// through which the helper would otherwise idle. The layer below's forward product is cut along its depth
    /// (<see cref="ForwardDepthSplit"/>), so both cores read all of its ∂L/∂Z next, for their strips of its weight gradient:
    /// made in two parts, each core has its part in its cache already, where one core making all of it took every line back
    /// from the other core's cache first and then handed it all over. The cost: the helper reads its part of the layer
    /// below's activations from the caller's cache (its weight gradient needs them), and the caller takes those lines back
    /// in the next forward pass; on a host where a line between the cores is dear, that outweighs the gain (the measurements
    /// are in benchmarks/README.md), so the pass is cut only while handing work over is cheap, as the recent
    /// hand-overs measured it (<see cref="SecondCore.HandOverIsCheap"/>: a virtual machine's host may move the two cores apart
    /// and back while a program runs). Each element is summed by one core in the whole product's order: the same bits
    /// either way.
    /// </summary>
    public static bool BackwardInputHalves(int rows, int inputs, int outputs, int belowInputs)
        => TwoCores && rows > 1 && (long)rows * inputs * outputs < MinimumProductWork && (long)rows * inputs >= BackwardHalvesValues
            && InputCut(inputs) > 0 && ForwardDepthSplit(rows, belowInputs, inputs) > 0 && SecondCore.HandOverIsCheap;

    /// <summary>From this many values of the layer below's ∂L/∂Z on, a small layer's backward pass is cut in two (<see cref="BackwardInputHalves"/>).</summary>
    public const int BackwardHalvesValues = 1 << 12;

    /// <summary>
    /// Where <see cref="BackwardInputHalves"/> cuts a layer's <paramref name="inputs"/>: the caller takes the columns before
    /// it, the helper the rest. The caller takes five eighths: the helper starts its part a pick-up later and first brings its
    /// columns of the activations over from the caller's cache (the caller wrote them in the forward pass, and takes them
    /// back in the next one), so equal parts left the caller waiting, the more so the dearer a line between the cores. Rounded
    /// down to 16 columns, so that each part of ∂L/∂X, of the activations and of the weight gradient (column-major) starts on
    /// a whole cache line. 0 when the inputs are too few to cut.
    /// </summary>
    public static int InputCut(int inputs) => inputs * 5 / 8 / 16 * 16;
}
