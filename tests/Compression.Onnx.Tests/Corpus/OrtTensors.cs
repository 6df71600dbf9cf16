using Compression.Onnx.Tensors;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Onnx;
using DataType = Onnx.TensorProto.Types.DataType;

namespace Compression.Onnx.Tests.Corpus;

/// <summary>Converts test-data <see cref="TensorProto"/>s to ONNX Runtime values and compares outputs, through our own tensor reader.</summary>
internal static class OrtTensors
{
    // The ONNX backend test defaults (numpy.testing.assert_allclose).
    private const double RelativeTolerance = 1e-3;
    private const double AbsoluteTolerance = 1e-7;

    public static OrtValue ToOrtValue(TensorProto tensor)
    {
        long[] shape = [.. tensor.Dims];
        if (tensor.DataType == (int)DataType.String)
        {
            string[] strings = TensorData.ReadStrings(tensor);
            OrtValue value = OrtValue.CreateTensorWithEmptyStrings(OrtAllocator.DefaultInstance, shape);
            for (int i = 0; i < strings.Length; i++)
            {
                value.StringTensorSetElementAt(strings[i].AsSpan(), i);
            }

            return value;
        }

        OrtValue tensorValue = OrtValue.CreateAllocatedTensorValue(OrtAllocator.DefaultInstance, (TensorElementType)tensor.DataType, shape);
        TensorData.GetRawBytes(tensor).Span.CopyTo(tensorValue.GetTensorMutableRawData());
        return tensorValue;
    }

    /// <summary>Null when equal within the backend-test tolerance, else what differs.</summary>
    public static string? Compare(TensorProto expected, OrtValue actual)
    {
        OrtTensorTypeAndShapeInfo info = actual.GetTensorTypeAndShape();
        if ((int)info.ElementDataType != expected.DataType)
        {
            return $"element type {info.ElementDataType}, expected {ElementTypes.GetName(expected.DataType)}";
        }

        if (!info.Shape.SequenceEqual(expected.Dims))
        {
            return $"shape [{string.Join(",", info.Shape)}], expected [{string.Join(",", expected.Dims)}]";
        }

        if (expected.DataType == (int)DataType.String)
        {
            string[] strings = TensorData.ReadStrings(expected);
            for (int i = 0; i < strings.Length; i++)
            {
                if (actual.GetStringElement(i) != strings[i])
                {
                    return $"string {i} differs";
                }
            }

            return null;
        }

        ReadOnlySpan<byte> want = TensorData.GetRawBytes(expected).Span;
        ReadOnlySpan<byte> got = actual.GetTensorMutableRawData();
        if (!ElementTypes.IsFloatLike(expected.DataType))
        {
            return want.SequenceEqual(got) ? null : "integer/bool data differs";
        }

        float[] wantValues = TensorData.ReadFloats(expected);
        float[] gotValues = TensorData.ReadFloats(TensorData.CreateFromRawBytes("actual", expected.DataType, [.. expected.Dims], got.ToArray()));
        for (int i = 0; i < wantValues.Length; i++)
        {
            double w = wantValues[i], g = gotValues[i];
            bool bothNaN = double.IsNaN(w) && double.IsNaN(g);
            if (!bothNaN && !(w == g) && !(Math.Abs(w - g) <= AbsoluteTolerance + (RelativeTolerance * Math.Abs(w))))
            {
                return $"value {i}: {g}, expected {w}";
            }
        }

        return null;
    }

    public static bool SameData(OrtValue a, OrtValue b)
    {
        OrtTensorTypeAndShapeInfo ia = a.GetTensorTypeAndShape(), ib = b.GetTensorTypeAndShape();
        if (ia.ElementDataType != ib.ElementDataType || !ia.Shape.SequenceEqual(ib.Shape))
        {
            return false;
        }

        if (ia.ElementDataType == TensorElementType.String)
        {
            for (int i = 0; i < ia.ElementCount; i++)
            {
                if (a.GetStringElement(i) != b.GetStringElement(i))
                {
                    return false;
                }
            }

            return true;
        }

        return a.GetTensorMutableRawData().SequenceEqual(b.GetTensorMutableRawData());
    }
}
