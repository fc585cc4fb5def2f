using System.Globalization;
using System.IO.Compression;
using System.Text;

namespace CompromisosApi.Common;

/// <summary>
/// A minimal SpreadsheetML package (.xlsx) written as a stream: one sheet, inline strings (no shared-string table,
/// which would need every text in memory before the sheet), a bold, frozen header row. DocumentFormat.OpenXml needs
/// a seekable stream, so the package would have to be buffered whole; this writes the zip straight to the response
/// (entries with data descriptors), through <see cref="SalidaPorTramos"/> because ZipArchive writes some records
/// synchronously. Texts go in inline-string cells, which Excel never evaluates as formulas.
/// </summary>
public static class Xlsx
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    private const string Cabecera = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>""" + "\r\n";

    private const string TiposDeContenido = Cabecera + """
        <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>
        """;

    private const string RelacionesDelPaquete = Cabecera + """
        <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>
        """;

    private const string RelacionesDelLibro = Cabecera + """
        <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>
        """;

    /// <summary>Style 0 is normal, style 1 bold (the header row).</summary>
    private const string Estilos = Cabecera + """
        <styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>
        """;

    private const string InicioDeHoja = Cabecera + """
        <worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews><sheetData>
        """;

    private const string FinDeHoja = "</sheetData></worksheet>";

    public static async Task EscribirAsync<T>(Stream destino, string nombreHoja, IReadOnlyList<Columna<T>> columnas, IAsyncEnumerable<T> filas, CancellationToken ct)
    {
        var salida = new SalidaPorTramos(destino);
        var zip = await ZipArchive.CreateAsync(salida, ZipArchiveMode.Create, leaveOpen: true, entryNameEncoding: null, ct);
        await using (zip.ConfigureAwait(false))
        {
            await EntradaAsync(zip, "[Content_Types].xml", TiposDeContenido, ct);
            await EntradaAsync(zip, "_rels/.rels", RelacionesDelPaquete, ct);
            await EntradaAsync(zip, "xl/workbook.xml", Cabecera +
                "<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">" +
                $"<sheets><sheet name=\"{Escapar(nombreHoja)}\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>", ct);
            await EntradaAsync(zip, "xl/_rels/workbook.xml.rels", RelacionesDelLibro, ct);
            await EntradaAsync(zip, "xl/styles.xml", Estilos, ct);

            var hoja = await Entrada(zip, "xl/worksheets/sheet1.xml").OpenAsync(ct);
            await using (hoja.ConfigureAwait(false))
            {
                var escritor = new StreamWriter(hoja, Utf8, bufferSize: 16 * 1024, leaveOpen: true);
                await using (escritor.ConfigureAwait(false))
                {
                    var xml = new StringBuilder(InicioDeHoja);
                    var numero = 1;
                    AgregarFila(xml, numero, columnas.Select(c => (object?)c.Nombre), estilo: 1);
                    await foreach (var fila in filas.WithCancellation(ct))
                    {
                        AgregarFila(xml, ++numero, columnas.Select(c => c.Valor(fila)), estilo: 0);
                        await escritor.WriteAsync(xml, ct);
                        xml.Clear();
                    }

                    xml.Append(FinDeHoja);
                    await escritor.WriteAsync(xml, ct);
                    await escritor.FlushAsync(ct);
                }
            }
        }

        // The central directory, written when the archive closed, is still in memory.
        await salida.FlushAsync(ct);
    }

    private static async Task EntradaAsync(ZipArchive zip, string nombre, string contenido, CancellationToken ct)
    {
        var flujo = await Entrada(zip, nombre).OpenAsync(ct);
        await using (flujo.ConfigureAwait(false))
        {
            await flujo.WriteAsync(Utf8.GetBytes(contenido), ct);
        }
    }

    /// <summary>
    /// Entries dated at the zip format's epoch, not at the clock: the same rows give the same file (an export as known at
    /// an instant, asked again, is the same bytes).
    /// </summary>
    private static ZipArchiveEntry Entrada(ZipArchive zip, string nombre)
    {
        var entrada = zip.CreateEntry(nombre, CompressionLevel.Fastest);
        entrada.LastWriteTime = new DateTimeOffset(1980, 1, 1, 0, 0, 0, TimeSpan.Zero);
        return entrada;
    }

    private static void AgregarFila(StringBuilder xml, int numero, IEnumerable<object?> valores, int estilo)
    {
        var fila = numero.ToString(CultureInfo.InvariantCulture);
        xml.Append("<row r=\"").Append(fila).Append("\">");
        var columna = 0;
        foreach (var valor in valores)
        {
            var referencia = Columna(columna++) + fila;
            var s = estilo == 0 ? "" : $" s=\"{estilo}\"";
            switch (valor)
            {
                case null:
                    break;
                case bool b:
                    xml.Append("<c r=\"").Append(referencia).Append('"').Append(s).Append(" t=\"b\"><v>").Append(b ? '1' : '0').Append("</v></c>");
                    break;
                case int or long:
                    xml.Append("<c r=\"").Append(referencia).Append('"').Append(s).Append("><v>")
                        .Append(((IFormattable)valor).ToString(null, CultureInfo.InvariantCulture)).Append("</v></c>");
                    break;
                default:
                    xml.Append("<c r=\"").Append(referencia).Append('"').Append(s).Append(" t=\"inlineStr\"><is><t xml:space=\"preserve\">")
                        .Append(Escapar(Csv.Texto(valor))).Append("</t></is></c>");
                    break;
            }
        }

        xml.Append("</row>");
    }

    /// <summary>A, B, … Z, AA, AB …</summary>
    internal static string Columna(int indice)
    {
        var nombre = "";
        for (var n = indice + 1; n > 0; n = (n - 1) / 26) nombre = (char)('A' + ((n - 1) % 26)) + nombre;
        return nombre;
    }

    /// <summary>
    /// XML text that reads back exactly: &amp; &lt; &gt; escaped; CR as a character reference (XML readers turn a
    /// literal CR or CRLF into LF); characters XML 1.0 can't hold (control characters, U+FFFE, U+FFFF) as
    /// SpreadsheetML's _xHHHH_, and a literal "_xHHHH_" in the text with its underscore escaped, so it isn't decoded.
    /// </summary>
    internal static string Escapar(string texto)
    {
        StringBuilder? sb = null;
        for (var i = 0; i < texto.Length; i++)
        {
            var c = texto[i];
            string? reemplazo = c switch
            {
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                '\r' => "&#13;",
                '\t' or '\n' => null,
                < ' ' or '\uFFFE' or '\uFFFF' => $"_x{(int)c:X4}_",
                '_' when PareceEscape(texto, i) => "_x005F_",
                _ => null,
            };
            if (reemplazo is null)
            {
                sb?.Append(c);
                continue;
            }

            sb ??= new StringBuilder(texto, 0, i, texto.Length + 16);
            sb.Append(reemplazo);
        }

        return sb?.ToString() ?? texto;
    }

    private static bool PareceEscape(string texto, int i) =>
        i + 6 < texto.Length && texto[i + 1] == 'x' && texto[i + 6] == '_'
        && texto.AsSpan(i + 2, 4).ContainsAnyExcept("0123456789abcdefABCDEF") == false;
}
