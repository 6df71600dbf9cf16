using System.Collections.Generic;
using Compression.Generators.Model;

namespace Compression.Generators.Parsing;

/// <summary>Maps text offsets to line/column positions for diagnostic locations.</summary>
internal sealed class LineMap
{
    private readonly string _path;
    private readonly int _length;
    private readonly List<int> _lineStarts = [0];

    public LineMap(string path, string text)
    {
        _path = path;
        _length = text.Length;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\n')
            {
                _lineStarts.Add(i + 1);
            }
        }
    }

    public LocationInfo At(int start, int end)
    {
        start = Clamp(start);
        end = Clamp(end < start ? start : end);
        var (startLine, startColumn) = Position(start);
        var (endLine, endColumn) = Position(end);
        return new LocationInfo(_path, start, end - start, startLine, startColumn, endLine, endColumn);
    }

    private int Clamp(int offset) => offset < 0 ? 0 : offset > _length ? _length : offset;

    private (int Line, int Column) Position(int offset)
    {
        var index = _lineStarts.BinarySearch(offset);
        var line = index >= 0 ? index : ~index - 1;
        return (line, offset - _lineStarts[line]);
    }
}
