using System.Diagnostics;
using Compression.Onnx.IO;
using Google.Protobuf;
using Onnx;

namespace Compression.Onnx.Tests.Robustness.Fuzzing;

/// <summary>What a fuzz run did: executions per target, outcomes, and the inputs that broke the rule.</summary>
internal sealed record FuzzResult(long Executions, long ReaderExecutions, long PipelineExecutions, long Compressed, long Coded, IReadOnlyList<FuzzFinding> Findings, TimeSpan Elapsed);

/// <summary>An input that made the engine fail without a user-facing code (CMP0000, an internal invariant) or run too long.</summary>
internal sealed record FuzzFinding(string Seed, string Setting, string Problem, string SavedAs);

/// <summary>
/// The in-process fuzzer: mutates seed models (<see cref="ModelMutator"/>) and feeds them to the reader and, through
/// <see cref="EngineBoundary"/>, to the whole pipeline under a random setting (validation off: the passes are the
/// target, and ONNX Runtime has its own fuzzing). The rule: every input ends in success or a coded error that is not
/// an internal one, within the time limit.
/// </summary>
internal sealed class FuzzRunner(IReadOnlyList<(string Name, ModelProto Model)> seeds, string workDirectory, string findingsDirectory)
{
    /// <summary>Codes that are never the user's fault: reaching one is a finding.</summary>
    public static readonly IReadOnlySet<string> Internal = new HashSet<string>(StringComparer.Ordinal)
    {
        DiagnosticCodes.InternalError, DiagnosticCodes.GraphElementNotFound, DiagnosticCodes.GraphNotTopological, DiagnosticCodes.InvalidSparsityPattern,
    };

    public static readonly TimeSpan SlowInput = TimeSpan.FromSeconds(20);

    public FuzzResult Run(int seed, TimeSpan duration, long maxExecutions = long.MaxValue)
    {
        var mutator = new ModelMutator(seed);
        var random = new Random(seed);
        var clock = Stopwatch.StartNew();
        var findings = new List<FuzzFinding>();
        long executions = 0, reader = 0, pipeline = 0, compressed = 0, coded = 0;
        var serialized = seeds.Select(s => s.Model.ToByteArray()).ToArray();
        Directory.CreateDirectory(Path.Combine(workDirectory, "out"));
        Directory.CreateDirectory(findingsDirectory);
        string progress = Path.Combine(findingsDirectory, "progress.log");
        var lastProgress = TimeSpan.Zero;
        while (clock.Elapsed < duration && executions < maxExecutions)
        {
            int which = random.Next(seeds.Count);
            var (name, model) = seeds[which];
            executions++;
            var started = Stopwatch.GetTimestamp();
            string setting = "reader";
            byte[] input;
            string? problem;
            if (random.Next(4) == 0)
            {
                reader++;
                input = mutator.MutateBytes(serialized[which]);
                problem = Read(input, ref coded);
            }
            else
            {
                pipeline++;
                var (settingName, settings) = SettingMatrix.Compact[random.Next(SettingMatrix.Compact.Count)];
                setting = settingName;
                ModelProto mutant = mutator.Mutate(model);
                input = mutant.ToByteArray();
                problem = Compress(input, settings with { Validate = false }, ref compressed, ref coded);
            }

            if (problem is null && Stopwatch.GetElapsedTime(started) > SlowInput) problem = $"took {Stopwatch.GetElapsedTime(started).TotalSeconds:F0} s";
            if (problem is not null) findings.Add(Save(name, setting, problem, input, findings.Count));
            if (clock.Elapsed - lastProgress > TimeSpan.FromSeconds(60))
            {
                // A long run can be watched (and its numbers kept if it is stopped) through this file.
                lastProgress = clock.Elapsed;
                File.AppendAllText(progress, $"{clock.Elapsed.TotalSeconds:F0} s: {executions} executions ({reader} reader, {pipeline} pipeline: {compressed} compressed, {coded} coded), {findings.Count} findings{Environment.NewLine}");
            }
        }

        return new FuzzResult(executions, reader, pipeline, compressed, coded, findings, clock.Elapsed);
    }

    /// <summary>Runs one input through the pipeline; null when it obeyed the rule, else what went wrong.</summary>
    public string? Compress(byte[] input, CompressionSettings settings, ref long compressed, ref long coded)
    {
        string source = Path.Combine(workDirectory, "fuzz.onnx");
        string output = Path.Combine(workDirectory, "out", "fuzz.onnx");
        Directory.CreateDirectory(Path.GetDirectoryName(output)!);
        File.WriteAllBytes(source, input);
        try
        {
            EngineBoundary.Run(() => ModelCompressor.Compress(source, output, settings), source, settings, workDirectory);
            compressed++;
            return null;
        }
        catch (CompressionException e) when (!Internal.Contains(e.Code))
        {
            coded++;
            return File.Exists(output) ? $"{e.Code} left an output behind" : null;
        }
        catch (CompressionException e)
        {
            return $"{e.Code}: {e.InnerException?.GetType().Name} {e.Message}";
        }
#pragma warning disable CA1031 // The fuzzer's job is to catch what escapes the boundary.
        catch (Exception e)
#pragma warning restore CA1031
        {
            return $"escaped the boundary: {e.GetType().Name}: {e.Message}";
        }
        finally
        {
            File.Delete(output);
        }
    }

    /// <summary>Reads one input as a model and its signature; null when it obeyed the rule.</summary>
    public string? Read(byte[] input, ref long coded)
    {
        try
        {
            EngineBoundary.Run(
                () =>
                {
                    using var stream = new MemoryStream(input, writable: false);
                    using var model = OnnxModel.Load(stream, workDirectory);
                    _ = ModelSignature.Read(model);
                    return 0;
                },
                "fuzz.onnx",
                null,
                workDirectory);
            return null;
        }
        catch (CompressionException e) when (!Internal.Contains(e.Code))
        {
            coded++;
            return null;
        }
        catch (CompressionException e)
        {
            return $"{e.Code}: {e.InnerException?.GetType().Name} {e.Message}";
        }
#pragma warning disable CA1031
        catch (Exception e)
#pragma warning restore CA1031
        {
            return $"escaped the boundary: {e.GetType().Name}: {e.Message}";
        }
    }

    private FuzzFinding Save(string seed, string setting, string problem, byte[] input, int number)
    {
        Directory.CreateDirectory(findingsDirectory);
        string path = Path.Combine(findingsDirectory, $"{seed}.{setting.Replace(' ', '_').Replace(':', '-')}.{number}.onnx");
        File.WriteAllBytes(path, input);
        return new FuzzFinding(seed, setting, problem, path);
    }
}
