using System.Reflection;
using Microsoft.CodeAnalysis;

namespace Compression.Generators.Tests;

/// <summary>
/// A generated wrapper compiled together with a probe class (test code written against the typed API, as a user
/// would write it) and loaded; the tests call the probe's static methods.
/// </summary>
internal sealed class GeneratedWrapper
{
    private readonly Type _probe;

    private GeneratedWrapper(Type probe) => _probe = probe;

    public static GeneratedWrapper Compile(string manifest, string probeSource, IEnumerable<ResourceDescription>? resources = null)
    {
        var result = GeneratorHarness.Run(("/project/obj/" + manifest, GeneratorHarness.ManifestText(manifest)));
        var generated = GeneratorHarness.SingleSource(result);
        var assembly = GeneratorHarness.CompileAndLoad([generated, probeSource], resources);
        return new GeneratedWrapper(assembly.GetType("Probe", throwOnError: true)!);
    }

    public T Call<T>(string method, params object?[] args)
    {
        try
        {
            return (T)_probe.GetMethod(method, BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic)!.Invoke(null, args)!;
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerException).Throw();
            throw;
        }
    }
}
