using Compression.Build.Tool;

namespace Compression.Tool.Tests.Infrastructure;

/// <summary>Runs <c>compress-model</c> in process through its entry point, capturing stdout and stderr apart.</summary>
internal static class ToolRun
{
    public static string ClassifierModel { get; } = Path.Combine(Compression.Tasks.Tests.Infrastructure.Repository.ModelsFolder, "ch_ppocr_mobile_v2.0_cls_infer.onnx");

    public static (int Code, string Out, string Error) Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = CommandLine.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>A new empty folder under the temp folder (the caller deletes it).</summary>
    public static string NewFolder() => Directory.CreateTempSubdirectory("cmp-tool-").FullName;
}
