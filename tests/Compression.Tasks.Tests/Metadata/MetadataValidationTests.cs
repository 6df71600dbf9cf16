namespace Compression.Tasks.Tests.Metadata;

/// <summary>
/// One case each for the sanity check: a bad metadata value, name or combination fails the build with
/// its CMP2xxx code, naming the item and the metadata.
/// </summary>
[TestClass]
public sealed class MetadataValidationTests
{
    private const string Model = "models/silero_vad_v5.onnx";

    [TestMethod]
    [DataRow("Quantize", "Int9", "None, Int8, UInt8, Int4, UInt4, Float16, BFloat16")]
    [DataRow("Mode", "Fast", "Dynamic, WeightOnly, Static, Full")]
    [DataRow("Pruning", "Random", "Unstructured, Global, 2:4, Channel, None")]
    [DataRow("Optimize", "Max", "None, Basic, Extended, All")]
    [DataRow("Format", "Tflite", "Onnx, Ort")]
    [DataRow("Validate", "yes", "true, false")]
    [DataRow("Embed", "1", "true, false")]
    [DataRow("GenerateWrapper", "no", "true, false")]
    [DataRow("PerChannel", "maybe", "true, false")]
    [DataRow("AutoFallback", "on", "true, false")]
    [DataRow("WeightRange", "Reduced", "Portable, Full")]
    public void Unknown_value_is_CMP2001_naming_item_metadata_and_allowed_values(string metadata, string value, string allowed)
    {
        // PerChannel needs an integer Quantize to get as far as its value check without a contradiction.
        string quantize = metadata is "Mode" or "PerChannel" or "WeightRange" ? "Int8" : "None";
        AssertSingleError(
            "CMP2001",
            [Model, metadata + "=\"" + value + "\"", "Allowed values: " + allowed],
            SanityCheckHarness.Item(Model, (metadata, value), ("Quantize", metadata == "Quantize" ? value : quantize)));
    }

    [TestMethod]
    public void Unknown_metadata_name_is_CMP2002_with_a_suggestion()
    {
        AssertSingleError("CMP2002", [Model, "'Quantise'", "did you mean 'Quantize'?"], SanityCheckHarness.Item(Model, ("Quantise", "Int8")));
    }

    [TestMethod]
    public void Unknown_metadata_name_far_from_any_is_CMP2002_without_a_suggestion()
    {
        using var harness = new SanityCheckHarness();
        Assert.IsFalse(harness.Run(SanityCheckHarness.Item(Model, ("Colour", "blue"))));
        Assert.AreEqual("CMP2002", harness.Engine.Errors.Single().Code);
        Assert.DoesNotContain("did you mean", harness.Engine.Errors[0].Message!);
    }

    [TestMethod]
    public void IDE_metadata_is_not_reported_as_unknown()
    {
        using var harness = new SanityCheckHarness();
        Assert.IsTrue(harness.Run(SanityCheckHarness.Item(Model, ("Visible", "false"), ("Link", "x/y.onnx"))), harness.Engine.Describe());
        Assert.AreEqual("x/y.onnx", harness.Prepared[0].GetMetadata("TargetPath"));
    }

    [TestMethod]
    public void Missing_model_is_CMP2003()
    {
        AssertSingleError("CMP2003", ["models/missing.onnx", "does not exist"], SanityCheckHarness.Item("models/missing.onnx"));
    }

    [TestMethod]
    [DataRow("Float16", "Mode", "Dynamic", "Quantize=\"Float16\" cannot be applied with Mode=\"Dynamic\"")]
    [DataRow("Int4", "Mode", "Dynamic", "Quantize=\"Int4\" cannot be applied with Mode=\"Dynamic\"")]
    [DataRow("UInt4", "Mode", "Static", "Quantize=\"UInt4\" cannot be applied with Mode=\"Static\"")]
    [DataRow("Int8", "Mode", "Full", "Use Mode=\"Dynamic\" or \"WeightOnly\" or \"Static\"")]
    [DataRow("None", "Mode", "WeightOnly", "Mode=\"WeightOnly\" needs a Quantize type")]
    [DataRow("Int8", "BlockSize", "64", "BlockSize=\"64\" applies to 4-bit quantization only")]
    [DataRow("Float16", "AccuracyLevel", "1", "AccuracyLevel=\"1\" applies to 4-bit quantization only")]
    [DataRow("Int4", "WeightRange", "Full", "WeightRange=\"Full\" applies to 8-bit quantization only")]
    [DataRow("BFloat16", "PerChannel", "true", "PerChannel applies to integer quantization only")]
    [DataRow("None", "Symmetric", "false", "Symmetric applies to integer quantization only")]
    [DataRow("Int8", "AutoFallback", "true", "AutoFallback=\"true\" needs a Tolerance")]
    [DataRow("None", "Pruning", "Channel", "Pruning=\"Channel\" needs a Sparsity above 0")]
    [DataRow("None", "ExcludeOps", "Conv;MatMul", "ExcludeNodes/ExcludeOps keep nodes out of quantization")]
    public void Contradicting_metadata_is_CMP2004(string quantize, string metadata, string value, string expected)
    {
        AssertSingleError("CMP2004", [Model, expected], SanityCheckHarness.Item(Model, ("Quantize", quantize), (metadata, value)));
    }

    [TestMethod]
    public void Tolerance_with_validation_off_is_CMP2004()
    {
        AssertSingleError(
            "CMP2004",
            ["Tolerance needs validation"],
            SanityCheckHarness.Item(Model, ("Quantize", "Int8"), ("Tolerance", "0.01"), ("Validate", "false")));
    }

    [TestMethod]
    public void TwoFour_pruning_with_another_sparsity_is_CMP2004()
    {
        AssertSingleError("CMP2004", ["2:4", "Sparsity=\"0.3\""], SanityCheckHarness.Item(Model, ("Pruning", "2:4"), ("Sparsity", "0.3")));
    }

    [TestMethod]
    public void Sparsity_with_pruning_none_is_CMP2004()
    {
        AssertSingleError("CMP2004", ["Pruning=\"None\""], SanityCheckHarness.Item(Model, ("Pruning", "None"), ("Sparsity", "0.5")));
    }

    [TestMethod]
    public void ValidationData_with_validation_off_is_CMP2004()
    {
        AssertSingleError(
            "CMP2004",
            ["ValidationData is given, but Validate=\"false\""],
            SanityCheckHarness.Item(Model, ("ValidationData", "calibration"), ("Validate", "false")));
    }

    [TestMethod]
    public void Static_without_calibration_data_is_CMP2005()
    {
        AssertSingleError("CMP2005", ["Mode=\"Static\" needs CalibrationData"], SanityCheckHarness.Item(Model, ("Quantize", "Int8"), ("Mode", "Static")));
    }

    [TestMethod]
    public void Calibration_folder_missing_is_CMP2005()
    {
        AssertSingleError(
            "CMP2005",
            ["CalibrationData folder", "does not exist"],
            SanityCheckHarness.Item(Model, ("Quantize", "Int8"), ("Mode", "Static"), ("CalibrationData", "nowhere")));
    }

    [TestMethod]
    public void Calibration_folder_without_test_data_is_CMP2005()
    {
        AssertSingleError(
            "CMP2005",
            ["has no test_data_set_*/input_*.pb or set_*/*.npy files"],
            SanityCheckHarness.Item(Model, ("Quantize", "UInt8"), ("Mode", "Static"), ("CalibrationData", "empty")));
    }

    [TestMethod]
    [DataRow("Sparsity", "1.5", "a number from 0 to 0.99")]
    [DataRow("Sparsity", "0,5", "a number from 0 to 0.99")]
    [DataRow("BlockSize", "48", "a power of two from 16 to 4096")]
    [DataRow("BlockSize", "8", "a power of two from 16 to 4096")]
    [DataRow("AccuracyLevel", "5", "an integer from 0 to 4")]
    [DataRow("AccuracyLevel", "fast", "an integer from 0 to 4")]
    [DataRow("TargetOpset", "seventeen", "a positive ONNX opset version")]
    public void Out_of_range_number_is_CMP2006(string metadata, string value, string expected)
    {
        // BlockSize and AccuracyLevel are only valid with 4-bit; Tolerance only with validation (on by default).
        string quantize = metadata is "BlockSize" or "AccuracyLevel" ? "Int4" : "Int8";
        AssertSingleError("CMP2006", [Model, metadata + "=\"" + value + "\"", expected], SanityCheckHarness.Item(Model, ("Quantize", quantize), (metadata, value)));
    }

    [TestMethod]
    [DataRow("-1", "must be finite and 0 or more")]
    [DataRow("NaN", "must be finite and 0 or more")]
    [DataRow("cosine<=0.9", "cosine is bounded from below")]
    [DataRow("output:psnr>=30", "is not [output:]metric>=bound")]
    [DataRow("top1>=1.5", "top1 is at most 1")]
    [DataRow(";", "it has no rule")]
    public void Tolerance_outside_the_grammar_is_CMP4210(string value, string expected)
    {
        AssertSingleError("CMP4210", [Model, "Tolerance=\"" + value + "\"", expected], SanityCheckHarness.Item(Model, ("Quantize", "Int8"), ("Tolerance", value)));
    }

    [TestMethod]
    [DataRow("0.01")]
    [DataRow("cosine>=0.995")]
    [DataRow("output:maxabs<=0.02;stateN:cosine>=0.98")]
    [DataRow("top1>=0.99; meanabs<=0.001")]
    public void Tolerance_in_the_grammar_passes_the_sanity_check(string value)
    {
        using var harness = new SanityCheckHarness();
        Assert.IsTrue(harness.Run(SanityCheckHarness.Item(Model, ("Quantize", "Int8"), ("Tolerance", value))), harness.Engine.Describe());
        Assert.IsEmpty(harness.Engine.Errors, harness.Engine.Describe());
    }

    [TestMethod]
    [DataRow("ClassName", "class")]
    [DataRow("ClassName", "9Lives")]
    [DataRow("ClassName", "My-Model")]
    [DataRow("Namespace", "My..App")]
    [DataRow("Namespace", "My App")]
    public void Invalid_identifier_is_CMP2007(string metadata, string value)
    {
        AssertSingleError("CMP2007", [Model, metadata + "=\"" + value + "\""], SanityCheckHarness.Item(Model, (metadata, value)));
    }

    [TestMethod]
    [DataRow("/abs/model.onnx", "is rooted")]
    [DataRow("../outside.onnx", "does not name a file under the output folder")]
    [DataRow("models/", "does not name a file under the output folder")]
    public void Invalid_target_path_is_CMP2008(string targetPath, string reason)
    {
        AssertSingleError("CMP2008", [Model, reason], SanityCheckHarness.Item(Model, ("TargetPath", targetPath)));
    }

    [TestMethod]
    public void Two_items_with_one_target_path_is_CMP2008()
    {
        AssertSingleError(
            "CMP2008",
            ["is also the TargetPath of 'models/silero_vad_v5.onnx'"],
            SanityCheckHarness.Item(Model, ("TargetPath", "m.onnx")),
            SanityCheckHarness.Item("models/other.onnx", ("TargetPath", "M.onnx"), ("ClassName", "Other")));
    }

    [TestMethod]
    public void Two_items_generating_one_class_is_CMP2009()
    {
        AssertSingleError(
            "CMP2009",
            ["'MyApp.Vad'"],
            SanityCheckHarness.Item(Model, ("ClassName", "Vad")),
            SanityCheckHarness.Item("models/other.onnx", ("ClassName", "Vad")));
    }

    [TestMethod]
    public void Same_class_name_without_wrapper_is_fine()
    {
        using var harness = new SanityCheckHarness();
        bool ok = harness.Run(
            SanityCheckHarness.Item(Model, ("ClassName", "Vad")),
            SanityCheckHarness.Item("models/other.onnx", ("ClassName", "Vad"), ("GenerateWrapper", "false")));
        Assert.IsTrue(ok, harness.Engine.Describe());
    }

    [TestMethod]
    public void Validation_folder_missing_is_CMP2010()
    {
        AssertSingleError("CMP2010", ["ValidationData folder", "does not exist"], SanityCheckHarness.Item(Model, ("ValidationData", "nowhere")));
    }

    [TestMethod]
    public void Calibration_data_without_static_mode_is_warning_CMP2011()
    {
        using var harness = new SanityCheckHarness();
        Assert.IsTrue(harness.Run(SanityCheckHarness.Item(Model, ("Quantize", "Int8"), ("CalibrationData", "calibration"))), harness.Engine.Describe());
        Assert.AreEqual("CMP2011", harness.Engine.Warnings.Single().Code);
        Assert.IsEmpty(harness.Engine.Errors);
    }

    [TestMethod]
    public void Every_problem_of_every_item_is_reported_in_one_run()
    {
        using var harness = new SanityCheckHarness();
        bool ok = harness.Run(
            SanityCheckHarness.Item(Model, ("Quantize", "Int9"), ("Sparsity", "2"), ("Quantise", "x")),
            SanityCheckHarness.Item("models/missing.onnx"));
        Assert.IsFalse(ok);
        CollectionAssert.AreEquivalent(
            new[] { "CMP2001", "CMP2002", "CMP2003", "CMP2006" },
            harness.Engine.Errors.Select(e => e.Code).ToArray(),
            harness.Engine.Describe());
        Assert.IsEmpty(harness.Prepared, "nothing is prepared when the sanity check fails");
    }

    [TestMethod]
    public void Error_message_carries_the_help_text()
    {
        using var harness = new SanityCheckHarness();
        harness.Run(SanityCheckHarness.Item(Model, ("Quantize", "Int9")));
        Assert.Contains("docs/metadata.md", harness.Engine.Errors.Single().Message!);
        Assert.AreEqual("CMP2001", harness.Engine.Errors[0].HelpKeyword);
    }

    private static void AssertSingleError(string code, string[] fragments, params Microsoft.Build.Framework.ITaskItem[] items)
    {
        using var harness = new SanityCheckHarness();
        bool ok = harness.Run(items);
        Assert.IsFalse(ok, "the sanity check must fail");
        Assert.HasCount(1, harness.Engine.Errors, harness.Engine.Describe());
        Assert.AreEqual(code, harness.Engine.Errors[0].Code, harness.Engine.Describe());
        foreach (string fragment in fragments)
        {
            Assert.Contains(fragment, harness.Engine.Errors[0].Message!);
        }
    }
}
