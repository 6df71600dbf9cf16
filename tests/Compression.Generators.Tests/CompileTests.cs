namespace Compression.Generators.Tests;

/// <summary>
/// Generated code compiles with no warning (nullable on, XML docs checked, highest warning level) for unusual
/// but valid manifests; the real models' wrappers are compiled by their own tests.
/// </summary>
[TestClass]
public sealed class CompileTests
{
    [TestMethod]
    [DataRow("tiny", "", "")]
    [DataRow("no inputs", "\"inputs\": [ { \"name\": \"x\", \"elementType\": \"float\", \"dims\": [ { \"value\": 1 } ] } ]", "\"inputs\": []")]
    [DataRow("global namespace", "\"namespace\": \"My.App\"", "\"namespace\": null")]
    [DataRow("hostile names", "{ \"name\": \"x\",", "{ \"name\": \"\\u0000\\n\\u2028 */ </c> & \\\"q\\\" \\\\ ::\",")]
    [DataRow("hostile source", "\"source\": \"models/tiny.onnx\"", "\"source\": \"a\\u2028b\\r\\nc */ <x> \\\"\"")]
    [DataRow("scalar outputs of every kind", "\"outputs\": [ { \"name\": \"y\", \"elementType\": \"float\", \"dims\": [ { \"value\": 1 } ] } ]",
        "\"outputs\": [ { \"name\": \"s\", \"elementType\": \"string\", \"dims\": [] }, { \"name\": \"h\", \"elementType\": \"float16\", \"dims\": [] }, { \"name\": \"b\", \"elementType\": \"bfloat16\", \"dims\": [] }, { \"name\": \"q\", \"elementType\": \"bool\", \"dims\": [] }, { \"name\": \"Equals\", \"elementType\": \"uint8\" } ]")]
    [DataRow("embedded", "\"modelPath\": \"models/tiny.onnx\"", "\"resourceName\": \"My.App.tiny.onnx\"")]
    public void CompilesWithoutWarnings(string name, string find, string replace)
    {
        var manifest = find.Length == 0 ? DiagnosticsTests.Tiny : DiagnosticsTests.Tiny.Replace(find, replace);
        Assert.IsTrue(find.Length == 0 || manifest != DiagnosticsTests.Tiny, name + ": the replacement must apply");

        var source = GeneratorHarness.SingleSource(GeneratorHarness.Run(("/project/obj/" + name + ".json", manifest)));

        var assembly = GeneratorHarness.CompileAndLoad([source]);
        Assert.IsNotNull(assembly.GetTypes().SingleOrDefault(t => t.Name == "Tiny"), name);
    }
}
