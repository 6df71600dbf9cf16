using System.Reflection;
using System.Text;

namespace Compression.Tasks.Output;

/// <summary>
/// Identifies the exact compressor that runs: the product version and the module version ids of every
/// Compression.* assembly. The builds are deterministic, so the ids change exactly when the code does; a
/// new engine therefore compresses the models again even when the settings did not change.
/// </summary>
internal static class ToolVersion
{
    private static readonly Lazy<string> s_text = new(Compute);

    /// <summary>One line per assembly: <c>name version mvid</c>.</summary>
    public static string Text => s_text.Value;

    private static string Compute()
    {
        var text = new StringBuilder();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<Assembly>();
        pending.Push(typeof(ToolVersion).Assembly);
        while (pending.TryPop(out Assembly? assembly))
        {
            AssemblyName name = assembly.GetName();
            if (!seen.Add(name.Name!))
            {
                continue;
            }

            string? informational = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
            text.Append(name.Name).Append(' ').Append(informational ?? name.Version?.ToString())
                .Append(' ').Append(assembly.ManifestModule.ModuleVersionId.ToString("N")).Append('\n');
            foreach (AssemblyName reference in assembly.GetReferencedAssemblies())
            {
                if (reference.Name is { } referenceName && !seen.Contains(referenceName)
                    && (referenceName.StartsWith("Compression.", StringComparison.Ordinal)
                        || referenceName.StartsWith("Microsoft.ML.OnnxRuntime", StringComparison.Ordinal)))
                {
                    pending.Push(Assembly.Load(reference));
                }
            }
        }

        return text.ToString();
    }
}
