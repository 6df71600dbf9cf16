using System.Collections.Generic;

namespace Compression.Generators.Naming;

/// <summary>
/// Hands out unique identifiers in one C# scope. Names depend only on the order of requests, so the
/// same manifest always gives the same API; a clash is settled with the smallest free numeric suffix.
/// </summary>
internal sealed class NameScope
{
    private readonly HashSet<string> _taken = new(System.StringComparer.Ordinal);

    public NameScope(params string[] reserved)
    {
        foreach (var name in reserved)
        {
            _taken.Add(name);
        }
    }

    /// <summary>
    /// Takes <paramref name="desired"/> if free, else the first of <c>desired2</c>, <c>desired3</c>... that is
    /// free and not in <paramref name="avoid"/> (names that later requests want as they are).
    /// </summary>
    /// <returns>The identifier, and whether it differs from <paramref name="desired"/>.</returns>
    public string Take(string desired, ISet<string> avoid, out bool renamed)
    {
        var bare = Identifiers.Unescape(desired);
        if (_taken.Add(bare))
        {
            renamed = false;
            return desired;
        }

        renamed = true;
        for (var suffix = 2; ; suffix++)
        {
            var candidate = bare + suffix.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (!avoid.Contains(candidate) && _taken.Add(candidate))
            {
                return candidate;
            }
        }
    }
}
