using Compression.Tasks.Tests.Infrastructure;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace Compression.Tasks.Tests.Metadata;

/// <summary>Runs <see cref="PrepareCompressedModels"/> on items in a temp project folder holding two model files.</summary>
internal sealed class SanityCheckHarness : IDisposable
{
    public SanityCheckHarness()
    {
        Project.File("models/silero_vad_v5.onnx", "not read by the sanity check");
        Project.File("models/other.onnx", "not read by the sanity check");
        Project.File("calibration/test_data_set_0/input_0.pb", "x");
        Project.File("empty/readme.txt", "no test data here");
    }

    public TempDirectory Project { get; } = new("cb-sanity");

    public RecordingBuildEngine Engine { get; private set; } = new();

    public ITaskItem[] Prepared { get; private set; } = [];

    public ITaskItem[] FileWrites { get; private set; } = [];

    public bool Run(params ITaskItem[] items)
    {
        Engine = new RecordingBuildEngine();
        var task = new PrepareCompressedModels
        {
            BuildEngine = Engine,
            Models = items,
            ProjectDirectory = Project.Path,
            CompressionDirectory = "obj/compression/",
            RootNamespace = "MyApp",
        };
        bool result = task.Execute();
        Prepared = task.PreparedModels;
        FileWrites = task.FileWrites;
        return result;
    }

    public static TaskItem Item(string include, params (string Name, string Value)[] metadata)
    {
        var item = new TaskItem(include);
        foreach ((string name, string value) in metadata)
        {
            item.SetMetadata(name, value);
        }

        return item;
    }

    public void Dispose() => Project.Dispose();
}
