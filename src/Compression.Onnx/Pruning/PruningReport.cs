using System.Globalization;

namespace Compression.Onnx.Pruning;

/// <summary>What a pruning pass did to a model.</summary>
public sealed class PruningReport
{
    /// <summary>How many weight tensors were pruned (magnitude and N:M) or sliced (channels).</summary>
    public int WeightsPruned { get; internal set; }

    /// <summary>Elements of the prunable weights before pruning.</summary>
    public long ElementsConsidered { get; internal set; }

    /// <summary>Elements set to zero (magnitude and N:M pruning).</summary>
    public long ElementsZeroed { get; internal set; }

    /// <summary>Weights written as COO sparse tensors because that is smaller.</summary>
    public int SparseTensorsWritten { get; internal set; }

    /// <summary>Float parameters (elements of float weights) of the whole model before the pass.</summary>
    public long ParametersBefore { get; internal set; }

    /// <summary>Float parameters of the whole model after the pass (smaller only for channel pruning).</summary>
    public long ParametersAfter { get; internal set; }

    /// <summary>Channels removed (channel pruning), summed over channel groups.</summary>
    public int ChannelsRemoved { get; internal set; }

    /// <summary>Channel groups that were pruned.</summary>
    public int GroupsPruned { get; internal set; }

    /// <summary>Channel groups left whole, by reason (for example <c>reaches a graph output</c>), with their channel counts.</summary>
    public IReadOnlyDictionary<string, (int Groups, int Channels)> SkippedGroups => _skipped;

    /// <summary>Consumer biases corrected for the mean contribution of removed channels.</summary>
    public int BiasesCorrected { get; internal set; }

    private readonly SortedDictionary<string, (int Groups, int Channels)> _skipped = new(StringComparer.Ordinal);

    /// <summary>The fraction of considered elements that are zero after pruning.</summary>
    public double AchievedSparsity => ElementsConsidered == 0 ? 0 : (double)ElementsZeroed / ElementsConsidered;

    internal void Skip(string reason, int channels)
    {
        _skipped.TryGetValue(reason, out var current);
        _skipped[reason] = (current.Groups + 1, current.Channels + channels);
    }

    /// <summary>One line for logs.</summary>
    public override string ToString()
    {
        if (ChannelsRemoved > 0 || GroupsPruned > 0 || _skipped.Count > 0)
        {
            string skipped = _skipped.Count == 0 ? "none" : string.Join(", ", _skipped.Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.Value.Groups} ({s.Value.Channels} channels) {s.Key}")));
            return string.Create(CultureInfo.InvariantCulture, $"{ChannelsRemoved} channels removed in {GroupsPruned} groups, parameters {ParametersBefore} -> {ParametersAfter}; groups skipped: {skipped}");
        }

        return string.Create(CultureInfo.InvariantCulture, $"{ElementsZeroed} of {ElementsConsidered} weights zeroed ({AchievedSparsity:P1}) in {WeightsPruned} tensors, {SparseTensorsWritten} stored sparse");
    }
}
