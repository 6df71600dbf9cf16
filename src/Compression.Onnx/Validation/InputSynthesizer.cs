using Compression.Onnx.Calibration;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Compression.Onnx.Validation;

/// <summary>
/// Makes validation inputs from a model's signature when no validation data is given. The rules (also in
/// docs/diagnostics.md under CMP4010):
/// <list type="bullet">
/// <item>floating point inputs: uniform values in [-1, 1] from a fixed seed per sample (deterministic builds);</item>
/// <item>integer inputs (ids, indices, flags, sample rates): 0, the one value every index-like input accepts;
/// booleans: false;</item>
/// <item>fixed dims as declared; a symbolic or unknown dim is 1 when it is the first axis or the next dim is fixed
/// (batch-like, e.g. the middle of [2, batch, 128]), otherwise <see cref="SpatialSize"/> (sequence/spatial-like);
/// dims sharing a symbolic name share the value. If the original model rejects these shapes, every unknown dim
/// becomes 1 as a second try.</item>
/// </list>
/// </summary>
internal static class InputSynthesizer
{
    public const int SpatialSize = 256;

    /// <summary>The shape strategies tried in order.</summary>
    public static readonly int[] Strategies = [0, 1];

    public static List<InputTensor> Create(InferenceSession session, int sample, int strategy)
    {
        var random = new Random(20261126 + sample);
        var named = new Dictionary<string, long>(StringComparer.Ordinal);
        var inputs = new List<InputTensor>();
        foreach (string name in session.InputNames)
        {
            var meta = session.InputMetadata[name];
            if (!meta.IsTensor)
            {
                throw new NotSupportedException($"Input '{name}' is not a tensor.");
            }

            int[] dims = meta.Dimensions;
            string[] symbols = meta.SymbolicDimensions;
            var shape = new long[dims.Length];
            for (int d = 0; d < dims.Length; d++)
            {
                if (dims[d] >= 0)
                {
                    shape[d] = dims[d];
                    continue;
                }

                string symbol = d < symbols.Length ? symbols[d] : string.Empty;
                if (symbol.Length > 0 && named.TryGetValue(symbol, out long known))
                {
                    shape[d] = known;
                    continue;
                }

                bool batchLike = d == 0 || (d + 1 < dims.Length && dims[d + 1] >= 0);
                shape[d] = strategy == 0 && !batchLike ? SpatialSize : 1;
                if (symbol.Length > 0) named[symbol] = shape[d];
            }

            long count = 1;
            foreach (long s in shape) count *= s;
            inputs.Add(new InputTensor(name, meta.ElementDataType, shape, Fill(meta.ElementDataType, (int)count, random, name)));
        }

        return inputs;
    }

    private static Array Fill(TensorElementType type, int count, Random random, string name)
    {
        switch (type)
        {
            case TensorElementType.Float:
            {
                var a = new float[count];
                for (int i = 0; i < count; i++) a[i] = (float)(random.NextDouble() * 2 - 1);
                return a;
            }

            case TensorElementType.Double:
            {
                var a = new double[count];
                for (int i = 0; i < count; i++) a[i] = random.NextDouble() * 2 - 1;
                return a;
            }

            case TensorElementType.Float16:
            {
                var a = new Float16[count];
                for (int i = 0; i < count; i++) a[i] = (Float16)(float)(random.NextDouble() * 2 - 1);
                return a;
            }

            case TensorElementType.BFloat16:
            {
                var a = new BFloat16[count];
                for (int i = 0; i < count; i++) a[i] = (BFloat16)(float)(random.NextDouble() * 2 - 1);
                return a;
            }

            case TensorElementType.Int8: return new sbyte[count];
            case TensorElementType.UInt8: return new byte[count];
            case TensorElementType.Int16: return new short[count];
            case TensorElementType.UInt16: return new ushort[count];
            case TensorElementType.Int32: return new int[count];
            case TensorElementType.UInt32: return new uint[count];
            case TensorElementType.Int64: return new long[count];
            case TensorElementType.UInt64: return new ulong[count];
            case TensorElementType.Bool: return new bool[count];
            default: throw new NotSupportedException($"Input '{name}' has element type {type}, which validation cannot synthesise.");
        }
    }
}
