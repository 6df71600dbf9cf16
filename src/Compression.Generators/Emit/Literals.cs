using System.Globalization;
using System.Text;
using Microsoft.CodeAnalysis.CSharp;

namespace Compression.Generators.Emit;

/// <summary>Text that goes into generated code: literals and XML doc fragments, culture-invariant.</summary>
internal static class Literals
{
    public static string String(string? value) => value is null ? "null" : SymbolDisplay.FormatLiteral(value, quote: true);

    public static string Long(long value) => value.ToString(CultureInfo.InvariantCulture);

    public static string Double(double value)
    {
        var text = value.ToString("R", CultureInfo.InvariantCulture);
        return text.IndexOfAny(['.', 'E', 'e']) >= 0 ? text : text + ".0";
    }

    public static string NullableLong(long? value) => value is long v ? Long(v) + "L" : "null";

    /// <summary>Text for a <c>//</c> comment: every character C# treats as a line end becomes a space.</summary>
    public static string Comment(string text)
    {
        var chars = text.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            if (IsLineBreakOrControl(chars[i]))
            {
                chars[i] = ' ';
            }
        }

        return new string(chars);
    }

    // C# ends a line at \r, \n, U+0085, U+2028 and U+2029; a comment must not contain any of them.
    private static bool IsLineBreakOrControl(char c) => c < ' ' || c == '\u0085' || c == '\u2028' || c == '\u2029';

    /// <summary>Escapes text for XML doc comments (and keeps it on one line).</summary>
    public static string Xml(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            switch (c)
            {
                case '&': builder.Append("&amp;"); break;
                case '<': builder.Append("&lt;"); break;
                case '>': builder.Append("&gt;"); break;
                case '"': builder.Append("&quot;"); break;
                default: builder.Append(IsLineBreakOrControl(c) ? ' ' : c); break;
            }
        }

        return builder.ToString();
    }
}
