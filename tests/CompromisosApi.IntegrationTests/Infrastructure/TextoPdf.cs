using System.Text;
using System.Text.RegularExpressions;
using UglyToad.PdfPig;

namespace CompromisosApi.IntegrationTests.Infrastructure;

/// <summary>
/// Reads a PDF back as a reader would copy it: each page's glyphs in drawing order, a space wherever the pen jumps
/// (a new line, another cell), whitespace collapsed, since the PDF wraps lines where the record has none.
/// </summary>
public static partial class TextoPdf
{
    public sealed record Pagina(int Numero, string Texto);

    public static IReadOnlyList<Pagina> Paginas(byte[] pdf)
    {
        using var documento = PdfDocument.Open(pdf);
        return documento.GetPages().Select(p =>
        {
            var sb = new StringBuilder();
            UglyToad.PdfPig.Content.Letter? anterior = null;
            foreach (var letra in p.Letters)
            {
                if (anterior is not null
                    && (Math.Abs(letra.StartBaseLine.Y - anterior.StartBaseLine.Y) > 0.5
                        || Math.Abs(letra.StartBaseLine.X - anterior.EndBaseLine.X) > 1))
                {
                    sb.Append(' ');
                }

                sb.Append(letra.Value);
                anterior = letra;
            }

            return new Pagina(p.Number, Normalizar(sb.ToString()));
        }).ToList();
    }

    /// <summary>
    /// The document's flowing text: each page without what every page repeats (the table's header row at the top of
    /// pages after the first, "Página n de m" at the foot), so a cell cut across pages reads on.
    /// </summary>
    public static string Continuo(IReadOnlyList<Pagina> paginas, string cabeceraDeTabla)
    {
        var partes = paginas.Select(p =>
        {
            var t = p.Texto;
            var pie = $"Página {p.Numero} de {paginas.Count}";
            Assert.EndsWith(pie, t);
            t = t[..^pie.Length].TrimEnd();
            if (p.Numero > 1)
            {
                Assert.StartsWith(cabeceraDeTabla, t);
                t = t[cabeceraDeTabla.Length..].TrimStart();
            }

            return t;
        });
        return string.Join(" ", partes);
    }

    public static string Normalizar(string texto) => Espacios().Replace(texto, " ").Trim();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Espacios();
}
