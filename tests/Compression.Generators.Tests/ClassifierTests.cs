using Microsoft.ML.OnnxRuntime;

namespace Compression.Generators.Tests;

/// <summary>The generated PaddleOCR direction classifier wrapper (symbolic dims, a dotted output name), run for real.</summary>
[TestClass]
public sealed class ClassifierTests
{
    private const string ProbeSource = """
        using System;
        using System.Linq;
        using TestApp;

        internal static class Probe
        {
            public static float[] Classify(string path, float[] image, long[] shape)
            {
                using var classifier = ChPpocrMobileV20ClsInfer.FromFile(path);
                var result = classifier.Run(image, xShape: shape);
                return result.Softmax0Tmp0.Concat(result.Softmax0Tmp0Shape.Select(d => (float)d)).ToArray();
            }

            public static string Describe() => string.Join(";", ChPpocrMobileV20ClsInfer.Description.Inputs[0].DimNames!.Select(n => n ?? "-"))
                + ";" + ChPpocrMobileV20ClsInfer.Description.CompressedBytes?.ToString() + ";" + ChPpocrMobileV20ClsInfer.Description.Outputs[0];
        }
        """;

    private static readonly Lazy<GeneratedWrapper> Wrapper = new(() => GeneratedWrapper.Compile("ch_ppocr_mobile_v2.0_cls_infer.manifest.json", ProbeSource));

    private static string Model => GeneratorHarness.ModelPath("ch_ppocr_mobile_v2.0_cls_infer.onnx");

    private static float[] Image(int batch, int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, batch * 3 * 48 * 192).Select(i => (float)((Math.Sin(i * 0.01) * 0.5) + ((random.NextDouble() - 0.5) * 0.5)))];
    }

    [TestMethod]
    [DataRow(1)]
    [DataRow(3)]
    public void RunEqualsHandWrittenInferenceSession(int batch)
    {
        var image = Image(batch, 7 + batch);
        long[] shape = [batch, 3, 48, 192];

        using var session = new InferenceSession(Model);
        using var runOptions = new RunOptions();
        using var x = OrtValue.CreateTensorValueFromMemory(image, shape);
        using var outputs = session.Run(runOptions, ["x"], [x], ["softmax_0.tmp_0"]);
        var expected = outputs.ToList()[0].GetTensorDataAsSpan<float>().ToArray();

        var actual = Wrapper.Value.Call<float[]>("Classify", Model, image, shape);

        CollectionAssert.AreEqual(expected.Concat([batch, 2f]).ToArray(), actual);
        Assert.AreEqual(1f, actual[0] + actual[1], 1e-5f, "softmax rows sum to one");
    }

    [TestMethod]
    public void DescriptionKeepsTheSymbolicDimNames()
    {
        Assert.AreEqual(
            "p2o.DynamicDimension.0;-;p2o.DynamicDimension.1;p2o.DynamicDimension.2;;float[p2o.DynamicDimension.3, 2]",
            Wrapper.Value.Call<string>("Describe"));
    }
}
