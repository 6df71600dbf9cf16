using System.Diagnostics;

namespace Compression.Onnx.Tests.Corpus;

/// <summary>Runs the reference <c>onnx.checker</c> of <c>/usr/bin/python3</c> over many models in a few processes.</summary>
internal static class PythonOnnxChecker
{
    public const string Python = "/usr/bin/python3";

    private const string Script = """
        import sys, onnx
        for line in sys.stdin:
            path = line.rstrip("\n")
            if not path:
                continue
            try:
                onnx.checker.check_model(path)
                print("OK\t" + path, flush=True)
            except Exception as e:
                print("FAIL\t" + path + "\t" + str(e).replace("\n", " ")[:300], flush=True)
        """;

    public static bool IsAvailable()
    {
        if (!File.Exists(Python))
        {
            return false;
        }

        using Process process = Start();
        process.StandardInput.Close();
        process.WaitForExit();
        return process.ExitCode == 0;
    }

    /// <summary>Checks every model; returns the failure message per path (absent = passes).</summary>
    public static Dictionary<string, string> Check(IReadOnlyList<string> paths)
    {
        int workers = Math.Max(1, Math.Min(Environment.ProcessorCount, 4));
        var failures = new System.Collections.Concurrent.ConcurrentDictionary<string, string>(StringComparer.Ordinal);
        var seen = new System.Collections.Concurrent.ConcurrentDictionary<string, bool>(StringComparer.Ordinal);
        Parallel.For(0, workers, worker =>
        {
            using Process process = Start();
            Task<string> output = process.StandardOutput.ReadToEndAsync();
            for (int i = worker; i < paths.Count; i += workers)
            {
                process.StandardInput.WriteLine(paths[i]);
            }

            process.StandardInput.Close();
            process.WaitForExit();
            foreach (string line in output.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                string[] parts = line.Split('\t');
                seen[parts[1]] = true;
                if (parts[0] == "FAIL")
                {
                    failures[parts[1]] = parts.Length > 2 ? parts[2] : "failed";
                }
            }
        });

        foreach (string path in paths.Where(p => !seen.ContainsKey(p)))
        {
            failures[path] = "the checker process did not report on this model";
        }

        return new Dictionary<string, string>(failures, StringComparer.Ordinal);
    }

    private static Process Start()
    {
        var info = new ProcessStartInfo(Python)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(Script);
        var process = Process.Start(info)!;
        process.ErrorDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        return process;
    }
}
