using System.Globalization;
using Compression.Tasks.Tests.Infrastructure;
using Microsoft.ML.OnnxRuntime;

namespace Compression.Tasks.Tests.EndToEnd;

/// <summary>
/// <c>Format="Ort"</c> through a real build of a consumer of the packed package: the compressed model lands as
/// <c>.ort</c> (TargetPath adjusted), validation runs on the .ort file, the generated class loads it from the app
/// folder and from a resource (Embed), and it classifies the rendered stroke images as the original model does.
/// </summary>
[TestClass]
public sealed class OrtFormatBuildTests
{
    private const string Classifier = "ch_ppocr_mobile_v2.0_cls_infer.onnx";
    private const int Height = 48, Width = 192;

    [TestMethod]
    [Timeout(900_000, CooperativeCancellation = true)]
    public void Ort_format_lands_as_dot_ort_and_the_generated_class_runs_it()
    {
        _ = LocalPackageFeed.Package;
        using var project = new TestProject("OrtApp", IntegrationMode.Package, """
                <CompressedModel Include="models/cls.onnx" Quantize="Int8" TargetOpset="13" Format="Ort" ClassName="Direction" />
                <CompressedModel Include="models/tiny.onnx" Quantize="Float16" Format="Ort" Embed="true" ClassName="Tiny" />
            """);
        project.AddRealModel(Classifier, "models/cls.onnx");
        project.AddFile("models/tiny.onnx", TinyModels.Mlp(32));
        File.WriteAllText(Path.Combine(project.ProjectDirectory, "Program.cs"), """
            using System.Globalization;
            // Each argument is a 48x192 grey PGM; the classifier sees it as PaddleOCR normalises it.
            using var direction = new OrtApp.Direction();
            foreach (string path in args)
            {
                byte[] bytes = File.ReadAllBytes(path);
                int header = bytes.Length - 48 * 192;
                var x = new float[3 * 48 * 192];
                for (int i = 0; i < x.Length; i++) x[i] = (bytes[header + i % (48 * 192)] / 255f - 0.5f) / 0.5f;
                var p = direction.Run(x, [1, 3, 48, 192]).Softmax0Tmp0;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"class {Path.GetFileName(path)} {p[0]:R} {p[1]:R}"));
            }

            using var tiny = new OrtApp.Tiny();
            Console.WriteLine("tiny " + tiny.Run(new float[32], [1, 32]).Y.Length + " " + OrtApp.Tiny.Description.ResourceName);
            Console.WriteLine("path " + OrtApp.Direction.Description.ModelPath);
            """);

        DotNetResult build = project.Run("build");
        Assert.IsTrue(build.Succeeded, build.ToString());
        string line = build.Output.Split('\n').Single(l => l.TrimStart().StartsWith("cls.onnx -> ", StringComparison.Ordinal));
        StringAssert.Contains(line, "ORT format");
        StringAssert.Contains(line, "max |d|", "validation ran on the .ort file");

        string ort = Path.Combine(project.OutputDirectory, "models", "cls.ort");
        Assert.IsTrue(File.Exists(ort), build.ToString());
        Assert.AreEqual("ORTM", System.Text.Encoding.ASCII.GetString(File.ReadAllBytes(ort), 4, 4), "ONNX Runtime's flatbuffer format");
        Assert.IsFalse(File.Exists(Path.Combine(project.OutputDirectory, "models", "cls.onnx")), "no .onnx beside it");
        Assert.IsFalse(File.Exists(Path.Combine(project.OutputDirectory, "models", "tiny.ort")), "the embedded model is a resource");

        string[] images = ["strokes_0.pgm", "strokes_0_rot180.pgm", "strokes_3.pgm", "strokes_3_rot180.pgm"];
        string imageFolder = Path.Combine(Repository.Root, "tests", "data", "images");
        DotNetResult run = DotNet.Run(project.OutputDirectory, ["OrtApp.dll", .. images.Select(i => Path.Combine(imageFolder, i))]);
        Assert.IsTrue(run.Succeeded, run.ToString());
        StringAssert.Contains(run.Output, "tiny 32 models/tiny.ort");
        StringAssert.Contains(run.Output, "path models/cls.ort");
        foreach (string image in images)
        {
            string[] printed = run.Output.Split('\n').Single(l => l.StartsWith("class " + image + " ", StringComparison.Ordinal)).Trim().Split(' ');
            float[] original = Original(Path.Combine(imageFolder, image));
            float upright = float.Parse(printed[2], CultureInfo.InvariantCulture), flipped = float.Parse(printed[3], CultureInfo.InvariantCulture);
            Assert.AreEqual(original[0] >= original[1], upright >= flipped, $"{image}: the .ort model's class ({upright}, {flipped}) is the original's ({original[0]}, {original[1]})");
            Assert.AreEqual(original[0], upright, 0.05, image);
        }

        DotNetResult noOp = project.Run("build");
        Assert.IsTrue(noOp.Succeeded, noOp.ToString());
        Assert.Contains("Skipping target \"_CompressionBuildCompress\" because all output files are up-to-date", noOp.Output, "the .ort output is the target's output: a no-op build skips it");
    }

    private static float[] Original(string image)
    {
        byte[] bytes = File.ReadAllBytes(image);
        int header = bytes.Length - Height * Width;
        var x = new float[3 * Height * Width];
        for (int i = 0; i < x.Length; i++) x[i] = (bytes[header + i % (Height * Width)] / 255f - 0.5f) / 0.5f;
        using var session = new InferenceSession(Repository.RealModel(Classifier));
        using var input = OrtValue.CreateTensorValueFromMemory(x, [1, 3, Height, Width]);
        using var runOptions = new RunOptions();
        using var outputs = session.Run(runOptions, ["x"], [input], session.OutputNames);
        return outputs[0].GetTensorDataAsSpan<float>().ToArray();
    }
}
