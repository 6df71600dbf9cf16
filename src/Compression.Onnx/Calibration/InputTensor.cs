using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Compression.Onnx.Calibration;

/// <summary>One named input value for a validation run, held as a plain array so it can be fed to two sessions.</summary>
internal sealed class InputTensor
{
    public InputTensor(string name, TensorElementType elementType, long[] shape, Array data)
    {
        Name = name;
        ElementType = elementType;
        Shape = shape;
        Data = data;
    }

    public string Name { get; }

    public TensorElementType ElementType { get; }

    public long[] Shape { get; }

    public Array Data { get; }

    /// <summary>A tensor over <see cref="Data"/> (no copy); dispose it after the run.</summary>
    public OrtValue ToOrtValue() => Data switch
    {
        float[] a => OrtValue.CreateTensorValueFromMemory(a, Shape),
        double[] a => OrtValue.CreateTensorValueFromMemory(a, Shape),
        Float16[] a => OrtValue.CreateTensorValueFromMemory(a, Shape),
        BFloat16[] a => OrtValue.CreateTensorValueFromMemory(a, Shape),
        sbyte[] a => OrtValue.CreateTensorValueFromMemory(a, Shape),
        byte[] a => OrtValue.CreateTensorValueFromMemory(a, Shape),
        short[] a => OrtValue.CreateTensorValueFromMemory(a, Shape),
        ushort[] a => OrtValue.CreateTensorValueFromMemory(a, Shape),
        int[] a => OrtValue.CreateTensorValueFromMemory(a, Shape),
        uint[] a => OrtValue.CreateTensorValueFromMemory(a, Shape),
        long[] a => OrtValue.CreateTensorValueFromMemory(a, Shape),
        ulong[] a => OrtValue.CreateTensorValueFromMemory(a, Shape),
        bool[] a => OrtValue.CreateTensorValueFromMemory(a, Shape),
        _ => throw new NotSupportedException($"Input '{Name}' has element type {ElementType}, which validation cannot create."),
    };
}
