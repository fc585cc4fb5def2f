using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;

namespace CompromisosApi.Features.Informes;

/// <summary>
/// text/html: a printable, self-contained Spanish page (no scripts, fonts, images or links to fetch) with the seed's
/// three-column table, one body row per compromiso.
/// </summary>
/// <remarks>
/// Every text from the record is HTML-encoded. Official texts keep their paragraphs: a blank line starts a new
/// &lt;p&gt;, and inside a paragraph line breaks and spaces are kept by <c>white-space: pre-wrap</c>, so the text a
/// reader (or a screen reader) gets is the verbatim text. Medios de verificación are a list, one title per item,
/// followed for a file by its name and SHA-256 in a &lt;code&gt;.
/// </remarks>
public static class InformeHtml
{
    public const string TipoDeContenido = "text/html; charset=utf-8";

    /// <summary>Only the page's own inline style may apply: a text in the record can never load or run anything.</summary>
    public const string PoliticaDeContenido = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'self'";

    private const string Estilo = """
        :root { color: #000; background: #fff; font-family: "DejaVu Sans", Arial, Helvetica, sans-serif; font-size: 11pt; line-height: 1.35; }
        body { margin: 1.5rem auto; max-width: 64rem; padding: 0 1rem; }
        h1 { font-size: 1.2rem; text-align: center; margin: 0 0 1rem; }
        .encabezado p { margin: 0.15rem 0; }
        .etiqueta { font-weight: bold; }
        .archivo code { font-size: 0.85em; word-break: break-all; }
        table { width: 100%; border-collapse: collapse; table-layout: fixed; margin-top: 1rem; }
        caption { text-align: left; font-weight: bold; padding: 0.25rem 0; }
        th, td { border: 1px solid #555; padding: 0.35rem 0.45rem; vertical-align: top; text-align: left; overflow-wrap: anywhere; }
        thead th { background: #e6e6e6; }
        col.recomendacion { width: 27%; } col.compromiso { width: 30%; } col.cumplimiento { width: 43%; }
        td p { margin: 0 0 0.5em; white-space: pre-wrap; }
        td p:last-child { margin-bottom: 0; }
        ul.medios { margin: 0 0 0.5em; padding-left: 1.2em; }
        ul.medios li { white-space: pre-wrap; }
        @page { size: A4; margin: 15mm 12mm 18mm; @bottom-center { content: "Página " counter(page) " de " counter(pages); font-size: 9pt; } }
        @media print {
          :root { font-size: 9pt; }
          body { margin: 0; max-width: none; padding: 0; }
          thead { display: table-header-group; }
          tr { break-inside: auto; }
          th, td { border-color: #000; }
        }
        """;

    public static string Generar(InformeDto informe)
    {
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html>\n<html lang=\"es\">\n<head>\n<meta charset=\"utf-8\">\n");
        sb.Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
        sb.Append("<title>").Append(E(informe.Titulo)).Append(" — ").Append(E(informe.Programa)).Append("</title>\n");
        sb.Append("<style>\n").Append(Estilo).Append("</style>\n</head>\n<body>\n<main>\n");

        sb.Append("<header class=\"encabezado\">\n<h1>").Append(E(informe.Titulo)).Append("</h1>\n");
        foreach (var (etiqueta, valor) in Impresion.Encabezado(informe))
        {
            sb.Append("<p>");
            if (etiqueta is not null) sb.Append(Etiqueta(etiqueta)).Append(' ');
            sb.Append(E(valor)).Append("</p>\n");
        }

        sb.Append("</header>\n<table>\n<caption>Recomendaciones, compromisos y su cumplimiento</caption>\n");
        sb.Append("<colgroup><col class=\"recomendacion\"><col class=\"compromiso\"><col class=\"cumplimiento\"></colgroup>\n");
        sb.Append("<thead>\n<tr>")
            .Append("<th scope=\"col\">").Append(E(Impresion.ColumnaRecomendacion)).Append("</th>")
            .Append("<th scope=\"col\">").Append(E(Impresion.ColumnaCompromiso)).Append("</th>")
            .Append("<th scope=\"col\">").Append(E(Impresion.ColumnaCumplimiento)).Append("</th>")
            .Append("</tr>\n</thead>\n<tbody>\n");

        foreach (var (recomendacion, compromiso) in Impresion.Filas(informe))
        {
            sb.Append("<tr>\n<td>");
            Parrafos(sb, Impresion.Numerado(recomendacion));
            sb.Append("</td>\n<td>");
            if (compromiso is not null)
            {
                Parrafos(sb, Impresion.Numerado(compromiso.NumeroEnRecomendacion, compromiso.Texto));
                sb.Append("<p>").Append(Etiqueta(Impresion.EtiquetaVencimiento)).Append(' ').Append(E(compromiso.FechaVencimientoTexto)).Append("</p>");
            }

            sb.Append("</td>\n<td>");
            if (compromiso is not null)
            {
                if (compromiso.Cumplimiento is not null) Parrafos(sb, compromiso.Cumplimiento);
                sb.Append("<p>").Append(Etiqueta(Impresion.EtiquetaObservacion));
                if (!string.IsNullOrEmpty(compromiso.Observacion)) sb.Append(' ').Append(E(compromiso.Observacion));
                sb.Append("</p>");
                sb.Append("<p>").Append(Etiqueta(Impresion.EtiquetaCalificacion)).Append(' ')
                    .Append(E(Impresion.CalificacionConFecha(compromiso))).Append("</p>");
                if (compromiso.MediosVerificacion.Count > 0)
                {
                    sb.Append("<p>").Append(Etiqueta(Impresion.EtiquetaMedios)).Append("</p><ul class=\"medios\">");
                    for (var i = 0; i < compromiso.MediosVerificacion.Count; i++)
                    {
                        sb.Append("<li>").Append(E(compromiso.MediosVerificacion[i]));
                        // A file's hash next to its title: what the analyst saw, provably.
                        if (i < compromiso.Medios.Count && compromiso.Medios[i] is { Sha256: { } sha } medio)
                        {
                            sb.Append(" <span class=\"archivo\">(").Append(E(medio.NombreArchivo ?? "")).Append(", SHA-256 <code>")
                                .Append(E(sha)).Append("</code>)</span>");
                        }

                        sb.Append("</li>");
                    }

                    sb.Append("</ul>");
                }
            }

            sb.Append("</td>\n</tr>\n");
        }

        sb.Append("</tbody>\n</table>\n</main>\n</body>\n</html>\n");
        return sb.ToString();
    }

    // Every Unicode range allowed, so "ñ" and "“" stay readable in the source; markup characters are always encoded.
    private static readonly HtmlEncoder Codificador = HtmlEncoder.Create(UnicodeRanges.All);

    private static string E(string texto) => Codificador.Encode(texto);

    private static string Etiqueta(string etiqueta) => $"<span class=\"etiqueta\">{E(etiqueta)}</span>";

    /// <summary>A blank line separates paragraphs; everything else, line breaks included, stays inside one.</summary>
    private static void Parrafos(StringBuilder sb, string texto)
    {
        foreach (var parrafo in texto.ReplaceLineEndings("\n").Split("\n\n"))
        {
            sb.Append("<p>").Append(E(parrafo)).Append("</p>");
        }
    }
}
