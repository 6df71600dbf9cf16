using System.Collections.Generic;
using System.Text;
using Microsoft.CodeAnalysis.CSharp;

namespace Compression.Generators.Naming;

/// <summary>Turns ONNX names (<c>onnx::Flatten_0</c>, <c>softmax_0.tmp_0</c>) into C# identifiers.</summary>
internal static class Identifiers
{
    /// <summary>camelCase for parameters: <c>softmax_0.tmp_0</c> -> <c>softmax0Tmp0</c>; keywords get an <c>@</c>.</summary>
    public static string ToCamelCase(string name)
    {
        var words = SplitWords(name);
        if (words.Count == 0)
        {
            return string.Empty;
        }

        var builder = new StringBuilder();
        builder.Append(LowerLeadingCapitals(words[0]));
        for (var i = 1; i < words.Count; i++)
        {
            builder.Append(Capitalize(words[i]));
        }

        return Finish(builder);
    }

    /// <summary>PascalCase for types and properties: <c>silero_vad_v5</c> -> <c>SileroVadV5</c>.</summary>
    public static string ToPascalCase(string name)
    {
        var words = SplitWords(name);
        var builder = new StringBuilder();
        foreach (var word in words)
        {
            builder.Append(Capitalize(word));
        }

        return Finish(builder);
    }

    /// <summary>True for a plain identifier that is not a keyword (what a namespace part may be).</summary>
    public static bool IsPlainIdentifier(string name)
        => SyntaxFacts.IsValidIdentifier(name) && SyntaxFacts.GetKeywordKind(name) == SyntaxKind.None && name != "_";

    /// <summary>
    /// True for a type name made of lower-case ASCII letters only: the compiler warns (CS8981) because such
    /// names may become keywords, and that warning would break builds with TreatWarningsAsErrors.
    /// </summary>
    public static bool IsLowerCaseAscii(string name)
    {
        foreach (var c in name)
        {
            if (c is < 'a' or > 'z')
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The identifier without a leading <c>@</c> (what other names are derived from).</summary>
    public static string Unescape(string identifier) => identifier.StartsWith("@", System.StringComparison.Ordinal) ? identifier.Substring(1) : identifier;

    // Words are runs of identifier characters; everything else (':', '.', '-', '_', spaces) separates them.
    private static List<string> SplitWords(string name)
    {
        var words = new List<string>();
        var current = new StringBuilder();
        foreach (var c in name)
        {
            if (c != '_' && SyntaxFacts.IsIdentifierPartCharacter(c) && !char.IsControl(c))
            {
                current.Append(c);
            }
            else if (current.Length > 0)
            {
                words.Add(current.ToString());
                current.Clear();
            }
        }

        if (current.Length > 0)
        {
            words.Add(current.ToString());
        }

        return words;
    }

    private static string Capitalize(string word) => char.ToUpperInvariant(word[0]) + word.Substring(1);

    // "HTMLData" -> "htmlData", "Input" -> "input", "x" -> "x" (the System.Text.Json camel-case rule).
    private static string LowerLeadingCapitals(string word)
    {
        var chars = word.ToCharArray();
        for (var i = 0; i < chars.Length && char.IsUpper(chars[i]); i++)
        {
            var nextIsLower = i + 1 < chars.Length && !char.IsUpper(chars[i + 1]);
            if (i > 0 && nextIsLower)
            {
                break;
            }

            chars[i] = char.ToLowerInvariant(chars[i]);
        }

        return new string(chars);
    }

    private static string Finish(StringBuilder builder)
    {
        if (builder.Length == 0)
        {
            return string.Empty;
        }

        // Identifiers cannot start with a digit (or a combining mark): "0abc" -> "_0abc".
        if (!SyntaxFacts.IsIdentifierStartCharacter(builder[0]))
        {
            builder.Insert(0, '_');
        }

        var text = builder.ToString();
        return SyntaxFacts.GetKeywordKind(text) != SyntaxKind.None ? "@" + text : text;
    }
}
