using System.Collections.Concurrent;
using Compression.Onnx.Conversion;
using Compression.Onnx.IO;
using Compression.Onnx.Tests.Corpus;
using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Onnx;

namespace Compression.Onnx.Tests.Conversion;

/// <summary>What happened to one corpus model converted to one opset.</summary>
internal sealed record ConversionOutcome(string Id, int Source, int Target, ConversionStatus Status, string Detail);

internal enum ConversionStatus
{
    /// <summary>Converted, and ONNX Runtime reproduces the corpus's expected outputs.</summary>
    Reproduces,

    /// <summary>The converter refused with a coded error.</summary>
    Refused,

    /// <summary>Converted, but ONNX Runtime does not load or run the result.</summary>
    RuntimeRejects,

    /// <summary>Converted and runs, but the outputs differ from the expected ones.</summary>
    Deviates,
}

/// <summary>
/// Converts ONNX backend corpus models to target opsets and runs them in ONNX Runtime against the corpus's expected
/// outputs. Only models whose originals reproduce their expected outputs in ONNX Runtime count (the baseline), so a
/// failure is the converter's.
/// </summary>
internal static class CorpusConversion
{
    public sealed record Baseline(CorpusModel Model, ModelProto Proto, int Opset);

    /// <summary>The corpus models with tensor inputs and outputs whose originals reproduce the expected outputs, and why the others do not count.</summary>
    public static (List<Baseline> Eligible, ConcurrentDictionary<string, string> Excluded) Baselines(IReadOnlyList<CorpusModel> models)
    {
        var eligible = new ConcurrentBag<Baseline>();
        var excluded = new ConcurrentDictionary<string, string>();
        Parallel.ForEach(models, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, model =>
        {
            if (model.DataSets.Count == 0) { excluded[model.Id] = "no test data"; return; }
            ModelProto proto;
            using (OnnxModel loaded = OnnxModel.Load(model.ModelPath)) proto = loaded.Proto;
            int opset = (int)(Compression.Onnx.Graph.Opsets.GetVersion(proto, Compression.Onnx.Graph.Opsets.DefaultDomain) ?? 0);
            var initializers = proto.Graph.Initializer.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
            if (proto.Graph.Input.Where(i => !initializers.Contains(i.Name)).Concat(proto.Graph.Output).Any(v => v.Type?.ValueCase != TypeProto.ValueOneofCase.TensorType))
            {
                excluded[model.Id] = "sequence/map/optional inputs or outputs";
                return;
            }

            string? failure = RunAgainstExpected(model, proto.ToByteArray());
            if (failure is null) eligible.Add(new Baseline(model, proto, opset));
            else excluded[model.Id] = "original in ONNX Runtime: " + failure;
        });
        return ([.. eligible.OrderBy(b => b.Model.Id, StringComparer.Ordinal)], excluded);
    }

    public static ConversionOutcome Convert(Baseline baseline, int target)
    {
        ModelProto copy = baseline.Proto.Clone();
        try
        {
            using OnnxModel model = OnnxModel.FromProto(copy);
            OpsetConverter.Convert(model, target, baseline.Model.ModelPath);
        }
        catch (CompressionException e)
        {
            return new(baseline.Model.Id, baseline.Opset, target, ConversionStatus.Refused, e.Code + ": " + e.Message);
        }

        string? failure = RunAgainstExpected(baseline.Model, copy.ToByteArray());
        return failure is null
            ? new(baseline.Model.Id, baseline.Opset, target, ConversionStatus.Reproduces, string.Empty)
            : new(baseline.Model.Id, baseline.Opset, target, failure.StartsWith("output", StringComparison.Ordinal) ? ConversionStatus.Deviates : ConversionStatus.RuntimeRejects, failure);
    }

    /// <summary>Null when ONNX Runtime runs the model and reproduces every data set's expected outputs, else what went wrong.</summary>
    private static string? RunAgainstExpected(CorpusModel model, byte[] bytes)
    {
        using var options = new SessionOptions { LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL, IntraOpNumThreads = 1, InterOpNumThreads = 1 };
        InferenceSession session;
        try
        {
            session = new InferenceSession(bytes, options);
        }
        catch (OnnxRuntimeException e)
        {
            return "does not load: " + FirstLine(e.Message);
        }

        using (session)
        {
            foreach (string dataSet in model.DataSets)
            {
                var names = new List<string>();
                var values = new List<OrtValue>();
                try
                {
                    for (int i = 0; File.Exists(Path.Combine(dataSet, $"input_{i}.pb")); i++)
                    {
                        TensorProto tensor = TensorProto.Parser.ParseFrom(File.ReadAllBytes(Path.Combine(dataSet, $"input_{i}.pb")));
                        names.Add(session.InputNames.Contains(tensor.Name) ? tensor.Name : session.InputNames[i]);
                        values.Add(OrtTensors.ToOrtValue(tensor));
                    }

                    using var runOptions = new RunOptions();
                    using var outputs = session.Run(runOptions, names, values, session.OutputNames);
                    for (int o = 0; o < outputs.Count; o++)
                    {
                        var expected = TensorProto.Parser.ParseFrom(File.ReadAllBytes(Path.Combine(dataSet, $"output_{o}.pb")));
                        if (OrtTensors.Compare(expected, outputs[o]) is { } difference) return $"output {o}: {difference}";
                    }
                }
                catch (OnnxRuntimeException e)
                {
                    return "does not run: " + FirstLine(e.Message);
                }
                catch (InvalidProtocolBufferException e)
                {
                    return "test data unreadable: " + e.Message;
                }
                finally
                {
                    foreach (OrtValue v in values) v.Dispose();
                }
            }
        }

        return null;
    }

    private static string FirstLine(string message)
    {
        string line = message.Split('\n')[0];
        return line.Length > 200 ? line[..200] : line;
    }
}
