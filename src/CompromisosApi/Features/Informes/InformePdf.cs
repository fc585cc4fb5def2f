using System.Security.Cryptography;
using System.Text.Json;
using PdfSharp.Drawing;
using PdfSharp.Fonts;
using PdfSharp.Pdf;

namespace CompromisosApi.Features.Informes;

/// <summary>
/// application/pdf: A4 portrait, the title and header lines, then the seed's three-column table with its header row
/// repeated on every page, and "Página n de m" at the foot of each page.
/// </summary>
/// <remarks>
/// Layout is done line by line (<see cref="MaquetadorPdf"/>, <see cref="RenglonesPdf"/>), with the font's own metrics: words wrap at spaces (a word wider than its
/// column is cut), a line break in an official text starts a new line and a blank line a new paragraph. A row that
/// does not fit in what is left of a page starts on the next one; a row taller than a whole page (a cumplimiento
/// can run for pages) is cut between lines and goes on under the repeated header. Labels are bold; medios follow
/// their label, one title per line. The fonts (DejaVu Sans Condensed, Bitstream Vera licence) are embedded in the
/// assembly, so nothing has to be installed, and subset into the PDF. The same informe gives the same bytes: fixed
/// dates (the egreso or the cut-off, at 00:00 UTC) and IDs derived from the content instead of random ones.
/// </remarks>
public static class InformePdf
{
    public const string TipoDeContenido = "application/pdf";


    static InformePdf()
    {
        // Global to PDFsharp, and only this service draws PDFs: set once per process, before any font is used.
        if (GlobalFontSettings.FontResolver is not FuentesIncrustadas) GlobalFontSettings.FontResolver = new FuentesIncrustadas();
    }

    /// <param name="informe">The informe to print.</param>
    /// <param name="ct">Checked at every row and page: a long layout stops when its client has gone.</param>
    public static byte[] Generar(InformeDto informe, CancellationToken ct = default)
    {
        using var documento = new PdfDocument();
        var fecha = informe.FechaEgreso ?? informe.AlCorte;
        var instante = new DateTime(fecha.Year, fecha.Month, fecha.Day, 0, 0, 0, DateTimeKind.Utc);
        documento.Info.Title = $"{informe.Titulo} — {informe.Programa}";
        documento.Info.Subject = informe.Programa;
        documento.Info.Creator = "CompromisosApi";
        documento.Info.CreationDate = instante;
        documento.Info.ModificationDate = instante;
        documento.Language = "es-CL";
        documento.Options.CompressContentStreams = true;
        var huella = SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(informe));
        var id = string.Concat(huella.Take(16).Select(b => (char)b));
        documento.Internals.FirstDocumentID = id;
        documento.Internals.SecondDocumentID = id;

        new MaquetadorPdf(documento, ct).Maquetar(informe);

        using var salida = new MemoryStream();
        documento.Save(salida, closeStream: false);
        return PdfSinAzar.Aplicar(salida.ToArray(), huella);
    }
}
