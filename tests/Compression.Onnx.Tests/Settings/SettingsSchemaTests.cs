using Compression.Onnx.Settings;
using Compression.Onnx.Tests.IO;

namespace Compression.Onnx.Tests.Settings;

/// <summary>The one settings table: names and option names, string binding, the resolved text, and the docs generated from it.</summary>
[TestClass]
public sealed class SettingsSchemaTests
{
    [TestMethod]
    public void Names_and_option_names_are_unique_and_kebab_case()
    {
        string[] names = [.. SettingsSchema.All.Select(s => s.Name)];
        Assert.HasCount(names.Length, names.Distinct(StringComparer.OrdinalIgnoreCase));
        Assert.AreEqual("block-size", SettingsSchema.BlockSize.OptionName);
        Assert.AreEqual("exclude-ops", SettingsSchema.ExcludeOps.OptionName);
        Assert.AreEqual("calibration-data", SettingsSchema.CalibrationData.OptionName);
        Assert.AreEqual("target-opset", SettingsSchema.TargetOpset.OptionName);
        foreach (Setting setting in SettingsSchema.All)
        {
            Assert.AreSame(setting, SettingsSchema.FindOption(setting.OptionName), setting.Name);
            Assert.AreSame(setting, SettingsSchema.Find(setting.Name.ToUpperInvariant()), setting.Name);
            StringAssert.Matches(setting.OptionName, new System.Text.RegularExpressions.Regex("^[a-z0-9]+(-[a-z0-9]+)*$"));
        }
    }

    [TestMethod]
    public void Defaults_resolve_as_documented()
    {
        BoundSettings none = Bind();
        Assert.IsFalse(none.HasErrors);
        Assert.AreEqual(QuantizationType.None, none.Settings.Quantize);
        Assert.AreEqual(QuantizationMode.Default, none.Settings.Mode);
        Assert.IsTrue(none.Flag(SettingsSchema.GenerateWrapper));
        Assert.IsFalse(none.Flag(SettingsSchema.Embed));

        Assert.AreEqual(QuantizationMode.Dynamic, Bind(("Quantize", "int8")).Settings.Mode);
        Assert.AreEqual(QuantizationMode.WeightOnly, Bind(("Quantize", "Float16")).Settings.Mode);
        CompressionSettings fourBit = Bind(("Quantize", "UInt4")).Settings;
        Assert.AreEqual(QuantizationMode.WeightOnly, fourBit.Mode);
        Assert.AreEqual(32, fourBit.BlockSize);
        Assert.AreEqual(4, fourBit.AccuracyLevel);
        CompressionSettings twoFour = Bind(("Pruning", "2:4")).Settings;
        Assert.AreEqual(0.5, twoFour.Sparsity);
        Assert.AreEqual(PruningMethod.TwoOfFour, twoFour.Pruning);
    }

    [TestMethod]
    public void Command_line_options_bind_through_the_same_table()
    {
        var options = new Dictionary<string, string> { ["quantize"] = "UInt4", ["block-size"] = "64", ["exclude-ops"] = "Gemm; MatMul" };
        var byName = options.ToDictionary(o => SettingsSchema.FindOption(o.Key)!.Name, o => o.Value);
        BoundSettings bound = SettingsBinder.Bind(byName, Environment.CurrentDirectory);
        Assert.IsFalse(bound.HasErrors, string.Join("; ", bound.Problems));
        Assert.AreEqual(64, bound.Settings.BlockSize);
        CollectionAssert.AreEqual(new[] { "Gemm", "MatMul" }, bound.Settings.ExcludeOps.ToArray());
    }

    [TestMethod]
    [DataRow("Quantize", "Int9", "CMP2001")]
    [DataRow("BlockSize", "48", "CMP2006")]
    [DataRow("Sparsity", "0,5", "CMP2006")]
    public void Bad_values_are_coded_problems(string name, string value, string code)
    {
        BoundSettings bound = name == "Quantize" ? Bind((name, value)) : Bind(("Quantize", "Int4"), (name, value));
        Assert.AreEqual(code, bound.Problems.Single().Code);
        Assert.AreEqual(name, bound.Problems[0].Setting);
        StringAssert.Contains(bound.Problems[0].Message, name + "=\"" + value + "\"");
    }

    [TestMethod]
    public void Calibration_data_is_kept_for_channel_pruning_and_dropped_with_a_warning_when_nothing_reads_it()
    {
        using var temp = new TempFolder();
        string set = Path.Combine(temp.Path, "calibration", "test_data_set_0");
        Directory.CreateDirectory(set);
        File.WriteAllText(Path.Combine(set, "input_0.pb"), "x");

        BoundSettings channel = SettingsBinder.Bind(
            new Dictionary<string, string> { ["Pruning"] = "Channel", ["Sparsity"] = "0.25", ["CalibrationData"] = "calibration" }, temp.Path);
        Assert.IsEmpty(channel.Problems);
        Assert.AreEqual(Path.Combine(temp.Path, "calibration"), channel.Settings.CalibrationDataPath);
        Assert.HasCount(1, channel.CalibrationFiles);

        BoundSettings dynamic = SettingsBinder.Bind(new Dictionary<string, string> { ["Quantize"] = "Int8", ["CalibrationData"] = "calibration" }, temp.Path);
        Assert.AreEqual(SettingCodes.CalibrationDataIgnored, dynamic.Problems.Single().Code);
        Assert.IsTrue(dynamic.Problems[0].IsWarning);
        Assert.IsNull(dynamic.Settings.CalibrationDataPath);
    }

    [TestMethod]
    public void Resolved_text_reads_back_to_the_same_settings_and_is_the_same_whatever_the_spelling()
    {
        CompressionSettings settings = Bind(("Quantize", "uint4"), ("BlockSize", "128"), ("Symmetric", "TRUE"), ("ExcludeNodes", "a;b"), ("Tolerance", "0.125"), ("Sparsity", "0.3"), ("Pruning", "global")).Settings;
        string text = SettingsText.Write(settings);
        StringAssert.Contains(text, "Quantize=UInt4\n");
        StringAssert.Contains(text, "Pruning=Global\n");
        CompressionSettings read = SettingsText.Read(text);
        Assert.AreEqual(text, SettingsText.Write(read));
        Assert.AreEqual(settings with { ExcludeNodes = [], ExcludeOps = [] }, read with { ExcludeNodes = [], ExcludeOps = [] });
        CollectionAssert.AreEqual(settings.ExcludeNodes.ToArray(), read.ExcludeNodes.ToArray());
        Assert.AreEqual(text, SettingsText.Write(Bind(("Quantize", "UInt4"), ("Mode", "weightonly"), ("BlockSize", "128"), ("Symmetric", "true"), ("ExcludeNodes", " a ; b "), ("Tolerance", "0.125"), ("Sparsity", "0.30"), ("Pruning", "Global")).Settings));
        Assert.ThrowsExactly<FormatException>(() => SettingsText.Read("Quantise=Int8\n"));
    }

    [TestMethod]
    public void Metadata_doc_tables_are_generated_from_the_schema()
    {
        // Set UPDATE_DOCS=1 to rewrite the tables after changing the schema.
        string path = Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(TestFiles.Silero))!, "..", "..", "docs", "metadata.md");
        string current = File.ReadAllText(path).Replace("\r\n", "\n", StringComparison.Ordinal);
        string generated = SettingsDocs.Regenerate(current);
        if (Environment.GetEnvironmentVariable("UPDATE_DOCS") == "1")
        {
            File.WriteAllText(path, generated);
        }

        foreach (SettingGroup group in Enum.GetValues<SettingGroup>())
        {
            StringAssert.Contains(current, SettingsDocs.BeginMarker + group + " -->\n" + SettingsDocs.Table(group) + SettingsDocs.EndMarker, group.ToString());
        }

        Assert.AreEqual(generated, current, "docs/metadata.md is out of date: run this test with UPDATE_DOCS=1");
    }

    private static BoundSettings Bind(params (string Name, string Value)[] values) =>
        SettingsBinder.Bind(values.ToDictionary(v => v.Name, v => v.Value), Environment.CurrentDirectory);
}
