using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using CompromisosApi.IntegrationTests.Infrastructure;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Validation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CompromisosApi.IntegrationTests;

/// <summary>GET /compromisos as CSV and XLSX: the same rows as the JSON pages, every one of them, streamed.</summary>
public abstract partial class PruebaDeExportacion(ApiFactory factory) : PruebaApi(factory)
{
    protected const string Xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    protected static readonly string[] Encabezados =
    [
        "id", "programaId", "programa", "servicio", "ministerio", "anioEvaluacion", "recomendacion", "numero", "texto",
        "fechaVencimiento", "calificacion", "fechaCalificacion", "vencido", "tipo", "prioritario",
    ];

    protected async Task<(HttpResponseMessage Respuesta, byte[] Cuerpo)> DescargarAsync(string ruta, string? accept = null)
    {
        using var pedido = new HttpRequestMessage(HttpMethod.Get, ruta);
        if (accept is not null) pedido.Headers.Accept.ParseAdd(accept);
        var r = await Cliente.SendAsync(pedido);
        await Escenario.Esperar(r, HttpStatusCode.OK);
        return (r, await r.Content.ReadAsByteArrayAsync());
    }

    /// <summary>A strict RFC 4180 reader: a UTF-8 BOM, CRLF after every record, quoted fields with doubled quotes.</summary>
    protected static List<string[]> LeerCsv(byte[] bytes)
    {
        Assert.Equal([0xEF, 0xBB, 0xBF], bytes[..3]);
        var texto = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes, 3, bytes.Length - 3);
        var filas = new List<string[]>();
        var fila = new List<string>();
        var campo = new StringBuilder();
        var citado = false;
        for (var i = 0; i < texto.Length; i++)
        {
            var c = texto[i];
            if (citado)
            {
                if (c != '"') campo.Append(c);
                else if (i + 1 < texto.Length && texto[i + 1] == '"') campo.Append(texto[++i]);
                else citado = false;
                continue;
            }

            switch (c)
            {
                case '"':
                    Assert.True(campo.Length == 0, $"Comilla en medio de un campo sin comillas, posición {i}");
                    citado = true;
                    break;
                case ',':
                    fila.Add(campo.ToString());
                    campo.Clear();
                    break;
                case '\r':
                    Assert.True(i + 1 < texto.Length && texto[i + 1] == '\n', $"CR sin LF fuera de comillas, posición {i}");
                    fila.Add(campo.ToString());
                    campo.Clear();
                    filas.Add([.. fila]);
                    fila.Clear();
                    i++;
                    break;
                case '\n':
                    Assert.Fail($"LF sin CR fuera de comillas, posición {i}");
                    break;
                default:
                    campo.Append(c);
                    break;
            }
        }

        Assert.False(citado, "El archivo termina dentro de un campo entre comillas");
        Assert.True(fila.Count == 0 && campo.Length == 0, "El último registro no termina en CRLF");
        Assert.All(filas, f => Assert.Equal(filas[0].Length, f.Length));
        return filas;
    }

    /// <summary>Reads the sheet's cells back, by their references, as the texts the CSV would carry.</summary>
    protected static List<string[]> LeerXlsx(byte[] bytes)
    {
        using var zip = new ZipArchive(new MemoryStream(bytes), ZipArchiveMode.Read);
        XNamespace ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
        using var hoja = zip.GetEntry("xl/worksheets/sheet1.xml")!.Open();
        var xml = XDocument.Load(hoja, LoadOptions.PreserveWhitespace);
        var filas = new List<string[]>();
        foreach (var fila in xml.Descendants(ns + "row"))
        {
            Assert.Equal(filas.Count + 1, (int)fila.Attribute("r")!);
            var celdas = new string[Encabezados.Length];
            Array.Fill(celdas, "");
            foreach (var c in fila.Elements(ns + "c"))
            {
                var referencia = (string)c.Attribute("r")!;
                Assert.EndsWith((filas.Count + 1).ToString(CultureInfo.InvariantCulture), referencia, StringComparison.Ordinal);
                var columna = referencia[0] - 'A';
                celdas[columna] = (string?)c.Attribute("t") switch
                {
                    "inlineStr" => Desescapar(c.Element(ns + "is")!.Element(ns + "t")!.Value),
                    "b" => c.Element(ns + "v")!.Value == "1" ? "true" : "false",
                    null => c.Element(ns + "v")!.Value,
                    var t => throw new Xunit.Sdk.XunitException($"Tipo de celda inesperado: {t}"),
                };
            }

            filas.Add(celdas);
        }

        return filas;
    }

    protected static void AfirmarSpreadsheetMLValido(byte[] bytes)
    {
        using var documento = SpreadsheetDocument.Open(new MemoryStream(bytes), false);
        var errores = new OpenXmlValidator().Validate(documento).Select(e => $"{e.Path?.XPath}: {e.Description}").ToList();
        Assert.True(errores.Count == 0, string.Join("\n", errores));
        Assert.Equal("compromisos", documento.WorkbookPart!.Workbook.Sheets!.Elements<DocumentFormat.OpenXml.Spreadsheet.Sheet>().Single().Name!.Value);
    }

    /// <summary>SpreadsheetML's _xHHHH_ escapes, as Excel reads them.</summary>
    private static string Desescapar(string texto) =>
        EscapeXlsx().Replace(texto, m => ((char)int.Parse(m.Groups[1].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture)).ToString());

    [GeneratedRegex("_x([0-9A-Fa-f]{4})_")]
    private static partial Regex EscapeXlsx();
}
