using Compression.Onnx.Tests.Pipeline;

namespace Compression.Onnx.Tests.Robustness;

/// <summary>
/// DBNet-like structures (issue 19: Int8 Dynamic on PaddleOCR's v4 detector stopped with the internal CMP1030) under
/// every setting: each compresses or does not apply, never an internal error.
/// </summary>
[TestClass]
public sealed class DbNetLikeTests
{
    public static IEnumerable<object[]> Cases =>
        from form in new[] { "constants", "initializers" }
        from setting in SettingMatrix.Compact
        select new object[] { form, setting.Name };

    [TestMethod]
    [DynamicData(nameof(Cases))]
    public void The_detector_like_graph_compresses_or_does_not_apply(string form, string setting)
    {
        string dir = MatrixOutcome.NewDirectory();
        string source = TinyModels.Save(DbNetLikeModels.Detector(constantNodes: form == "constants"), dir, "dbnet_like.onnx");
        string? code = MatrixOutcome.Check(source, setting, dir);

        // Every 8-bit, 4-bit and Float16 setting has weights to take here; BFloat16 needs opset 13 (the model is 11).
        if (!setting.StartsWith("BFloat16", StringComparison.Ordinal)) Assert.IsNull(code, setting);
    }

    [TestMethod]
    [DataRow(true)]
    [DataRow(false)]
    public void A_wide_conv_without_bias_before_BatchNormalization_quantizes_in_Int8_Dynamic(bool constantNodes)
    {
        // The folded bias has 256 floats: the Conv conversion consumed it, and the weight-only pass then found it gone (CMP1030).
        string dir = MatrixOutcome.NewDirectory();
        string source = TinyModels.Save(DbNetLikeModels.WidePointwiseBatchNorm(constantNodes), dir, "pw_bn.onnx");
        Assert.IsNull(MatrixOutcome.Check(source, "Int8 Dynamic", dir));
    }
}
