using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace Compression.Benchmarks.Pruning;

/// <summary>The short job (3 warmups, 3 iterations) run in-process: on the shared build machine, generating and building a separate benchmark exe times out.</summary>
public sealed class ShortInProcessConfig : ManualConfig
{
    public ShortInProcessConfig() => AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance));
}
