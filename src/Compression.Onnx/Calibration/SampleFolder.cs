using System.Globalization;

namespace Compression.Onnx.Calibration;

/// <summary>
/// A folder of input samples given as <c>CalibrationData</c> or <c>ValidationData</c>, in either layout:
/// <list type="bullet">
/// <item>ONNX test data: <c>test_data_set_*/input_*.pb</c>, each a serialized <c>TensorProto</c>; a tensor's name picks
/// the model input, an unnamed <c>input_k.pb</c> is the k-th input;</item>
/// <item>numpy: <c>set_*/INPUTNAME.npy</c>, one file per model input named after it (characters a file name cannot hold,
/// <c>/ \ : * ? " &lt; &gt; |</c>, written as <c>_</c>).</item>
/// </list>
/// Sets are read one at a time (<see cref="Read"/>), so a large calibration set never sits in memory at once; each set is
/// checked against the model's inputs (every input once, element type, rank and fixed dims) with a coded error naming
/// the file and the input.
/// </summary>
internal sealed class SampleFolder
{
    private static readonly char[] FileNameUnsafe = ['/', '\\', ':', '*', '?', '"', '<', '>', '|'];
    private readonly IReadOnlyList<SampleInput> _inputs;

    private SampleFolder(string folder, string setting, IReadOnlyList<string> sets, IReadOnlyList<SampleInput> inputs)
    {
        Folder = folder;
        Setting = setting;
        Sets = sets;
        _inputs = inputs;
    }

    /// <summary>The folder given.</summary>
    public string Folder { get; }

    /// <summary>The metadata it came from (<c>CalibrationData</c> or <c>ValidationData</c>), for messages.</summary>
    public string Setting { get; }

    /// <summary>The sample set folders, in ordinal order (deterministic builds).</summary>
    public IReadOnlyList<string> Sets { get; }

    /// <summary>Finds the sample sets of <paramref name="folder"/>; reads no tensor yet.</summary>
    /// <exception cref="CompressionException">CMP4201 the folder does not exist or has no set.</exception>
    public static SampleFolder Open(string folder, string setting, IReadOnlyList<SampleInput> inputs)
    {
        if (!Directory.Exists(folder))
        {
            throw Missing(folder, setting, "the folder does not exist");
        }

        var sets = Directory.GetDirectories(folder, "test_data_set_*").Concat(Directory.GetDirectories(folder, "set_*"))
            .Order(StringComparer.Ordinal).ToList();
        if (sets.Count == 0)
        {
            throw Missing(folder, setting, "it has no test_data_set_* (input_*.pb) or set_* (INPUT.npy) folder");
        }

        return new SampleFolder(folder, setting, sets, inputs);
    }

    /// <summary>The sets, read and checked one at a time.</summary>
    public IEnumerable<List<InputTensor>> Read(CancellationToken cancellationToken = default)
    {
        foreach (string set in Sets)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return ReadSet(set);
        }
    }

    /// <summary>The tensors of one set folder, in the model's input order.</summary>
    public List<InputTensor> ReadSet(string set)
    {
        var files = new List<(string Path, InputTensor Tensor)>();
        string[] pb = Directory.GetFiles(set, "input_*.pb");
        string[] npy = Directory.GetFiles(set, "*.npy");
        if (pb.Length > 0 && npy.Length > 0)
        {
            throw Names(set, $"it mixes input_*.pb and .npy files; use one layout per set");
        }

        if (pb.Length > 0)
        {
            var ordered = pb.OrderBy(IndexOf).ThenBy(f => f, StringComparer.Ordinal).ToList();
            for (int k = 0; k < ordered.Count; k++)
            {
                var tensor = TensorProtoSample.Load(ordered[k], Setting);
                string name = tensor.Name.Length > 0 && _inputs.Any(i => i.Name == tensor.Name) ? tensor.Name
                    : tensor.Name.Length == 0 && k < _inputs.Count ? _inputs[k].Name
                    : throw Names(ordered[k], tensor.Name.Length > 0
                        ? $"it holds tensor '{tensor.Name}', but the model has no such input (inputs: {InputList()})"
                        : string.Create(CultureInfo.InvariantCulture, $"it is unnamed input number {k}, but the model has only {_inputs.Count} inputs"));
                files.Add((ordered[k], TensorProtoSample.ToInput(name, tensor, ordered[k], Setting)));
            }
        }
        else
        {
            foreach (string file in npy.Order(StringComparer.Ordinal))
            {
                string stem = Path.GetFileNameWithoutExtension(file);
                var input = _inputs.FirstOrDefault(i => i.Name == stem) ?? _inputs.FirstOrDefault(i => SafeFileName(i.Name) == stem)
                    ?? throw Names(file, $"no model input is named '{stem}' (inputs: {InputList()})");
                files.Add((file, NpyReader.Read(file, input.Name, Setting)));
            }
        }

        if (files.Count == 0)
        {
            throw Missing(set, Setting, "the set has no input_*.pb or .npy file");
        }

        var result = new List<InputTensor>();
        foreach (var input in _inputs)
        {
            var given = files.Where(f => f.Tensor.Name == input.Name).ToList();
            if (given.Count == 0)
            {
                throw Names(set, $"the set has no tensor for model input '{input.Name}'");
            }

            if (given.Count > 1)
            {
                throw Names(given[1].Path, $"model input '{input.Name}' is given twice in the set (also {Path.GetFileName(given[0].Path)})");
            }

            Check(input, given[0].Tensor, given[0].Path);
            result.Add(given[0].Tensor);
        }

        return result;
    }

    /// <summary>The file name a model input has in the numpy layout.</summary>
    public static string SafeFileName(string inputName) => string.Join('_', inputName.Split(FileNameUnsafe));

    private void Check(SampleInput input, InputTensor tensor, string path)
    {
        if (input.ElementType is { } type && type != tensor.ElementType)
        {
            throw new CompressionException(DiagnosticCodes.SampleTypeMismatch,
                $"{Setting}: input '{input.Name}' is {tensor.ElementType} in the file, but the model takes {type}.", path,
                "Store the tensor with the model input's element type (for numpy: a.astype(np.float32), np.int64, ...).");
        }

        if (input.Dims is not { } dims) return;
        bool fits = dims.Length == tensor.Shape.Length;
        for (int d = 0; fits && d < dims.Length; d++)
        {
            fits = dims[d] is not { } fixedDim || fixedDim == tensor.Shape[d];
        }

        if (!fits)
        {
            string want = "[" + string.Join(", ", dims.Select(d => d?.ToString(CultureInfo.InvariantCulture) ?? "?")) + "]";
            throw new CompressionException(DiagnosticCodes.SampleShapeMismatch,
                $"{Setting}: input '{input.Name}' has shape [{string.Join(", ", tensor.Shape)}] in the file, but the model takes {want}.", path,
                "Give each tensor the model input's rank and fixed dims ('?' dims may be any size).");
        }
    }

    private string InputList() => string.Join(", ", _inputs.Select(i => i.Name));

    private static int IndexOf(string file)
    {
        string stem = Path.GetFileNameWithoutExtension(file);
        return int.TryParse(stem.AsSpan("input_".Length), NumberStyles.None, CultureInfo.InvariantCulture, out int i) ? i : int.MaxValue;
    }

    private CompressionException Names(string path, string reason) => new(
        DiagnosticCodes.SampleInputNamesMismatch, $"{Setting}: {reason}.", path,
        "Each set needs one tensor per model input: test_data_set_<n>/input_<k>.pb (TensorProto named after the input, or in input order) or set_<n>/<INPUTNAME>.npy.");

    private static CompressionException Missing(string path, string setting, string reason) => new(
        DiagnosticCodes.SampleDataMissing, $"{setting} cannot be used: {reason}.", path,
        "Point it at a folder of test_data_set_<n>/input_<k>.pb (ONNX TensorProto) or set_<n>/<INPUTNAME>.npy files, one set per sample.");
}
