using System.Diagnostics;
using System.Reflection;
using Compression.Onnx.Tests.Pipeline;

namespace Compression.Onnx.Tests.Robustness;

/// <summary>The crash-proof boundary: wrapped coded errors come out coded, anything else is CMP0000 with a log.</summary>
[TestClass]
public sealed class EngineBoundaryTests
{
    private const string Model = "/models/m.onnx";

    private static readonly CompressionSettings Int8 = new() { Quantize = QuantizationType.Int8 };

    private static CompressionException Coded(string code = DiagnosticCodes.InvalidTensorShape) =>
        new(code, "Tensor 'W' has an invalid shape.", Model, "Re-export it.");

    private static CompressionException Fail(Exception thrown, string? logDirectory = null) =>
        Assert.ThrowsExactly<CompressionException>(() => EngineBoundary.Run<int>(() => throw thrown, Model, Int8, logDirectory ?? PassTestFiles.NewTempDirectory()));

    [TestMethod]
    public void A_coded_error_inside_a_parallel_loop_comes_out_coded()
    {
        // What Parallel.For in the 8-bit pass throws when one weight fails.
        var thrown = Assert.ThrowsExactly<AggregateException>(() => Parallel.For(0, 4, i => { if (i == 2) throw Coded(); }));
        Assert.AreSame(thrown.InnerExceptions[0], Fail(thrown));
    }

    [TestMethod]
    public void Reflection_and_type_initializer_wrappers_are_unwrapped()
    {
        CompressionException coded = Coded();
        Assert.AreSame(coded, Fail(new TargetInvocationException(new AggregateException(new TypeInitializationException("T", coded)))));
    }

    [TestMethod]
    public void The_first_coded_error_wins_over_an_unexpected_sibling()
    {
        CompressionException coded = Coded(DiagnosticCodes.TensorDataMismatch);
        Assert.AreSame(coded, Fail(new AggregateException(new InvalidOperationException("x"), coded)));
    }

    [TestMethod]
    public void A_coded_error_without_a_file_gets_the_model_path()
    {
        var e = Fail(new AggregateException(new CompressionException(DiagnosticCodes.GraphNotTopological, "cycle", null, "report")));
        Assert.AreEqual(DiagnosticCodes.GraphNotTopological, e.Code);
        Assert.AreEqual(Model, e.FilePath);
    }

    [TestMethod]
    public void An_unexpected_error_is_CMP0000_with_model_setting_cause_and_a_log_of_the_trace()
    {
        string logs = PassTestFiles.NewTempDirectory();
        Exception bug;
        try
        {
            object? nothing = null;
            _ = nothing!.ToString();
            throw new UnreachableException();
        }
        catch (NullReferenceException e)
        {
            bug = e;
        }

        var coded = Fail(new AggregateException(bug), logs);
        Assert.AreEqual("CMP0000", coded.Code);
        Assert.AreEqual(Model, coded.FilePath);
        StringAssert.Contains(coded.Message, "'m.onnx'");
        StringAssert.Contains(coded.Message, "Quantize=Int8 Mode=Dynamic");
        StringAssert.Contains(coded.Message, "NullReferenceException");
        StringAssert.Contains(coded.Message, "please report");
        Assert.DoesNotContain("\n", coded.Message, "one line");
        string log = Path.Combine(logs, "m.onnx.error.log");
        StringAssert.Contains(coded.Message, log);
        string text = File.ReadAllText(log);
        StringAssert.Contains(text, nameof(An_unexpected_error_is_CMP0000_with_model_setting_cause_and_a_log_of_the_trace), "the log holds the full trace");
        StringAssert.Contains(text, "setting: with Quantize=Int8 Mode=Dynamic");
    }

    [TestMethod]
    public void An_uncoded_CompressionException_is_an_internal_error() =>
        Assert.AreEqual("CMP0000", Fail(new CompressionException("no code")).Code);

    [TestMethod]
    public void Running_out_of_memory_is_CMP1040() =>
        Assert.AreEqual(DiagnosticCodes.OutOfMemory, Fail(new AggregateException(new OutOfMemoryException())).Code);

    [TestMethod]
    public void An_IO_failure_is_CMP1041_with_its_reason()
    {
        var e = Fail(new IOException("The disk is full.\nmore"));
        Assert.AreEqual(DiagnosticCodes.FileAccessFailed, e.Code);
        StringAssert.EndsWith(e.Message, "The disk is full.");
    }

    [TestMethod]
    public void Cancellation_by_the_caller_stays_a_cancellation()
    {
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();
        Assert.ThrowsExactly<OperationCanceledException>(() =>
            EngineBoundary.Run<int>(() => throw new AggregateException(new TaskCanceledException()), Model, Int8, null, cancel.Token));
    }

    [TestMethod]
    public void A_cancellation_nobody_asked_for_is_an_internal_error() =>
        Assert.AreEqual("CMP0000", Fail(new OperationCanceledException()).Code);

    [TestMethod]
    public void Work_that_succeeds_returns_its_value() =>
        Assert.AreEqual(42, EngineBoundary.Run(() => 42, Model, null, null));

    [TestMethod]
    public void Every_engine_code_is_documented_once()
    {
        string[] lines = File.ReadAllLines(Path.Combine(Path.GetDirectoryName(PassTestFiles.Data())!, "..", "docs", "diagnostics.md"));
        var codes = typeof(DiagnosticCodes).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral)
            .Select(f => (string)f.GetRawConstantValue()!)
            .Distinct()
            .ToArray();
        Assert.IsGreaterThan(30, codes.Length);
        foreach (string code in codes)
        {
            Assert.AreEqual(1, lines.Count(line => line.StartsWith($"| {code} |", StringComparison.Ordinal)), code);
        }
    }
}
