using System.Globalization;

namespace Compression.Onnx.Calibration;

/// <summary>
/// The header dict of a <c>.npy</c> file, e.g. <c>{'descr': '&lt;f4', 'fortran_order': False, 'shape': (1, 3), }</c>:
/// a Python literal with string keys, a string, a bool and a tuple of non-negative integers. Only that subset of
/// Python literals is accepted; anything else (a structured dtype's list) is a <see cref="FormatException"/>.
/// </summary>
internal sealed record NpyHeader(string Descr, bool FortranOrder, long[] Shape)
{
    public static NpyHeader Parse(string text)
    {
        var reader = new Cursor(text.TrimEnd(' ', '\n', '\0'));
        string? descr = null;
        bool? fortran = null;
        long[]? shape = null;
        reader.Expect('{');
        while (!reader.TryTake('}'))
        {
            string key = reader.String();
            reader.Expect(':');
            switch (key)
            {
                case "descr": descr = reader.String(); break;
                case "fortran_order": fortran = reader.Bool(); break;
                case "shape": shape = reader.Tuple(); break;
                default: throw new FormatException($"unknown key '{key}'");
            }

            if (!reader.TryTake(','))
            {
                reader.Expect('}');
                break;
            }
        }

        reader.End();
        return new NpyHeader(
            descr ?? throw new FormatException("no 'descr'"),
            fortran ?? throw new FormatException("no 'fortran_order'"),
            shape ?? throw new FormatException("no 'shape'"));
    }

    private sealed class Cursor(string text)
    {
        private int _at;

        public void Expect(char c)
        {
            if (!TryTake(c)) throw new FormatException($"expected '{c}' at offset {_at}");
        }

        public bool TryTake(char c)
        {
            Skip();
            if (_at < text.Length && text[_at] == c)
            {
                _at++;
                return true;
            }

            return false;
        }

        public string String()
        {
            Skip();
            if (_at >= text.Length || text[_at] is not ('\'' or '"')) throw new FormatException($"expected a string at offset {_at}");
            char quote = text[_at++];
            int end = text.IndexOf(quote, _at);
            if (end < 0) throw new FormatException("unterminated string");
            string value = text[_at..end];
            _at = end + 1;
            return value;
        }

        public bool Bool()
        {
            Skip();
            if (Word("True")) return true;
            if (Word("False")) return false;
            throw new FormatException($"expected True or False at offset {_at}");
        }

        public long[] Tuple()
        {
            Expect('(');
            var dims = new List<long>();
            while (!TryTake(')'))
            {
                Skip();
                int start = _at;
                while (_at < text.Length && char.IsAsciiDigit(text[_at])) _at++;
                if (!long.TryParse(text.AsSpan(start, _at - start), NumberStyles.None, CultureInfo.InvariantCulture, out long d))
                {
                    throw new FormatException($"expected a dimension at offset {start}");
                }

                dims.Add(d);
                if (!TryTake(','))
                {
                    Expect(')');
                    break;
                }
            }

            return [.. dims];
        }

        public void End()
        {
            Skip();
            if (_at != text.Length) throw new FormatException($"unexpected text after the dict at offset {_at}");
        }

        private bool Word(string word)
        {
            if (string.CompareOrdinal(text, _at, word, 0, word.Length) != 0) return false;
            _at += word.Length;
            return true;
        }

        private void Skip()
        {
            while (_at < text.Length && char.IsWhiteSpace(text[_at])) _at++;
        }
    }
}
