using Compression.Generators.Json;

namespace Compression.Generators.Tests;

[TestClass]
public sealed class JsonReaderTests
{
    [TestMethod]
    public void ReadsEveryKindOfValueWithPositions()
    {
        const string text = """ { "a": [1, -2.5e3, true, false, null], "b": { }, "c": "x" } """;
        var root = JsonReader.Parse(text, out var error);

        Assert.IsNull(error);
        Assert.IsNotNull(root);
        Assert.AreEqual(JsonKind.Object, root.Kind);
        var items = root.Find("a")!.Value.Items;
        Assert.AreEqual("1", items[0].Text);
        Assert.IsTrue(items[1].TryGetDouble(out var d));
        Assert.AreEqual(-2500.0, d);
        Assert.IsFalse(items[1].TryGetInt64(out _), "-2.5e3 is not a whole number literal");
        CollectionAssert.AreEqual(new[] { JsonKind.Number, JsonKind.Number, JsonKind.True, JsonKind.False, JsonKind.Null }, items.Select(i => i.Kind).ToArray());
        Assert.AreEqual(JsonKind.Object, root.Find("b")!.Value.Kind);
        var c = root.Find("c")!.Value;
        Assert.AreEqual("\"x\"", text[c.Start..c.End]);
    }

    [TestMethod]
    [DataRow("\"a\\\"b\"", "a\"b")]
    [DataRow("\"\\\\ \\/ \\b \\f \\n \\r \\t\"", "\\ / \b \f \n \r \t")]
    [DataRow("\"\\u00e9\\u4E2D\"", "é中")]
    [DataRow("\"\\ud83d\\ude00\"", "😀")]
    [DataRow("\"onnx::Flatten_0\"", "onnx::Flatten_0")]
    public void DecodesStringEscapes(string json, string expected)
    {
        var value = JsonReader.Parse(json, out var error);
        Assert.IsNull(error);
        Assert.AreEqual(expected, value!.Text);
    }

    [TestMethod]
    [DataRow("", 0, "unexpected end of text")]
    [DataRow("{", 1, "unterminated object")]
    [DataRow("{\"a\" 1}", 5, "expected ':'")]
    [DataRow("{\"a\":1,}", 7, "expected a property name")]
    [DataRow("[1,]", 3, "unexpected character ']'")]
    [DataRow("[1 2]", 3, "expected ',' or ']'")]
    [DataRow("\"abc", 4, "unterminated string")]
    [DataRow("\"a\nb\"", 2, "control character U+000A")]
    [DataRow("\"\\x\"", 2, "invalid escape '\\x'")]
    [DataRow("\"\\u12G4\"", 5, "invalid hex digit 'G'")]
    [DataRow("\"\\u12", 3, "truncated \\u escape")]
    [DataRow("01", 1, "unexpected text after")]
    [DataRow("-", 1, "expected a digit")]
    [DataRow("1.", 2, "expected a digit after '.'")]
    [DataRow("1e+", 3, "exponent")]
    [DataRow("tru", 0, "expected 'true'")]
    [DataRow("nul", 0, "expected 'null'")]
    [DataRow("{\"a\":1,\"a\":2}", 7, "duplicate property \"a\"")]
    [DataRow("{} {}", 3, "unexpected text after")]
    [DataRow("'a'", 0, "unexpected character '''")]
    [DataRow("[NaN]", 1, "unexpected character 'N'")]
    public void ReportsWhereAndWhyTextIsNotJson(string json, int position, string message)
    {
        var value = JsonReader.Parse(json, out var error);
        Assert.IsNull(value);
        Assert.IsNotNull(error);
        Assert.Contains(message, error.Message);
        Assert.AreEqual(position, error.Position, error.Message);
    }

    [TestMethod]
    public void RefusesNestingDeeperThanTheLimitInsteadOfOverflowingTheStack()
    {
        var deep = new string('[', 100_000) + new string(']', 100_000);
        Assert.IsNull(JsonReader.Parse(deep, out var error));
        Assert.Contains("nested more than 64 levels", error!.Message);

        var ok = new string('[', 64) + new string(']', 64);
        Assert.IsNotNull(JsonReader.Parse(ok, out _));
    }

    [TestMethod]
    public void SkipsAByteOrderMarkAndWhitespace()
    {
        var value = JsonReader.Parse("\uFEFF \r\n\t{ }\n", out var error);
        Assert.IsNull(error);
        Assert.AreEqual(JsonKind.Object, value!.Kind);
    }

    [TestMethod]
    public void WholeNumbersOutsideInt64AreNotWholeNumbers()
    {
        var value = JsonReader.Parse("99999999999999999999", out _);
        Assert.IsFalse(value!.TryGetInt64(out _));
        Assert.IsTrue(value.TryGetDouble(out var d));
        Assert.AreEqual(1e20, d);
    }
}
