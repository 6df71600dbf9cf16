using Compression.Onnx.Graph;
using Compression.Onnx.IO;
using Compression.Onnx.Tensors;

namespace Compression.Onnx.Tests.IO;

/// <summary>Damaged copies of a real model: loading, cataloguing and reading weights either works or fails with a coded error.</summary>
[TestClass]
public sealed class MutationTests
{
    [TestMethod]
    [DataRow("silero_vad_v5.onnx")]
    [DataRow("ch_ppocr_mobile_v2.0_cls_infer.onnx")]
    public void RandomByteDamageNeverEscapesAsAnotherException(string fileName)
    {
        byte[] original = File.ReadAllBytes(TestFiles.Model(fileName));
        using var folder = new TempFolder();
        var random = new Random(1234);
        int loaded = 0, coded = 0;
        for (int trial = 0; trial < 100; trial++)
        {
            byte[] damaged = (byte[])original.Clone();
            int flips = 1 + random.Next(8);
            for (int f = 0; f < flips; f++)
            {
                damaged[random.Next(damaged.Length)] = (byte)random.Next(256);
            }

            string path = folder.File($"m{trial}.onnx");
            File.WriteAllBytes(path, damaged);
            try
            {
                using OnnxModel model = OnnxModel.Load(path);
                foreach (Weight weight in WeightCatalog.Build(model))
                {
                    if (weight.IsFloat)
                    {
                        _ = weight.ReadFloats();
                    }
                    else if (ElementTypes.GetBitsPerElement(weight.ElementType) > 0)
                    {
                        _ = TensorData.GetRawBytes(weight.ToTensor(), model);
                    }
                }

                _ = ModelSignature.Read(model);
                model.Save(folder.File("saved.onnx"));
                loaded++;
            }
            catch (CompressionException e)
            {
                Assert.StartsWith("CMP1", e.Code);
                coded++;
            }
        }

        Console.WriteLine($"{fileName}: {loaded} damaged copies still load, {coded} give coded errors");
        Assert.AreEqual(100, loaded + coded);
    }
}
