using Compression.Onnx.Tensors;
using Onnx;
using DataType = Onnx.TensorProto.Types.DataType;

namespace Compression.Onnx.Tests.Tensors;

[TestClass]
public sealed class TensorDataTests
{
    private static readonly float[] EdgeFloats = [0f, -0f, 1f, -1.5f, 65504f, 1e-8f, float.PositiveInfinity, float.NegativeInfinity, 3.14159f, -123456.78f];

    [TestMethod]
    [DataRow(TensorEncoding.RawData)]
    [DataRow(TensorEncoding.TypedField)]
    public void FloatRoundTrips(TensorEncoding encoding)
    {
        TensorProto tensor = TensorData.CreateFloat("f", [2, 5], EdgeFloats, encoding);
        Assert.AreEqual(encoding == TensorEncoding.RawData, tensor.HasRawData);
        Assert.AreEqual(encoding == TensorEncoding.TypedField ? 10 : 0, tensor.FloatData.Count);
        CollectionAssert.AreEqual(EdgeFloats, TensorData.ReadFloats(tensor));
    }

    [TestMethod]
    [DataRow(TensorEncoding.RawData)]
    [DataRow(TensorEncoding.TypedField)]
    public void Float16RoundsToNearestEven(TensorEncoding encoding)
    {
        float[] values = [1f, 1f + (1f / 2048), 1f + (3f / 2048), 65504f, 70000f, -0f, float.NaN, 5.96e-8f];
        TensorProto tensor = TensorData.CreateFloat16("h", [values.Length], values, encoding);
        float[] read = TensorData.ReadFloats(tensor);
        // 1 + 2^-11 is a tie between 1 and 1 + 2^-10: even mantissa is 1. 1 + 3*2^-11 ties to 1 + 2^-9.
        float[] expected = [1f, 1f, 1f + (1f / 512), 65504f, float.PositiveInfinity, -0f, float.NaN, 5.9604645e-8f];
        CollectionAssert.AreEqual(expected, read);
        Assert.IsTrue(float.IsNegative(read[5]));
    }

    [TestMethod]
    [DataRow(TensorEncoding.RawData)]
    [DataRow(TensorEncoding.TypedField)]
    public void BFloat16RoundsToNearestEven(TensorEncoding encoding)
    {
        float tieDown = BitConverter.Int32BitsToSingle(0x3F808000); // exactly between 0x3F80 and 0x3F81: stays even 0x3F80
        float tieUp = BitConverter.Int32BitsToSingle(0x3F818000);   // between 0x3F81 and 0x3F82: goes to even 0x3F82
        float above = BitConverter.Int32BitsToSingle(0x3F808001);
        float[] values = [tieDown, tieUp, above, float.NaN, float.NegativeInfinity, 3.0e38f];
        float[] read = TensorData.ReadFloats(TensorData.CreateBFloat16("b", [values.Length], values, encoding));
        Assert.AreEqual(0x3F800000, BitConverter.SingleToInt32Bits(read[0]));
        Assert.AreEqual(0x3F820000, BitConverter.SingleToInt32Bits(read[1]));
        Assert.AreEqual(0x3F810000, BitConverter.SingleToInt32Bits(read[2]));
        Assert.IsTrue(float.IsNaN(read[3]));
        Assert.AreEqual(float.NegativeInfinity, read[4]);
        Assert.AreEqual(0x7F62, BitConverter.SingleToInt32Bits(read[5]) >> 16, "3e38 is 0x7F61B1E6: the low half is above the midpoint, so it rounds up");
    }

    [TestMethod]
    public void DoubleIsReadAsFloat()
    {
        var tensor = new TensorProto { Name = "d", DataType = (int)DataType.Double };
        tensor.Dims.Add(3);
        tensor.DoubleData.Add([1.5, -2.25, 1e300]);
        CollectionAssert.AreEqual(new[] { 1.5f, -2.25f, float.PositiveInfinity }, TensorData.ReadFloats(tensor));
        TensorData.WriteFloats(tensor, [4f, 5f, 6f]);
        Assert.AreEqual((int)DataType.Double, tensor.DataType);
        Assert.AreEqual(0, tensor.DoubleData.Count);
        Assert.AreEqual(24, tensor.RawData.Length);
        CollectionAssert.AreEqual(new[] { 4f, 5f, 6f }, TensorData.ReadFloats(tensor));
    }

    [TestMethod]
    [DataRow(TensorEncoding.RawData)]
    [DataRow(TensorEncoding.TypedField)]
    public void Int4PacksLowNibbleFirst(TensorEncoding encoding)
    {
        sbyte[] values = [-8, 7, -1, 0, 3];
        TensorProto tensor = TensorData.CreateInt4("q", [5], values, encoding);
        CollectionAssert.AreEqual(new byte[] { 0x78, 0x0F, 0x03 }, TensorData.GetRawBytes(tensor).ToArray());
        CollectionAssert.AreEqual(values.Select(v => (long)v).ToArray(), TensorData.ReadInt64s(tensor));
        if (encoding == TensorEncoding.TypedField)
        {
            Assert.AreEqual(3, tensor.Int32Data.Count, "one int32_data entry per packed byte");
        }
    }

    [TestMethod]
    public void UInt4PacksLowNibbleFirst()
    {
        TensorProto tensor = TensorData.CreateUInt4("q", [3], [15, 1, 9]);
        CollectionAssert.AreEqual(new byte[] { 0x1F, 0x09 }, tensor.RawData.ToByteArray());
        CollectionAssert.AreEqual(new long[] { 15, 1, 9 }, TensorData.ReadInt64s(tensor));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => TensorData.CreateUInt4("bad", [1], [16]));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => TensorData.CreateInt4("bad", [1], [8]));
    }

    [TestMethod]
    [DataRow(TensorEncoding.RawData)]
    [DataRow(TensorEncoding.TypedField)]
    public void IntegersRoundTrip(TensorEncoding encoding)
    {
        CollectionAssert.AreEqual(new long[] { -128, 127, 0 }, TensorData.ReadInt64s(TensorData.CreateInt8("a", [3], [-128, 127, 0], encoding)));
        CollectionAssert.AreEqual(new long[] { 255, 0 }, TensorData.ReadInt64s(TensorData.CreateUInt8("b", [2], [255, 0], encoding)));
        CollectionAssert.AreEqual(new long[] { int.MinValue, int.MaxValue }, TensorData.ReadInt64s(TensorData.CreateInt32("c", [2], [int.MinValue, int.MaxValue], encoding)));
        CollectionAssert.AreEqual(new long[] { long.MinValue, 5 }, TensorData.ReadInt64s(TensorData.CreateInt64("d", [2], [long.MinValue, 5], encoding)));
    }

    [TestMethod]
    public void TypedAndRawGiveTheSameRawBytes()
    {
        var random = new Random(3);
        float[] values = Enumerable.Range(0, 33).Select(_ => (float)random.NextDouble() - 0.5f).ToArray();
        sbyte[] small = values.Select(v => (sbyte)(v * 14)).ToArray();
        (TensorProto Raw, TensorProto Typed)[] pairs =
        [
            (TensorData.CreateFloat("x", [33], values), TensorData.CreateFloat("x", [33], values, TensorEncoding.TypedField)),
            (TensorData.CreateFloat16("x", [33], values), TensorData.CreateFloat16("x", [33], values, TensorEncoding.TypedField)),
            (TensorData.CreateBFloat16("x", [33], values), TensorData.CreateBFloat16("x", [33], values, TensorEncoding.TypedField)),
            (TensorData.CreateInt8("x", [33], small), TensorData.CreateInt8("x", [33], small, TensorEncoding.TypedField)),
            (TensorData.CreateInt4("x", [33], small.Select(v => (sbyte)Math.Clamp((int)v, -8, 7)).ToArray()), TensorData.CreateInt4("x", [33], small.Select(v => (sbyte)Math.Clamp((int)v, -8, 7)).ToArray(), TensorEncoding.TypedField)),
        ];
        foreach ((TensorProto raw, TensorProto typed) in pairs)
        {
            CollectionAssert.AreEqual(raw.RawData.ToByteArray(), TensorData.GetRawBytes(typed).ToArray(), ElementTypes.GetName(raw.DataType));
        }
    }

    [TestMethod]
    public void StringsRoundTrip()
    {
        TensorProto tensor = TensorData.CreateString("s", [2], ["héllo", ""]);
        CollectionAssert.AreEqual(new[] { "héllo", "" }, TensorData.ReadStrings(tensor));
        Assert.AreEqual(DiagnosticCodes.UnsupportedElementType, Assert.ThrowsExactly<CompressionException>(() => TensorData.GetRawBytes(tensor)).Code);
    }

    [TestMethod]
    public void ScalarAndEmptyTensors()
    {
        Assert.AreEqual(1, TensorData.GetElementCount(TensorData.CreateFloat("s", [], [2f])));
        TensorProto empty = TensorData.CreateFloat("e", [3, 0], []);
        Assert.AreEqual(0, TensorData.GetElementCount(empty));
        Assert.IsEmpty(TensorData.ReadFloats(empty));
    }

    [TestMethod]
    public void WriteFloatsKeepsTypeAndShape()
    {
        TensorProto tensor = TensorData.CreateFloat16("w", [2, 2], [1, 2, 3, 4], TensorEncoding.TypedField);
        TensorData.WriteFloats(tensor, [0, 2, 0, 4]);
        Assert.AreEqual((int)DataType.Float16, tensor.DataType);
        CollectionAssert.AreEqual(new long[] { 2, 2 }, tensor.Dims.ToArray());
        Assert.AreEqual(0, tensor.Int32Data.Count);
        CollectionAssert.AreEqual(new float[] { 0, 2, 0, 4 }, TensorData.ReadFloats(tensor));
    }

    [TestMethod]
    public void OverflowingShapeIsCoded()
    {
        var tensor = new TensorProto { Name = "big", DataType = (int)DataType.Float };
        tensor.Dims.Add([long.MaxValue / 2, 3]);
        Assert.AreEqual(DiagnosticCodes.InvalidTensorShape, Assert.ThrowsExactly<CompressionException>(() => TensorData.GetElementCount(tensor)).Code);
    }

    [TestMethod]
    public void IntegerTensorIsNotFloat()
    {
        TensorProto tensor = TensorData.CreateInt64("i", [1], [1]);
        Assert.AreEqual(DiagnosticCodes.UnsupportedElementType, Assert.ThrowsExactly<CompressionException>(() => TensorData.ReadFloats(tensor)).Code);
        Assert.AreEqual(DiagnosticCodes.UnsupportedElementType, Assert.ThrowsExactly<CompressionException>(() => TensorData.ReadInt64s(TensorData.CreateFloat("f", [1], [1f]))).Code);
    }

    [TestMethod]
    public void RawDataOfTheWrongSizeIsCoded()
    {
        TensorProto tensor = TensorData.CreateFloat("w", [4], [1, 2, 3, 4]);
        tensor.Dims[0] = 5;
        Assert.AreEqual(DiagnosticCodes.TensorDataMismatch, Assert.ThrowsExactly<CompressionException>(() => TensorData.ReadFloats(tensor)).Code);
    }

    [TestMethod]
    public void ShapeMustMatchTheValues() =>
        Assert.ThrowsExactly<ArgumentException>(() => TensorData.CreateFloat("w", [3], [1f, 2f]));

    [TestMethod]
    public void ElementTypeNamesMatchTheManifest()
    {
        Assert.AreEqual("float", ElementTypes.GetName((int)DataType.Float));
        Assert.AreEqual("bfloat16", ElementTypes.GetName((int)DataType.Bfloat16));
        Assert.AreEqual("int64", ElementTypes.GetName((int)DataType.Int64));
        Assert.AreEqual("bool", ElementTypes.GetName((int)DataType.Bool));
        Assert.AreEqual("float8e4m3fn", ElementTypes.GetName((int)DataType.Float8E4M3Fn));
        Assert.AreEqual("type99", ElementTypes.GetName(99));
        Assert.AreEqual(3, ElementTypes.GetByteCount((int)DataType.Int4, 5));
        Assert.AreEqual(-1, ElementTypes.GetByteCount((int)DataType.Double, long.MaxValue / 4));
    }
}
