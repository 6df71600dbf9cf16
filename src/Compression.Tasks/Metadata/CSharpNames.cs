using System.Globalization;
using System.Text;

namespace Compression.Tasks.Metadata;

/// <summary>Turns model file names into C# type names and checks user-given ones.</summary>
internal static class CSharpNames
{
    private static readonly HashSet<string> s_keywords = new(StringComparer.Ordinal)
    {
        "abstract", "as", "base", "bool", "break", "byte", "case", "catch", "char", "checked", "class", "const",
        "continue", "decimal", "default", "delegate", "do", "double", "else", "enum", "event", "explicit", "extern",
        "false", "finally", "fixed", "float", "for", "foreach", "goto", "if", "implicit", "in", "int", "interface",
        "internal", "is", "lock", "long", "namespace", "new", "null", "object", "operator", "out", "override",
        "params", "private", "protected", "public", "readonly", "ref", "return", "sbyte", "sealed", "short",
        "sizeof", "stackalloc", "static", "string", "struct", "switch", "this", "throw", "true", "try", "typeof",
        "uint", "ulong", "unchecked", "unsafe", "ushort", "using", "virtual", "void", "volatile", "while",
    };

    /// <summary>
    /// The file stem in PascalCase: <c>silero_vad_v5.onnx</c> -> <c>SileroVadV5</c>. Every run of
    /// characters that cannot be in an identifier separates words; a leading digit gets a <c>Model</c> prefix.
    /// </summary>
    public static string ClassNameFromFile(string path)
    {
        string stem = Path.GetFileNameWithoutExtension(path);
        var name = new StringBuilder(stem.Length);
        bool startOfWord = true;
        foreach (char c in stem)
        {
            if (!IsIdentifierPart(c) || c == '_')
            {
                startOfWord = true;
                continue;
            }

            name.Append(startOfWord ? char.ToUpperInvariant(c) : c);
            startOfWord = false;
        }

        if (name.Length == 0 || !IsIdentifierStart(name[0]))
        {
            name.Insert(0, "Model");
        }

        return name.ToString();
    }

    /// <summary>A valid C# identifier that is not a keyword (no <c>@</c> escapes: generated code uses it as a type name).</summary>
    public static bool IsIdentifier(string value)
    {
        if (value.Length == 0 || !IsIdentifierStart(value[0]) || s_keywords.Contains(value))
        {
            return false;
        }

        foreach (char c in value)
        {
            if (!IsIdentifierPart(c))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A dotted list of identifiers, e.g. <c>MyApp.Models</c>.</summary>
    public static bool IsNamespace(string value) => value.Split('.').All(IsIdentifier);

    private static bool IsIdentifierStart(char c) => c == '_' || char.IsLetter(c);

    private static bool IsIdentifierPart(char c) => c == '_' || char.IsLetterOrDigit(c)
        || CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark
            or UnicodeCategory.ConnectorPunctuation;
}
