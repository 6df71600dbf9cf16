using Compression.Build.Tool;
using Compression.Onnx;

namespace Compression.Tool.Tests;

/// <summary>The progress display: nothing for quick work, a bar redrawn in place on a terminal, plain lines when redirected.</summary>
[TestClass]
public sealed class ProgressTests
{
    private static readonly CompressionProgress[] Stages =
    [
        new("load", 0, 4), new("Quantize", 1, 4), new("save", 2, 4), new("validate", 3, 4),
    ];

    [TestMethod]
    public void RedirectedOutputGetsOneLinePerStage()
    {
        var writer = new StringWriter();
        using (var progress = new Progress(writer, interactive: false, "m.onnx", TimeSpan.Zero))
        {
            foreach (var stage in Stages) progress.Report(stage);
        }

        string[] lines = writer.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        CollectionAssert.AreEqual(new[] { "load", "Quantize", "save", "validate" }, lines.Select(l => l.Split(' ')[1]).ToArray(), writer.ToString());
        StringAssert.StartsWith(lines[1], "m.onnx: Quantize (stage 2 of 4, ");
        Assert.DoesNotContain("\r", writer.ToString(), "no cursor control in a log file");
    }

    [TestMethod]
    public void TerminalGetsABarRedrawnInPlaceAndClearedAtTheEnd()
    {
        var writer = new StringWriter();
        using (var progress = new Progress(writer, interactive: true, "m.onnx", TimeSpan.Zero))
        {
            foreach (var stage in Stages) progress.Report(stage);
            StringAssert.Contains(writer.ToString(), "\r\u001b[2Km.onnx [============>           ] 2/4 save... ");
        }

        Assert.DoesNotContain("\n", writer.ToString(), "the bar stays on one line");
        StringAssert.EndsWith(writer.ToString(), "\r\u001b[2K", "cleared, so the result line starts clean");
    }

    [TestMethod]
    public void TheBarMovesWithTheWeightsOfAStage()
    {
        var writer = new StringWriter();
        using (var progress = new Progress(writer, interactive: true, "m.onnx", TimeSpan.Zero))
        {
            progress.Report(new CompressionProgress("Quantize", 1, 4, 0.5));
            StringAssert.Contains(writer.ToString(), "m.onnx [=========>              ] 1/4 Quantize 50%... ", "(1 + 0.5) of 4 stages = 9 of 24");
        }
    }

    [TestMethod]
    public void RedirectedOutputDoesNotRepeatAStageForItsWeights()
    {
        var writer = new StringWriter();
        using (var progress = new Progress(writer, interactive: false, "m.onnx", TimeSpan.Zero))
        {
            for (int i = 0; i < 10; i++) progress.Report(new CompressionProgress("Quantize", 1, 4, i / 10.0));
        }

        Assert.AreEqual(1, writer.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries).Length, writer.ToString());
    }

    [TestMethod]
    public void QuickWorkShowsNothing()
    {
        var writer = new StringWriter();
        using (var progress = new Progress(writer, interactive: true, "m.onnx", TimeSpan.FromMinutes(1)))
        {
            foreach (var stage in Stages) progress.Report(stage);
        }

        Assert.AreEqual(string.Empty, writer.ToString());
    }

    [TestMethod]
    public void JsonModeHasNoProgress() =>
        Assert.IsNull(Progress.For(new Output(true, new StringWriter(), new StringWriter()), "m.onnx"));
}
