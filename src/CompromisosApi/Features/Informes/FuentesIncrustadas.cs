using PdfSharp.Fonts;

namespace CompromisosApi.Features.Informes;

/// <summary>
/// PDFsharp needs its fonts handed to it on Linux. These ship inside the assembly (Features/Informes/Fuentes, with
/// their licence), so the PDF looks the same on every machine and needs no font package.
/// </summary>
internal sealed class FuentesIncrustadas : IFontResolver
{
    public const string Familia = "DejaVu Sans Condensed";
    private const string Normal = "DejaVuSansCondensed";
    private const string Negrita = "DejaVuSansCondensed-Bold";

    private static readonly Lazy<byte[]> BytesNormal = new(() => Leer(Normal));
    private static readonly Lazy<byte[]> BytesNegrita = new(() => Leer(Negrita));

    // Any family asked for gets ours: the informe uses only this one, and a missing font must not fail a report.
    public FontResolverInfo ResolveTypeface(string familyName, bool isBold, bool isItalic) =>
        new(isBold ? Negrita : Normal, false, isItalic);

    public byte[] GetFont(string faceName) => faceName == Negrita ? BytesNegrita.Value : BytesNormal.Value;

    private static byte[] Leer(string nombre)
    {
        using var flujo = typeof(FuentesIncrustadas).Assembly.GetManifestResourceStream($"CompromisosApi.Fuentes.{nombre}.ttf")
            ?? throw new InvalidOperationException($"Falta la fuente incrustada {nombre}.");
        using var copia = new MemoryStream();
        flujo.CopyTo(copia);
        return copia.ToArray();
    }
}
