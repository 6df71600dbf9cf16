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
                default: builder.Append(c < ' ' ? ' ' : c); break;
            }
        }

        return builder.ToString();
    }
}
