using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace Compression.Generators.Json;

/// <summary>Why a text is not JSON, and where.</summary>
internal sealed record JsonError(string Message, int Position);

/// <summary>
/// A small strict JSON (RFC 8259) reader. The generator cannot count on System.Text.Json being loadable
/// in every compiler host, and a manifest is a few kilobytes, so a tree of <see cref="JsonValue"/> is enough.
/// It never throws on bad input: it returns a <see cref="JsonError"/>.
/// </summary>
internal sealed class JsonReader
{
    // Manifests nest four levels deep; the limit keeps hostile input from exhausting the compiler's stack.
    private const int MaxDepth = 64;

    private readonly string _text;
    private int _position;
    private JsonError? _error;

    private JsonReader(string text) => _text = text;

    public static JsonValue? Parse(string text, out JsonError? error)
    {
        var reader = new JsonReader(text);
        if (reader.Peek() == '\uFEFF')
        {
            reader._position++;
        }

        var root = reader.ReadValue(0);
        if (root is not null)
        {
            reader.SkipWhitespace();
            if (reader._position < text.Length)
            {
                reader.Fail("unexpected text after the end of the JSON value");
                root = null;
            }
        }

        error = reader._error;
        return root;
    }

    private char Peek() => _position < _text.Length ? _text[_position] : '\0';

    private JsonValue? Fail(string message)
    {
        _error ??= new JsonError(message, _position);
        return null;
    }

    private void SkipWhitespace()
    {
        while (_position < _text.Length)
        {
            var c = _text[_position];
            if (c is ' ' or '\t' or '\n' or '\r')
            {
                _position++;
            }
            else
            {
                return;
            }
        }
    }

    private JsonValue? ReadValue(int depth)
    {
        SkipWhitespace();
        if (_position >= _text.Length)
        {
            return Fail("unexpected end of text, expected a value");
        }

        var c = _text[_position];
        switch (c)
        {
            case '{':
                return depth >= MaxDepth ? Fail("nested more than " + MaxDepth + " levels deep") : ReadObject(depth + 1);
            case '[':
                return depth >= MaxDepth ? Fail("nested more than " + MaxDepth + " levels deep") : ReadArray(depth + 1);
            case '"':
                var start = _position;
                var text = ReadString();
                return text is null ? null : JsonValue.String(text, start, _position);
            case 't':
                return ReadLiteral("true", JsonKind.True);
            case 'f':
                return ReadLiteral("false", JsonKind.False);
            case 'n':
                return ReadLiteral("null", JsonKind.Null);
            default:
                return c == '-' || (c >= '0' && c <= '9')
                    ? ReadNumber()
                    : Fail("unexpected character '" + Printable(c) + "', expected a value");
        }
    }

    private JsonValue? ReadLiteral(string literal, JsonKind kind)
    {
        var start = _position;
        if (string.CompareOrdinal(_text, _position, literal, 0, literal.Length) != 0)
        {
            return Fail("invalid literal, expected '" + literal + "'");
        }

        _position += literal.Length;
        return JsonValue.Literal(kind, start, _position);
    }

    private JsonValue? ReadNumber()
    {
        var start = _position;
        if (Peek() == '-')
        {
            _position++;
        }

        if (Peek() == '0')
        {
            _position++;
        }
        else if (Peek() is >= '1' and <= '9')
        {
            SkipDigits();
        }
        else
        {
            return Fail("invalid number, expected a digit");
        }

        if (Peek() == '.')
        {
            _position++;
            if (Peek() is not (>= '0' and <= '9'))
            {
                return Fail("invalid number, expected a digit after '.'");
            }

            SkipDigits();
        }

        if (Peek() is 'e' or 'E')
        {
            _position++;
            if (Peek() is '+' or '-')
            {
                _position++;
            }

            if (Peek() is not (>= '0' and <= '9'))
            {
                return Fail("invalid number, expected a digit in the exponent");
            }

            SkipDigits();
        }

        return JsonValue.Number(_text.Substring(start, _position - start), start, _position);
    }

    private void SkipDigits()
    {
        while (Peek() is >= '0' and <= '9')
        {
            _position++;
        }
    }

    private string? ReadString()
    {
        _position++; // opening quote
        var builder = new StringBuilder();
        while (true)
        {
            if (_position >= _text.Length)
            {
                Fail("unterminated string");
                return null;
            }

            var c = _text[_position];
            if (c == '"')
            {
                _position++;
                return builder.ToString();
            }

            if (c < ' ')
            {
                Fail("control character U+" + ((int)c).ToString("X4", CultureInfo.InvariantCulture) + " in a string must be escaped");
                return null;
            }

            if (c != '\\')
            {
                builder.Append(c);
                _position++;
                continue;
            }

            _position++;
            var escape = Peek();
            _position++;
            switch (escape)
            {
                case '"': builder.Append('"'); break;
                case '\\': builder.Append('\\'); break;
                case '/': builder.Append('/'); break;
                case 'b': builder.Append('\b'); break;
                case 'f': builder.Append('\f'); break;
                case 'n': builder.Append('\n'); break;
                case 'r': builder.Append('\r'); break;
                case 't': builder.Append('\t'); break;
                case 'u':
                    if (!TryReadHex4(out var unit))
                    {
                        return null;
                    }

                    builder.Append(unit);
                    break;
                default:
                    _position--;
                    Fail(escape == '\0' ? "unterminated string" : "invalid escape '\\" + Printable(escape) + "'");
                    return null;
            }
        }
    }

    private bool TryReadHex4(out char unit)
    {
        unit = '\0';
        if (_position + 4 > _text.Length)
        {
            Fail("truncated \\u escape");
            return false;
        }

        var value = 0;
        for (var i = 0; i < 4; i++)
        {
            var c = _text[_position + i];
            int digit = c switch
            {
                >= '0' and <= '9' => c - '0',
                >= 'a' and <= 'f' => c - 'a' + 10,
                >= 'A' and <= 'F' => c - 'A' + 10,
                _ => -1,
            };
            if (digit < 0)
            {
                _position += i;
                Fail("invalid hex digit '" + Printable(c) + "' in a \\u escape");
                return false;
            }

            value = (value << 4) | digit;
        }

        _position += 4;
        unit = (char)value;
        return true;
    }

    private JsonValue? ReadArray(int depth)
    {
        var start = _position;
        _position++;
        var items = new List<JsonValue>();
        SkipWhitespace();
        if (Peek() == ']')
        {
            _position++;
            return JsonValue.Array(items, start, _position);
        }

        while (true)
        {
            var item = ReadValue(depth);
            if (item is null)
            {
                return null;
            }

            items.Add(item);
            SkipWhitespace();
            var c = Peek();
            _position++;
            if (c == ']')
            {
                return JsonValue.Array(items, start, _position);
            }

            if (c != ',')
            {
                _position--;
                return Fail(c == '\0' ? "unterminated array" : "expected ',' or ']' in an array");
            }
        }
    }

    private JsonValue? ReadObject(int depth)
    {
        var start = _position;
        _position++;
        var properties = new List<JsonProperty>();
        SkipWhitespace();
        if (Peek() == '}')
        {
            _position++;
            return JsonValue.Object(properties, start, _position);
        }

        while (true)
        {
            SkipWhitespace();
            if (Peek() != '"')
            {
                return Fail(_position >= _text.Length ? "unterminated object" : "expected a property name in quotes");
            }

            var nameStart = _position;
            var name = ReadString();
            if (name is null)
            {
                return null;
            }

            var nameEnd = _position;
            foreach (var existing in properties)
            {
                if (existing.Name == name)
                {
                    _position = nameStart;
                    return Fail("duplicate property \"" + name + "\"");
                }
            }

            SkipWhitespace();
            if (Peek() != ':')
            {
                return Fail("expected ':' after a property name");
            }

            _position++;
            var value = ReadValue(depth);
            if (value is null)
            {
                return null;
            }

            properties.Add(new JsonProperty(name, nameStart, nameEnd, value));
            SkipWhitespace();
            var c = Peek();
            _position++;
            if (c == '}')
            {
                return JsonValue.Object(properties, start, _position);
            }

            if (c != ',')
            {
                _position--;
                return Fail(c == '\0' ? "unterminated object" : "expected ',' or '}' in an object");
            }
        }
    }

    private static string Printable(char c) => c < ' ' || c > '~'
        ? "U+" + ((int)c).ToString("X4", CultureInfo.InvariantCulture)
        : c.ToString();
}
