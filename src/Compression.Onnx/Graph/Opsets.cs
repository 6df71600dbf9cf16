using Onnx;

namespace Compression.Onnx.Graph;

/// <summary>Opset imports of a model: which version of each operator domain it uses.</summary>
public static class Opsets
{
    /// <summary>The default ONNX operator domain (also written <c>ai.onnx</c>).</summary>
    public const string DefaultDomain = "";

    /// <summary>ONNX Runtime's contrib operator domain.</summary>
    public const string MicrosoftDomain = "com.microsoft";

    /// <summary>The imported version of <paramref name="domain"/>, or <see langword="null"/> when the model does not import it.</summary>
    /// <param name="model">The model.</param>
    /// <param name="domain">The domain; <c>""</c> and <c>ai.onnx</c> are the same.</param>
    public static long? GetVersion(ModelProto model, string domain)
    {
        ArgumentNullException.ThrowIfNull(model);
        string wanted = Normalize(domain);
        foreach (OperatorSetIdProto opset in model.OpsetImport)
        {
            if (Normalize(opset.Domain) == wanted)
            {
                return opset.Version;
            }
        }

        return null;
    }

    /// <summary>The imported version of the default ONNX domain; 1 when the model does not import it.</summary>
    /// <param name="model">The model.</param>
    public static int DefaultDomainVersion(ModelProto model) => (int)(GetVersion(model, DefaultDomain) ?? 1);

    /// <summary>
    /// Makes sure the model imports <paramref name="domain"/>: adds it at <paramref name="version"/> when
    /// missing and returns the version in effect. An existing import is never changed, because moving a
    /// domain's version changes the meaning of the nodes already in the model.
    /// </summary>
    /// <param name="model">The model.</param>
    /// <param name="domain">The domain, for example <see cref="MicrosoftDomain"/>.</param>
    /// <param name="version">The version to import when missing.</param>
    public static long EnsureImport(ModelProto model, string domain, long version)
    {
        long? existing = GetVersion(model, domain);
        if (existing is not null)
        {
            return existing.Value;
        }

        model.OpsetImport.Add(new OperatorSetIdProto { Domain = Normalize(domain), Version = version });
        return version;
    }

    private static string Normalize(string domain) => domain is "ai.onnx" ? DefaultDomain : domain ?? DefaultDomain;
}
