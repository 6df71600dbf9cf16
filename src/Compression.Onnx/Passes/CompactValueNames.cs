using System.Globalization;
using Compression.Onnx.Graph;

namespace Compression.Onnx.Passes;

/// <summary>The last rewrite of the quantization passes: shortens internal value names (<see cref="ValueNames"/>) and says so.</summary>
internal sealed class CompactValueNames : IRewrite
{
    public void Apply(RewriteContext context, CancellationToken cancellationToken)
    {
        long saved = ValueNames.Compact(context.Pass.Model.Proto);
        context.Pass.Metadata["compression.value_names"] = "compacted";
        context.Pass.Notes.Add(string.Create(CultureInfo.InvariantCulture, $"internal value names shortened ({saved} bytes); inputs, outputs and node names unchanged"));
    }
}
