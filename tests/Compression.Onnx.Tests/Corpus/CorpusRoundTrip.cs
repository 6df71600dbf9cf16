using System.Collections.Concurrent;
using System.Diagnostics;
using Compression.Onnx.Graph;
using Compression.Onnx.IO;
using Compression.Onnx.Tensors;
using Microsoft.ML.OnnxRuntime;
using Onnx;

namespace Compression.Onnx.Tests.Corpus;

/// <summary>
/// One pass over the whole corpus, shared by the corpus tests: load, save back (inline, compared with
/// the original), save with every initializer as external data, and run original and saved models in
/// ONNX Runtime against the expected outputs. Models run in parallel; each session uses one thread.
/// </summary>
internal sealed class CorpusRoundTrip
{
    private static readonly Lazy<CorpusRoundTrip> Shared = new(() => new CorpusRoundTrip(CorpusModel.FindAll()), LazyThreadSafetyMode.ExecutionAndPublication);

    private int _byteIdentical;
    private int _fieldIdentical;
    private int _ran;
    private int _matchedExpected;
    private int _ortDeviates;
    private int _nondeterministic;
    private int _ortCannotLoad;
    private int _nonTensorIo;
    private int _noTestData;
    private int _nestedWeights;
    private readonly int[] _weights = new int[3];

    private CorpusRoundTrip(IReadOnlyList<CorpusModel> models)
    {
        Models = models;
        OutputFolder = Directory.CreateTempSubdirectory("cmp-corpus-").FullName;
        var watch = Stopwatch.StartNew();
        Parallel.ForEach(models, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, Process);
        Elapsed = watch.Elapsed;
    }

    public static CorpusRoundTrip Instance => Shared.Value;

    /// <summary>Deletes the saved models, if the corpus pass ran.</summary>
    public static void DeleteOutput()
    {
        if (Shared.IsValueCreated)
        {
            TryDelete(Shared.Value.OutputFolder);
        }
    }

    public IReadOnlyList<CorpusModel> Models { get; }

    public string OutputFolder { get; }

    public TimeSpan Elapsed { get; }

    public ConcurrentBag<string> RoundTripFailures { get; } = [];

    public ConcurrentBag<string> RuntimeFailures { get; } = [];

    public ConcurrentBag<string> DeviatingModels { get; } = [];

    public ConcurrentBag<string> NotLoadableByOnnxRuntime { get; } = [];

    /// <summary>Saved external-data variants, for the checker: (original, saved).</summary>
    public ConcurrentBag<(string Original, string Saved)> SavedModels { get; } = [];

    public string RoundTripSummary =>
        $"{Models.Count} corpus models: {_byteIdentical} saved back byte-identical, {_fieldIdentical} field-identical only, {RoundTripFailures.Count} failed ({Elapsed.TotalSeconds:F1} s for load, save, external-data save and ONNX Runtime runs)";

    public string CatalogSummary =>
        $"Weight catalog: {_weights[0]} initializers, {_weights[1]} sparse initializers, {_weights[2]} Constant nodes ({_nestedWeights} inside subgraphs), all readable";

    public string RuntimeSummary =>
        $"ONNX Runtime: {_ran} models run from the saved files; {_matchedExpected} reproduce the expected outputs, {_ortDeviates} deviate from them exactly as the original does in ONNX Runtime "
        + $"({_nondeterministic} of them nondeterministic), {_ortCannotLoad} not loadable by ONNX Runtime even as originals, {_nonTensorIo} with sequence/map/optional inputs or outputs, {_noTestData} without test data; {RuntimeFailures.Count} failures";

    private void Process(CorpusModel corpusModel)
    {
        string folder = Path.Combine(OutputFolder, corpusModel.Suite, corpusModel.Name);
        Directory.CreateDirectory(folder);
        byte[] original = File.ReadAllBytes(corpusModel.ModelPath);
        string external = Path.Combine(folder, "model.onnx");
        byte[] inline;
        ModelProto proto;
        try
        {
            using OnnxModel model = OnnxModel.Load(corpusModel.ModelPath);
            using var stream = new MemoryStream();
            model.WriteTo(stream);
            inline = stream.ToArray();
            model.Save(external, new ModelSaveOptions { ExternalData = ExternalDataMode.Always, ExternalDataThreshold = 1 });
            proto = model.Proto;
            CatalogueWeights(model);
        }
        catch (Exception e) when (e is CompressionException or InvalidOperationException or ArgumentException)
        {
            RoundTripFailures.Add($"{corpusModel.Id}: {e}");
            return;
        }

        if (inline.AsSpan().SequenceEqual(original))
        {
            Interlocked.Increment(ref _byteIdentical);
        }
        else if (ModelProto.Parser.ParseFrom(inline).Equals(ModelProto.Parser.ParseFrom(original)))
        {
            Interlocked.Increment(ref _fieldIdentical);
        }
        else
        {
            RoundTripFailures.Add($"{corpusModel.Id}: saved model differs from the original");
            return;
        }

        using (OnnxModel reloaded = OnnxModel.Load(external))
        {
            // External data is always raw bytes, so compare with every tensor's values in raw form.
            if (!WithRawValues(reloaded).Equals(WithRawValues(OnnxModel.FromProto(proto))))
            {
                RoundTripFailures.Add($"{corpusModel.Id}: the external-data save does not read back to the same model");
                return;
            }
        }

        SavedModels.Add((corpusModel.ModelPath, external));
        RunInOnnxRuntime(corpusModel, proto, external);
    }

    /// <summary>Every corpus model's weights are found and readable (If/Loop/Scan bodies and every Constant form included).</summary>
    private void CatalogueWeights(OnnxModel model)
    {
        foreach (Weight weight in WeightCatalog.Build(model))
        {
            Interlocked.Increment(ref _weights[(int)weight.Storage]);
            if (weight.Graph != model.Proto.Graph)
            {
                Interlocked.Increment(ref _nestedWeights);
            }

            if (weight.IsFloat)
            {
                float[] values = weight.ReadFloats();
                if (values.Length != weight.ElementCount)
                {
                    throw new InvalidOperationException($"weight {weight.Name}: {values.Length} values for {weight.ElementCount} elements");
                }
            }
            else if (ElementTypes.GetBitsPerElement(weight.ElementType) > 0)
            {
                _ = TensorData.GetRawBytes(weight.ToTensor(), model);
            }
        }
    }

    private static ModelProto WithRawValues(OnnxModel model)
    {
        ModelProto copy = model.Proto.Clone();
        List<TensorProto> originals = ModelTensors.Collect(model.Proto, null);
        List<TensorProto> copies = ModelTensors.Collect(copy, null);
        for (int i = 0; i < originals.Count; i++)
        {
            if (ElementTypes.GetBitsPerElement(originals[i].DataType) > 0)
            {
                byte[] bytes = TensorData.GetRawBytes(originals[i], model).ToArray();
                TensorData.ClearValues(copies[i]);
                copies[i].RawData = Google.Protobuf.ByteString.CopyFrom(bytes);
            }
        }

        return copy;
    }

    private void RunInOnnxRuntime(CorpusModel corpusModel, ModelProto proto, string saved)
    {
        if (corpusModel.DataSets.Count == 0)
        {
            Interlocked.Increment(ref _noTestData);
            return;
        }

        var initializers = proto.Graph.Initializer.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        ValueInfoProto[] inputs = proto.Graph.Input.Where(i => !initializers.Contains(i.Name)).ToArray();
        if (inputs.Concat(proto.Graph.Output).Any(v => v.Type?.ValueCase != TypeProto.ValueOneofCase.TensorType))
        {
            Interlocked.Increment(ref _nonTensorIo);
            return;
        }

        using var options = new SessionOptions { LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL, IntraOpNumThreads = 1, InterOpNumThreads = 1 };
        InferenceSession originalSession;
        try
        {
            originalSession = new InferenceSession(corpusModel.ModelPath, options);
        }
        catch (OnnxRuntimeException e)
        {
            Interlocked.Increment(ref _ortCannotLoad);
            NotLoadableByOnnxRuntime.Add($"{corpusModel.Id} ({e.Message.Split('\n')[0][..Math.Min(120, e.Message.Split('\n')[0].Length)]})");
            return;
        }

        using (originalSession)
        {
            InferenceSession savedSession;
            try
            {
                savedSession = new InferenceSession(saved, options);
            }
            catch (OnnxRuntimeException e)
            {
                RuntimeFailures.Add($"{corpusModel.Id}: ONNX Runtime loads the original but not the saved model: {e.Message}");
                return;
            }

            using (savedSession)
            {
                Interlocked.Increment(ref _ran);
                bool deviates = false;
                foreach (string dataSet in corpusModel.DataSets)
                {
                    string? outcome = RunDataSet(corpusModel, dataSet, inputs, proto.Graph.Output, originalSession, savedSession, ref deviates);
                    if (outcome is not null)
                    {
                        RuntimeFailures.Add($"{corpusModel.Id}/{Path.GetFileName(dataSet)}: {outcome}");
                        return;
                    }
                }

                if (deviates)
                {
                    Interlocked.Increment(ref _ortDeviates);
                    DeviatingModels.Add(corpusModel.Id);
                }
                else
                {
                    Interlocked.Increment(ref _matchedExpected);
                }
            }
        }
    }

    private string? RunDataSet(CorpusModel corpusModel, string dataSet, ValueInfoProto[] inputs, IList<ValueInfoProto> outputs, InferenceSession original, InferenceSession saved, ref bool deviates)
    {
        var inputNames = new List<string>();
        var inputValues = new List<OrtValue>();
        try
        {
            for (int i = 0; File.Exists(Path.Combine(dataSet, $"input_{i}.pb")); i++)
            {
                TensorProto tensor = TensorProto.Parser.ParseFrom(File.ReadAllBytes(Path.Combine(dataSet, $"input_{i}.pb")));
                string name = inputs.Any(v => v.Name == tensor.Name) ? tensor.Name : i < inputs.Length ? inputs[i].Name : tensor.Name;
                inputNames.Add(name);
                inputValues.Add(OrtTensors.ToOrtValue(tensor));
            }

            TensorProto[] expected = Enumerable.Range(0, outputs.Count)
                .Select(i => TensorProto.Parser.ParseFrom(File.ReadAllBytes(Path.Combine(dataSet, $"output_{i}.pb"))))
                .ToArray();
            string[] outputNames = outputs.Select(o => o.Name).ToArray();
            using var runOptions = new RunOptions();
            IDisposableReadOnlyCollection<OrtValue> fromOriginal;
            try
            {
                fromOriginal = original.Run(runOptions, inputNames, inputValues, outputNames);
            }
            catch (OnnxRuntimeException)
            {
                // ONNX Runtime cannot run the original either (unsupported type or attribute): the saved model must fail the same way.
                try
                {
                    saved.Run(runOptions, inputNames, inputValues, outputNames).Dispose();
                    return "the saved model runs where the original fails";
                }
                catch (OnnxRuntimeException)
                {
                    deviates = true;
                    return null;
                }
            }

            using (fromOriginal)
            using (IDisposableReadOnlyCollection<OrtValue> fromSaved = saved.Run(runOptions, inputNames, inputValues, outputNames))
            {
                for (int o = 0; o < expected.Length; o++)
                {
                    string? savedVsExpected = OrtTensors.Compare(expected[o], fromSaved[o]);
                    if (savedVsExpected is null)
                    {
                        continue;
                    }

                    if (OrtTensors.Compare(expected[o], fromOriginal[o]) is null)
                    {
                        return $"output {o}: the original matches the expected output but the saved model does not ({savedVsExpected})";
                    }

                    // ONNX Runtime itself deviates from the reference output: the saved model must deviate identically.
                    deviates = true;
                    if (!OrtTensors.SameData(fromOriginal[o], fromSaved[o]))
                    {
                        using IDisposableReadOnlyCollection<OrtValue> again = original.Run(runOptions, inputNames, inputValues, outputNames);
                        if (OrtTensors.SameData(fromOriginal[o], again[o]))
                        {
                            return $"output {o}: the saved model gives other values than the original";
                        }

                        Interlocked.Increment(ref _nondeterministic);
                    }
                }
            }

            return null;
        }
        catch (Google.Protobuf.InvalidProtocolBufferException e)
        {
            return $"test data is not a tensor: {e.Message}";
        }
        catch (OnnxRuntimeException e)
        {
            return $"the saved model fails to run where the original runs: {e.Message}";
        }
        finally
        {
            foreach (OrtValue value in inputValues)
            {
                value.Dispose();
            }

            _ = corpusModel;
        }
    }

    private static void TryDelete(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
