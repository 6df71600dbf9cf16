using System.Collections.Generic;
using System.Globalization;

namespace Compression.Generators.Json;

/// <summary>The kinds of JSON values.</summary>
internal enum JsonKind
{
    Null,
    False,
    True,
    Number,
    String,
    Array,
    Object,
}

/// <summary>A parsed JSON value with its position in the text (for diagnostics).</summary>
internal sealed class JsonValue
{
    private JsonValue(JsonKind kind, int start, int end)
    {
        Kind = kind;
        Start = start;
        End = end;
    }

    public JsonKind Kind { get; }

    /// <summary>Offset of the first character.</summary>
    public int Start { get; }

    /// <summary>Offset just past the last character.</summary>
    public int End { get; }

    /// <summary>The decoded string, or the number's text as written.</summary>
    public string? Text { get; private set; }

    public IReadOnlyList<JsonValue> Items { get; private set; } = [];

    public IReadOnlyList<JsonProperty> Properties { get; private set; } = [];

    public static JsonValue Literal(JsonKind kind, int start, int end) => new(kind, start, end);

    public static JsonValue String(string text, int start, int end) => new(JsonKind.String, start, end) { Text = text };

    public static JsonValue Number(string text, int start, int end) => new(JsonKind.Number, start, end) { Text = text };

    public static JsonValue Array(List<JsonValue> items, int start, int end) => new(JsonKind.Array, start, end) { Items = items };

    public static JsonValue Object(List<JsonProperty> properties, int start, int end) => new(JsonKind.Object, start, end) { Properties = properties };

    /// <summary>The property named <paramref name="name"/> (ordinal), or null.</summary>
    public JsonProperty? Find(string name)
    {
        foreach (var property in Properties)
        {
            if (property.Name == name)
            {
                return property;
            }
        }

        return null;
    }

    /// <summary>The number as a whole <see cref="long"/>, when it is one exactly.</summary>
    public bool TryGetInt64(out long value)
    {
        value = 0;
        return Kind == JsonKind.Number
            && Text is not null
            && long.TryParse(Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
    }

    public bool TryGetDouble(out double value)
    {
        value = 0;
        return Kind == JsonKind.Number
            && Text is not null
            && double.TryParse(Text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
    }
}

/// <summary>One <c>"name": value</c> member of an object.</summary>
internal sealed class JsonProperty(string name, int nameStart, int nameEnd, JsonValue value)
{
    public string Name { get; } = name;

    public int NameStart { get; } = nameStart;

    public int NameEnd { get; } = nameEnd;

    public JsonValue Value { get; } = value;
}
