using System.Diagnostics;

namespace Compression.Onnx.Tests.Validation;

/// <summary>Runs the reference <c>onnx.checker.check_model</c> (python3-onnx) on a model file.</summary>
internal static class OnnxChecker
{
    public const string Python = "/usr/bin/python3";

    private static readonly Lazy<bool> Available = new(() => Run("import onnx", out _) == 0);

    public static bool IsAvailable => Available.Value;

    /// <summary>Null when the model passes; otherwise the checker's message.</summary>
    public static string? Check(string path)
    {
        string script = "import onnx,sys\nm=onnx.load(sys.argv[1])\nonnx.checker.check_model(m)\n";
        int code = Run(script, out string output, path);
        return code == 0 ? null : output;
    }

    /// <summary>Checks many models in one python process; returns the failures by path.</summary>
    public static Dictionary<string, string> CheckAll(IReadOnlyList<string> paths)
    {
        string script = "import onnx,sys\nfor p in sys.argv[1:]:\n  try:\n    onnx.checker.check_model(onnx.load(p))\n  except Exception as e:\n    print('FAIL\\t'+p+'\\t'+str(e).replace('\\n',' '))\n";
        Run(script, out string output, [.. paths]);
        var failures = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string line in output.Split('\n'))
        {
            var parts = line.Split('\t');
            if (parts.Length == 3 && parts[0] == "FAIL") failures[parts[1]] = parts[2];
        }

        return failures;
    }

    private static int Run(string script, out string output, params string[] args)
    {
        if (!File.Exists(Python))
        {
            output = "python3 not found";
            return -1;
        }

        var info = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(script);
        foreach (string a in args) info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        output += stderr.Result;
        return process.ExitCode;
    }
}
