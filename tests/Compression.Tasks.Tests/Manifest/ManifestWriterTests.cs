using Compression.Tasks.Manifest;

namespace Compression.Tasks.Tests.Manifest;

[TestClass]
public sealed class ManifestWriterTests
{
    [TestMethod]
    public void Writes_schema_version_1_exactly()
    {
        var manifest = new ModelManifest
        {
            ClassName = "SileroVadV5",
            Namespace = "MyApp",
            Source = "models/silero_vad_v5.onnx",
            ModelPath = "models/silero_vad_v5.onnx",
            Compression = new ManifestCompression("Int8", "Dynamic", "None", 0, "Int8 dynamic", 2327524, 712345),
            Inputs =
            [
                new ManifestValue("input", "float", [new ManifestDim(null, "batch"), new ManifestDim(null, null)]),
                new ManifestValue("sr", "int64", []),
            ],
            Outputs = [new ManifestValue("out<1>", "float", null)],
        };

        string expected = """
            {
              "schemaVersion": 1,
              "className": "SileroVadV5",
              "namespace": "MyApp",
              "source": "models/silero_vad_v5.onnx",
              "modelPath": "models/silero_vad_v5.onnx",
              "resourceName": null,
              "compression": {
                "quantize": "Int8",
                "mode": "Dynamic",
                "pruning": "None",
                "sparsity": 0,
                "summary": "Int8 dynamic",
                "originalBytes": 2327524,
                "compressedBytes": 712345
              },
              "inputs": [
                {
                  "name": "input",
                  "elementType": "float",
                  "dims": [
                    {
                      "param": "batch"
                    },
                    {}
                  ]
                },
                {
                  "name": "sr",
                  "elementType": "int64",
                  "dims": []
                }
              ],
              "outputs": [
                {
                  "name": "out<1>",
                  "elementType": "float"
                }
              ]
            }

            """;
        Assert.AreEqual(expected.Replace("\r\n", "\n", StringComparison.Ordinal), ManifestWriter.ToJson(manifest));
    }

    [TestMethod]
    public void Design_time_manifest_has_null_compressed_size_and_resource_name_when_embedded()
    {
        var manifest = new ModelManifest
        {
            ClassName = "Tiny",
            Namespace = "A.B",
            Source = "tiny.onnx",
            ResourceName = "tiny.onnx",
            Compression = new ManifestCompression("None", "None", "Unstructured", 0.5, "Unstructured pruning to 0.5 sparsity", 10, null),
            Inputs = [],
            Outputs = [],
        };
        string json = ManifestWriter.ToJson(manifest);
        Assert.Contains("\"modelPath\": null", json);
        Assert.Contains("\"resourceName\": \"tiny.onnx\"", json);
        Assert.Contains("\"compressedBytes\": null", json);
        Assert.Contains("\"sparsity\": 0.5", json);
    }
}
