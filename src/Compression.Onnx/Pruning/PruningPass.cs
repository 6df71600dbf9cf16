using System.Globalization;
using Compression.Onnx.Calibration;
using Compression.Onnx.Passes;
using Compression.Onnx.Validation;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Compression.Onnx.Pruning;

/// <summary>
/// The pipeline's Prune stage: maps <c>Sparsity</c> and <c>Pruning</c> to <see cref="MagnitudePruner"/>,
/// <see cref="NMSparsityPruner"/> or <see cref="ChannelPruner"/>. Runs before quantization; when a quantizer
/// follows, magnitude-pruned weights stay dense for it (zeros stay exact zeros in symmetric quantization).
/// </summary>
internal sealed class PruningPass : ICompressionPass
{
    public CompressionStep Step => CompressionStep.Prune;

    public bool Supports(CompressionSettings settings) => settings.Sparsity > 0;

    public void Apply(CompressionContext context, CancellationToken cancellationToken)
    {
        CompressionSettings settings = context.Settings;
        var scope = PruningScope.From(settings);
        bool sparse = settings.Quantize == QuantizationType.None;
        PruningReport report;
        string what;
        try
        {
            switch (settings.Pruning)
            {
                case PruningMethod.Global:
                    report = new MagnitudePruner(settings.Sparsity, global: true) { Scope = scope, StoreSparse = sparse }.Prune(context.Model, cancellationToken);
                    what = string.Create(CultureInfo.InvariantCulture, $"Global magnitude pruning {settings.Sparsity:0.##}");
                    break;
                case PruningMethod.TwoOfFour:
                    report = new NMSparsityPruner(NMPattern.TwoOfFour) { Scope = scope }.Prune(context.Model, cancellationToken);
                    what = "2:4 sparsity";
                    break;
                case PruningMethod.Channel:
                    report = new ChannelPruner(settings.Sparsity) { Scope = scope, CalibrationInputs = Calibration(context) }.Prune(context.Model, cancellationToken);
                    what = string.Create(CultureInfo.InvariantCulture, $"Channel pruning {settings.Sparsity:0.##}");
                    break;
                default:
                    report = new MagnitudePruner(settings.Sparsity) { Scope = scope, StoreSparse = sparse }.Prune(context.Model, cancellationToken);
                    what = string.Create(CultureInfo.InvariantCulture, $"Magnitude pruning {settings.Sparsity:0.##}");
                    break;
            }
        }
        catch (CompressionException e) when (e.FilePath is null)
        {
            throw new CompressionException(e.Code, e.Message, context.SourcePath, e.Help, e);
        }

        context.Summary.Add(what);
        context.Notes.Add(what + ": " + report);
        context.Metadata[ModelCompressor.MetadataPrefix + "pruning"] = settings.Pruning.ToString();
        context.Metadata[ModelCompressor.MetadataPrefix + "sparsity"] = settings.Sparsity.ToString("0.###", CultureInfo.InvariantCulture);
        if (settings.Pruning != PruningMethod.Channel && sparse)
        {
            // Dense zeros only pay off once compressed: say what the shipped (deflated) size is.
            (long serialized, long deflated) = ModelSize.Measure(context.Model);
            context.Notes.Add(string.Create(CultureInfo.InvariantCulture, $"pruned model {serialized / 1e6:0.00} MB, {deflated / 1e6:0.00} MB deflate-compressed"));
        }
    }

    /// <summary>Calibration inputs for the bias correction of channel pruning, from <c>CalibrationData</c>; none when it is not set.</summary>
    private static List<IReadOnlyList<NamedOnnxValue>>? Calibration(CompressionContext context)
    {
        if (context.Settings.CalibrationDataPath is not { } folder)
        {
            return null;
        }

        var initializers = new HashSet<string>(context.Model.Proto.Graph.Initializer.Select(i => i.Name), StringComparer.Ordinal);
        var names = context.Model.Proto.Graph.Input.Select(i => i.Name).Where(n => !initializers.Contains(n)).ToList();
        return SampleFolder.Open(folder, "CalibrationData", SampleInput.FromNames(names)).Read()
            .Select(set => (IReadOnlyList<NamedOnnxValue>)set.Select(ToValue).ToList())
            .ToList();
    }

    private static NamedOnnxValue ToValue(InputTensor input)
    {
        int[] shape = input.Shape.Select(d => (int)d).ToArray();
        return input.Data switch
        {
            float[] a => NamedOnnxValue.CreateFromTensor(input.Name, new DenseTensor<float>(a, shape)),
            double[] a => NamedOnnxValue.CreateFromTensor(input.Name, new DenseTensor<double>(a, shape)),
            long[] a => NamedOnnxValue.CreateFromTensor(input.Name, new DenseTensor<long>(a, shape)),
            int[] a => NamedOnnxValue.CreateFromTensor(input.Name, new DenseTensor<int>(a, shape)),
            bool[] a => NamedOnnxValue.CreateFromTensor(input.Name, new DenseTensor<bool>(a, shape)),
            _ => throw new CompressionException(DiagnosticCodes.InvalidPruningSettings, $"Calibration input '{input.Name}' has element type {input.ElementType}, which channel pruning cannot feed.", null, "Give float, double, int32, int64 or bool calibration tensors."),
        };
    }
}
