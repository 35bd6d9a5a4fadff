namespace NeuralNet.Kernels;

// How a micro-kernel's tile reads its panel of Â: the mode type parameter of MicroKernel512's and MicroKernel256's multiply,
// so that each form is compiled on its own and the packed one reads Â at constant offsets.

/// <summary>Â's panel packed before the tile: its vectors of a step follow the last step's.</summary>
internal struct PackedPanel;

/// <summary>
/// Â's panel read from op(A) as stored (an untransposed op(A): a step's rows of the tile lie together in a column of A) and
/// stored to the packed panel on the way, for the tiles after it (<see cref="GemmDriver.PacksAInKernel"/>).
/// </summary>
internal struct SourcePanel;
