using Google.Protobuf;
using Onnx;
using static Compression.Onnx.Tests.Pipeline.TinyModels;
using DataType = Onnx.TensorProto.Types.DataType;

namespace Compression.Onnx.Tests.Robustness;

/// <summary>Small files that lie about their tensors: what a damaged export or a crafted model looks like.</summary>
internal static class HostileModels
{
    /// <summary>A MatMul weight whose dims claim 2^31 x 2^31 floats (2^64 bytes) over 16 KB of data.</summary>
    public static ModelProto HugeDims()
    {
        ModelProto model = MatMul(64, 64);
        TensorProto w = model.Graph.Initializer.Single(t => t.Name == "W");
        w.Dims.Clear();
        w.Dims.AddRange([1L << 31, 1L << 31]);
        return model;
    }

    /// <summary>The same lie in a Constant node's tensor, with 4-byte floats claiming 2^62 elements (no 64-bit element overflow).</summary>
    public static ModelProto HugeDimsInConstant()
    {
        ModelProto model = MatMul(64, 64, constantNode: true);
        TensorProto w = model.Graph.Node.Single(n => n.OpType == "Constant").Attribute[0].T;
        w.Dims.Clear();
        w.Dims.AddRange([1L << 31, 1L << 31]);
        return model;
    }

    /// <summary>A weight whose dims claim more elements than it has data for (a quarter of it).</summary>
    public static ModelProto ShortData()
    {
        ModelProto model = MatMul(64, 64);
        TensorProto w = model.Graph.Initializer.Single(t => t.Name == "W");
        w.RawData = ByteString.CopyFrom(w.RawData.Span[..(w.RawData.Length / 4)]);
        return model;
    }

    /// <summary>A weight stored as float_data with fewer values than its shape.</summary>
    public static ModelProto ShortTypedData()
    {
        ModelProto model = MatMul(64, 64);
        TensorProto w = model.Graph.Initializer.Single(t => t.Name == "W");
        float[] values = Seeded(100, 3);
        w.ClearRawData();
        w.FloatData.AddRange(values);
        return model;
    }

    /// <summary>A dimension that is negative.</summary>
    public static ModelProto NegativeDim()
    {
        ModelProto model = MatMul(64, 64);
        TensorProto w = model.Graph.Initializer.Single(t => t.Name == "W");
        w.Dims[0] = -64;
        w.Dims[1] = -64;
        return model;
    }

    /// <summary>Dims whose product overflows 64 bits.</summary>
    public static ModelProto OverflowingDims()
    {
        ModelProto model = MatMul(64, 64);
        TensorProto w = model.Graph.Initializer.Single(t => t.Name == "W");
        w.Dims.Clear();
        w.Dims.AddRange([1L << 40, 1L << 40, 1L << 40]);
        return model;
    }

    /// <summary>A float16 weight whose 2-byte elements claim 2^63 bytes exactly.</summary>
    public static ModelProto HugeHalfDims()
    {
        ModelProto model = MatMul(64, 64);
        TensorProto w = model.Graph.Initializer.Single(t => t.Name == "W");
        w.DataType = (int)DataType.Float16;
        w.Dims.Clear();
        w.Dims.AddRange([1L << 31, 1L << 31]);
        return model;
    }

    public static IEnumerable<(string Name, Func<ModelProto> Build, string Code)> All =>
    [
        ("huge dims", HugeDims, DiagnosticCodes.InvalidTensorShape),
        ("huge dims in a Constant", HugeDimsInConstant, DiagnosticCodes.InvalidTensorShape),
        ("huge float16 dims", HugeHalfDims, DiagnosticCodes.InvalidTensorShape),
        ("short raw data", ShortData, DiagnosticCodes.TensorDataMismatch),
        ("short float_data", ShortTypedData, DiagnosticCodes.TensorDataMismatch),
        ("negative dims", NegativeDim, DiagnosticCodes.InvalidTensorShape),
        ("overflowing dims", OverflowingDims, DiagnosticCodes.InvalidTensorShape),
    ];
}
