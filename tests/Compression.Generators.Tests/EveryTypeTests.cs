using Microsoft.CodeAnalysis;

namespace Compression.Generators.Tests;

/// <summary>
/// A wrapper over every supported element type, awkward names, scalars, a string tensor and a rank-unknown
/// input, loaded from an embedded resource and run against tests/data/generator/every_type.onnx (Identity per input).
/// </summary>
[TestClass]
public sealed class EveryTypeTests
{
    private const string ProbeSource = """
        using System;
        using System.Collections.Generic;
        using System.Linq;
        using Microsoft.ML.OnnxRuntime;
        using Tricky.Models;

        internal static class Probe
        {
            // Runs once with batch = 2, n = 3 and returns every mismatch between an output and its input.
            public static string[] RoundTrip()
            {
                using var model = new EveryType();
                var @class = new float[] { 1, 2, 3, 4, 5, 6 };
                var flatten = new double[] { 1, 2, 3, 4, 5, 6, 7, 8 };
                var half = new Half[] { (Half)0.5f, (Half)(-2f), Half.NaN, Half.MaxValue };
                var bf = new BFloat16[] { (BFloat16)1f, (BFloat16)2f, (BFloat16)(-3f), (BFloat16)0.25f };
                var int8 = new sbyte[] { -128, 127 };
                var uint8 = new byte[] { 0, 128, 255 };
                var uint16 = new ushort[] { 65535 };
                var int32 = new int[] { int.MinValue, 0, int.MaxValue };
                var uint32 = new uint[] { 1, 2, uint.MaxValue };
                var uint64 = new ulong[] { ulong.MaxValue, 0 };
                var mask = new bool[] { true, false, false, true };
                var text = new[] { "héllo", "", "wörld \"quoted\"" };
                var x = new float[] { 9, 8, 7, 6, 5 };
                var upperX = new float[] { 42 };

                // batch comes from onnxFlatten0 ([batch, 4]: 8 / 4 = 2), then fills in class, int8In and mask;
                // n comes from int32 and is checked against uint32; x has no declared rank, so its shape is given.
                var r = model.Run(@class, flatten, half, bf, int8, uint8, (short)-7, uint16, int32, uint32, 16000L, uint64, mask, text, x, upperX,
                    xShape: new long[] { 5 });

                var errors = new List<string>();
                void Check<T>(string name, IEnumerable<T> expected, IEnumerable<T> actual, long[]? shape, params long[] expectedShape)
                {
                    if (!expected.SequenceEqual(actual)) errors.Add(name + " data");
                    if (shape is not null && !shape.SequenceEqual(expectedShape)) errors.Add(name + " shape [" + string.Join(",", shape) + "]");
                }

                Check("output", @class, r.Output, r.OutputShape2, 2, 3);
                Check("output_shape", flatten, r.OutputShape, r.OutputShapeShape, 2, 4);
                Check("Result", half.Select(h => BitConverter.HalfToUInt16Bits(h)), r.Result2.Select(h => BitConverter.HalfToUInt16Bits(h)), r.ResultShape, 4);
                Check("x.bf_out", bf, r.XBfOut, r.XBfOutShape, 2, 2);
                Check("int8-in_out", int8, r.Int8InOut, r.Int8InOutShape, 2);
                Check("uint8 in_out", uint8, r.Uint8InOut, r.Uint8InOutShape, 3);
                Check("int16_out", new short[] { -7 }, new[] { r.Int16Out }, null);
                Check("uint16_out", uint16, r.Uint16Out, r.Uint16OutShape, 1);
                Check("int32_out", int32, r.Int32Out, r.Int32OutShape, 3);
                Check("uint32_out", uint32, r.Uint32Out, r.Uint32OutShape, 3);
                Check("sr_out", new long[] { 16000 }, new[] { r.SrOut }, null);
                Check("uint64_out", uint64, r.Uint64Out, r.Uint64OutShape, 2);
                Check("mask_out", mask, r.MaskOut, r.MaskOutShape, 2, 2);
                Check("text_out", text, r.TextOut, r.TextOutShape, 3);
                Check("x_out", x, r.XOut, r.XOutShape, 5);
                Check("X_out", upperX, r.XOut2, r.XOutShape2, 1);
                return errors.ToArray();
            }

            public static string SymbolMismatch()
            {
                using var model = new EveryType();
                try
                {
                    model.Run(new float[6], new double[8], new Half[1], new BFloat16[4], new sbyte[2], new byte[3], 0, new ushort[1],
                        new int[3], new uint[4], 0, new ulong[1], new bool[4], new[] { "a" }, new float[1], new float[1], xShape: new long[] { 1 });
                }
                catch (ArgumentException e)
                {
                    return e.ParamName + "|" + e.Message;
                }

                return "no exception";
            }

            public static string Describe() => EveryType.Description.ResourceName + ";" + (EveryType.Description.ModelPath ?? "null") + ";" + EveryType.Description.Sparsity
                + ";" + EveryType.Description.Summary + ";" + EveryType.Description.Inputs.Count + ";" + EveryType.Description.Inputs[14] + ";" + EveryType.Description.Inputs[14].Rank
                + ";" + EveryType.Description.Inputs[2].ClrType.Name + ";" + EveryType.Description.Inputs[3].ClrType.Name;
        }
        """;

    private static readonly Lazy<GeneratedWrapper> Wrapper = new(() =>
    {
        var model = Path.Combine(AppContext.BaseDirectory, "generator", "every_type.onnx");
        return GeneratedWrapper.Compile(
            "every_type.manifest.json",
            ProbeSource,
            [new ResourceDescription("Tricky.Models.every_type.onnx", () => File.OpenRead(model), isPublic: true)]);
    });

    [TestMethod]
    public void EveryElementTypeRoundTripsThroughTheEmbeddedModel()
    {
        var errors = Wrapper.Value.Call<string[]>("RoundTrip");
        Assert.IsEmpty(errors, string.Join("; ", errors));
    }

    [TestMethod]
    public void SymbolicDimsSharedByNameMustAgree()
    {
        // int32 [n] has 3 elements and uint32 [n] has 4.
        var message = Wrapper.Value.Call<string>("SymbolMismatch");
        Assert.StartsWith("uint32|Input uint32 uint32[n] with shape [3] (n = 3 from another input) needs 3 elements, but uint32 has 4.", message);
    }

    [TestMethod]
    public void DescriptionEscapesAndReportsEverything()
    {
        Assert.AreEqual(
            "Tricky.Models.every_type.onnx;null;0.5;none \"quoted\" <xml> & more;16;float[rank unknown];-1;Half;BFloat16",
            Wrapper.Value.Call<string>("Describe"));
    }
}
