using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using AngleSharp.Html.Parser;
using CompromisosApi.Features.Demo;
using CompromisosApi.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace CompromisosApi.IntegrationTests;

/// <summary>
/// The Informe de Egreso of the seed case, in its four representations, must say what the seed report says; and
/// at an earlier cut-off, what the record said then.
/// </summary>
public sealed class InformeTests(ApiFactory factory) : PruebaApi(factory)
{
    private const string CabeceraDeTabla = "Recomendación | Compromiso | Cumplimiento";

    private static readonly JsonNode Semilla = JsonNode.Parse(File.ReadAllText(
        Path.Combine(Repositorio.Raiz, "tests/CompromisosApi.IntegrationTests/Fixtures/redes-por-rubro-2007.json")))!;

    private static IEnumerable<(JsonNode Rec, JsonNode Comp)> CompromisosDeLaSemilla =>
        Semilla["recomendaciones"]!.AsArray().SelectMany(r => r!["compromisos"]!.AsArray().Select(c => (r!, c!)));

    private async Task<int> CargarDemoAsync()
    {
        await using var scope = Factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<DemoSeeder>().CargarAsync(CancellationToken.None);
    }

    private async Task<HttpResponseMessage> PedirAsync(string ruta, string? accept = null)
    {
        var m = new HttpRequestMessage(HttpMethod.Get, ruta);
        if (accept is not null) m.Headers.TryAddWithoutValidation("Accept", accept);
        return await Cliente.SendAsync(m);
    }

    private async Task<string> TextoAsync(string ruta, string accept = "text/plain")
    {
        var r = await PedirAsync(ruta, accept);
        await Escenario.Esperar(r, HttpStatusCode.OK);
        return await r.Content.ReadAsStringAsync();
    }

    private static string Fecha(JsonNode? iso) =>
        DateOnly.ParseExact((string)iso!, "yyyy-MM-dd", CultureInfo.InvariantCulture).ToString("dd-MM-yyyy", CultureInfo.InvariantCulture);

    /// <summary>"1." for compromiso 1.1, "2." for 1.2: its number within the recomendación, as the seed prints it.</summary>
    private static string NumeroEnRecomendacion(JsonNode comp) => ((string)comp["numero"]!).Split('.')[1] + ".";

    /// <summary>The header lines as the seed report prints them.</summary>
    private static readonly string[] EncabezadoDeLaSemilla =
    [
        "INFORME DE EGRESO DEL SISTEMA DE CUMPLIMIENTO DE COMPROMISOS",
        "Programa/Institución: Microemprendimiento MYPIME Programa de Desarrollo de Redes Pro Rubro",
        "MINISTERIO DE AGRICULTURA",
        "Servicio: INSTITUTO DE DESARROLLO AGROPECUARIO",
        "Año: 2007",
        "Calificación: Egresado",
        "Fecha Egreso: 31-12-2011",
    ];

    /// <summary>Every fact of the seed's table, in the order the report prints them.</summary>
    private static IEnumerable<string> HechosDeLaSemilla()
    {
        foreach (var (rec, comp) in CompromisosDeLaSemilla)
        {
            yield return $"{(int)rec["numero"]!}. {(string)rec["texto"]!}";
            yield return $"{NumeroEnRecomendacion(comp)} {(string)comp["texto"]!}";
            yield return $"Fecha de Vencimiento: {(string)comp["fechaVencimientoTexto"]!}";
            yield return (string)comp["cumplimiento"]!;
            yield return comp["observacion"] is { } obs ? $"Observación: {(string)obs!}" : "Observación:";
            yield return $"Calificación: {(string)comp["calificacion"]!} ({Fecha(comp["fechaCalificacion"])})";
            foreach (var medio in comp["mediosVerificacion"]!.AsArray()) yield return (string)medio!;
        }
    }

    private static void EnOrden(string texto, IEnumerable<string> hechos)
    {
        var desde = 0;
        foreach (var hecho in hechos)
        {
            var i = texto.IndexOf(hecho, desde, StringComparison.Ordinal);
            Assert.True(i >= 0, $"No aparece, en su orden, «{(hecho.Length > 120 ? hecho[..120] + "…" : hecho)}»");
            desde = i + hecho.Length;
        }
    }

    [Fact]
    public async Task El_texto_es_el_informe_de_egreso_de_la_semilla_linea_por_linea()
    {
        var id = await CargarDemoAsync();

        var r = await PedirAsync($"/api/v1/programas/{id}/informe", "text/plain");
        await Escenario.Esperar(r, HttpStatusCode.OK);
        Assert.Equal("text/plain; charset=utf-8", r.Content.Headers.ContentType!.ToString());
        var texto = await r.Content.ReadAsStringAsync();

        var lineas = texto.Split('\n');
        Assert.Equal([.. EncabezadoDeLaSemilla, CabeceraDeTabla], lineas.Take(8));
        EnOrden(texto, [.. EncabezadoDeLaSemilla, CabeceraDeTabla, .. HechosDeLaSemilla()]);

        // Fragments exactly as the seed report prints them.
        Assert.Contains("Observación: Calificación: Cancelado (31-12-2011) Medios de Verificación: Documento Marco\nMarco Lógico mejorado\n", texto);
        Assert.Equal(3, texto.Split("Observación: Idem compromiso 1.1. Calificación: Cumplido (31-12-2009)").Length - 1);
        Assert.Equal(5, texto.Split("Fecha de Vencimiento: Diciembre 2009 | ").Length - 1);
        Assert.Contains("Medios de Verificación: minuta explicativa compromisos y justificaciones redes por rubro\nmarco final validado por fomento\n", texto);

        // The whole text, built from the seed with DOMAIN.md's template: one block per compromiso, a blank line apart.
        var bloques = CompromisosDeLaSemilla.Select(x =>
        {
            var (rec, comp) = x;
            var medios = comp["mediosVerificacion"]!.AsArray().Select(m => (string)m!).ToList();
            return $"{(int)rec["numero"]!}. {(string)rec["texto"]!} | {NumeroEnRecomendacion(comp)} {(string)comp["texto"]!} " +
                $"Fecha de Vencimiento: {(string)comp["fechaVencimientoTexto"]!} | {(string)comp["cumplimiento"]!} " +
                (comp["observacion"] is { } obs ? $"Observación: {(string)obs!} " : "Observación: ") +
                $"Calificación: {(string)comp["calificacion"]!} ({Fecha(comp["fechaCalificacion"])})" +
                (medios.Count > 0 ? " Medios de Verificación: " + string.Join("\n", medios) : "") + "\n";
        });
        var esperado = string.Join("\n", EncabezadoDeLaSemilla) + "\n" + CabeceraDeTabla + "\n" + string.Join("\n", bloques);
        Assert.Equal(esperado, texto);
    }

    [Fact]
    public async Task El_json_es_el_registro_de_la_semilla_campo_por_campo()
    {
        var id = await CargarDemoAsync();

        var r = await PedirAsync($"/api/v1/programas/{id}/informe?alCorte=2011-12-31");
        await Escenario.Esperar(r, HttpStatusCode.OK);
        Assert.Equal("application/json", r.Content.Headers.ContentType!.MediaType);
        var informe = (await r.Content.ReadFromJsonAsync<JsonObject>())!;

        Assert.Equal("INFORME DE EGRESO DEL SISTEMA DE CUMPLIMIENTO DE COMPROMISOS", (string?)informe["titulo"]);
        Assert.Equal((string?)Semilla["programa"], (string?)informe["programa"]);
        Assert.Equal((string?)Semilla["ministerio"], (string?)informe["ministerio"]);
        Assert.Equal((string?)Semilla["servicio"]!["nombre"], (string?)informe["servicio"]);
        Assert.Equal((int)Semilla["anioEvaluacion"]!, (int)informe["anioEvaluacion"]!);
        Assert.Equal("EPG", (string?)informe["lineaEvaluacion"]);
        Assert.Equal((string?)Semilla["calificacionPrograma"], (string?)informe["calificacion"]);
        Assert.Equal((string?)Semilla["fechaEgreso"], (string?)informe["fechaEgreso"]);
        Assert.Equal("2011-12-31", (string?)informe["alCorte"]);

        var recomendaciones = informe["recomendaciones"]!.AsArray();
        Assert.Equal(Semilla["recomendaciones"]!.AsArray().Count, recomendaciones.Count);
        foreach (var (rec, esperada) in recomendaciones.Zip(Semilla["recomendaciones"]!.AsArray()))
        {
            Assert.Equal((int)esperada!["numero"]!, (int)rec!["numero"]!);
            Assert.Equal((string?)esperada["texto"], (string?)rec["texto"]);
            var compromisos = rec["compromisos"]!.AsArray();
            Assert.Equal(esperada["compromisos"]!.AsArray().Count, compromisos.Count);
            foreach (var (comp, e) in compromisos.Zip(esperada["compromisos"]!.AsArray()))
            {
                Assert.Equal((string?)e!["numero"], (string?)comp!["numero"]);
                Assert.Equal(NumeroEnRecomendacion(e), (string?)comp["numeroEnRecomendacion"]);
                Assert.Equal((string?)e["texto"], (string?)comp["texto"]);
                Assert.Equal((string?)e["fechaVencimiento"], (string?)comp["fechaVencimiento"]);
                Assert.Equal((string?)e["fechaVencimientoTexto"], (string?)comp["fechaVencimientoTexto"]);
                Assert.Equal((string?)e["cumplimiento"], (string?)comp["cumplimiento"]);
                Assert.Equal((string?)e["observacion"], (string?)comp["observacion"]);
                Assert.Equal((string?)e["calificacion"], (string?)comp["calificacion"]);
                Assert.Equal((string?)e["calificacion"], (string?)comp["calificacionTexto"]);
                Assert.Equal((string?)e["fechaCalificacion"], (string?)comp["fechaCalificacion"]);
                Assert.Equal(e["mediosVerificacion"]!.AsArray().Select(m => (string)m!), comp["mediosVerificacion"]!.AsArray().Select(m => (string)m!));
            }
        }
    }

    [Fact]
    public async Task Al_31_12_2009_el_programa_sigue_en_seguimiento_y_el_1_2_pendiente()
    {
        var id = await CargarDemoAsync();

        var texto = await TextoAsync($"/api/v1/programas/{id}/informe?alCorte=2009-12-31");
        Assert.Equal(
            [
                "INFORME DE SEGUIMIENTO DEL SISTEMA DE CUMPLIMIENTO DE COMPROMISOS",
                EncabezadoDeLaSemilla[1], EncabezadoDeLaSemilla[2], EncabezadoDeLaSemilla[3], EncabezadoDeLaSemilla[4],
                "Calificación: En Seguimiento",
                "Fecha Corte: 31-12-2009",
                CabeceraDeTabla,
            ],
            texto.Split('\n').Take(8));
        Assert.DoesNotContain("Fecha Egreso", texto);
        Assert.Contains("2. Elaborar matriz de marco lógico del nuevo programa revisada y concordada con DIPRES. Fecha de Vencimiento: Diciembre 2009 | Observación: Calificación: Pendiente\n", texto);
        Assert.DoesNotContain("Cancelado", texto);
        Assert.DoesNotContain("Durante los años 2010 y 2011", texto);
        Assert.DoesNotContain("Documento Marco\n", texto);
        Assert.Equal(4, texto.Split("Calificación: Cumplido (31-12-2009)").Length - 1);

        var json = await Escenario.LeerAsync($"/api/v1/programas/{id}/informe?alCorte=2009-12-31");
        Assert.Equal("En Seguimiento", (string?)json["calificacion"]);
        Assert.Null(json["fechaEgreso"]);
        Assert.Equal("2009-12-31", (string?)json["alCorte"]);
        var c12 = json["recomendaciones"]![0]!["compromisos"]![1]!;
        Assert.Equal("1.2", (string?)c12["numero"]);
        Assert.Equal("Pendiente", (string?)c12["calificacion"]);
        Assert.Null(c12["fechaCalificacion"]);
        Assert.Null(c12["cumplimiento"]);
        Assert.Null(c12["observacion"]);
        Assert.Empty(c12["mediosVerificacion"]!.AsArray());

        // The day before the first cut-off nothing was qualified or reported yet.
        var antes = await Escenario.LeerAsync($"/api/v1/programas/{id}/informe?alCorte=2009-12-30");
        var compromisos = antes["recomendaciones"]!.AsArray().SelectMany(r => r!["compromisos"]!.AsArray()).ToList();
        Assert.All(compromisos, c => Assert.Equal("Pendiente", (string?)c!["calificacion"]));
        Assert.All(compromisos, c => Assert.Null(c!["cumplimiento"]));
    }

    [Fact]
    public async Task Al_31_12_2011_es_el_informe_de_egreso()
    {
        var id = await CargarDemoAsync();

        var texto = await TextoAsync($"/api/v1/programas/{id}/informe?alCorte=2011-12-31");

        Assert.Equal(EncabezadoDeLaSemilla, texto.Split('\n').Take(7));
        Assert.Contains("| Durante los años 2010 y 2011 el Programa de Asociatividad no ha funcionado", texto);
        Assert.Contains("Observación: Calificación: Cancelado (31-12-2011)", texto);
        Assert.Equal(texto, await TextoAsync($"/api/v1/programas/{id}/informe"));
    }

    [Fact]
    public async Task Varios_reportes_se_unen_en_orden_y_cada_corte_muestra_su_calificacion()
    {
        var s = await Escenario.ServicioAsync("Ministerio de Economía, Fomento y Turismo", "Unidad de Compañías Pequeñas");
        var p = await Escenario.ProgramaAsync(s, "Programa de Pequeñas Compañías", 2009);
        var r = await Escenario.RecomendacionAsync(p, "Mejorar la focalización.");
        var c = (int)(await Escenario.CompromisoAsync(r, "2010-12", "Rediseñar la focalización."))["id"]!;
        await Escenario.CrearAsync($"/api/v1/compromisos/{c}/reportes", new { corte = "2010-06-30", texto = "Primer avance." });
        await Escenario.CrearAsync($"/api/v1/compromisos/{c}/medios-verificacion", new { titulo = "Minuta de junio", corte = "2010-06-30" });
        await Escenario.CalificarOkAsync(c, "ParcialmenteCumplido", "2010-06-30", "Falta el rediseño.");
        await Escenario.CrearAsync($"/api/v1/compromisos/{c}/reportes", new { corte = "2010-12-31", texto = "Segundo avance.\n\nCon dos párrafos." });
        await Escenario.CalificarOkAsync(c, "NoCumplido", "2010-12-31");
        await Escenario.RecomendacionAsync(p, "Una recomendación aún sin compromisos.");

        var junio = await TextoAsync($"/api/v1/programas/{p}/informe?alCorte=2010-06-30");
        Assert.Contains("\nMINISTERIO DE ECONOMÍA, FOMENTO Y TURISMO\nServicio: UNIDAD DE COMPAÑÍAS PEQUEÑAS\nAño: 2009\n", junio);
        Assert.Contains(
            "1. Mejorar la focalización. | 1. Rediseñar la focalización. Fecha de Vencimiento: Diciembre 2010 | Primer avance. " +
            "Observación: Falta el rediseño. Calificación: Parcialmente Cumplido (30-06-2010) Medios de Verificación: Minuta de junio\n",
            junio);
        Assert.EndsWith("\n\n2. Una recomendación aún sin compromisos. | |\n", junio);

        var diciembre = await Escenario.LeerAsync($"/api/v1/programas/{p}/informe?alCorte=2010-12-31");
        var comp = diciembre["recomendaciones"]![0]!["compromisos"]![0]!;
        Assert.Equal("Primer avance.\n\nSegundo avance.\n\nCon dos párrafos.", (string?)comp["cumplimiento"]);
        Assert.Equal("NoCumplido", (string?)comp["calificacion"]);
        Assert.Equal("No Cumplido", (string?)comp["calificacionTexto"]);
        Assert.Null(comp["observacion"]);
        Assert.Equal("Diciembre 2010", (string?)comp["fechaVencimientoTexto"]);
        Assert.Empty(diciembre["recomendaciones"]![1]!["compromisos"]!.AsArray());
        Assert.Contains("| Primer avance.\n\nSegundo avance.\n\nCon dos párrafos. Observación: Calificación: No Cumplido (31-12-2010) Medios de Verificación: Minuta de junio\n",
            await TextoAsync($"/api/v1/programas/{p}/informe?alCorte=2010-12-31"));
    }

    [Fact]
    public async Task El_html_es_una_tabla_accesible_con_una_fila_por_compromiso()
    {
        var id = await CargarDemoAsync();

        var r = await PedirAsync($"/api/v1/programas/{id}/informe", "text/html");
        await Escenario.Esperar(r, HttpStatusCode.OK);
        Assert.Equal("text/html; charset=utf-8", r.Content.Headers.ContentType!.ToString());
        Assert.Contains("default-src 'none'", r.Headers.GetValues("Content-Security-Policy").Single());
        var html = await r.Content.ReadAsStringAsync();
        var doc = new HtmlParser().ParseDocument(html);

        Assert.Equal("es", doc.DocumentElement.GetAttribute("lang"));
        Assert.Equal("INFORME DE EGRESO DEL SISTEMA DE CUMPLIMIENTO DE COMPROMISOS", doc.QuerySelector("h1")!.TextContent);
        Assert.Equal(EncabezadoDeLaSemilla.Skip(1), doc.QuerySelectorAll("header p").Select(p => p.TextContent));
        var tabla = Assert.Single(doc.QuerySelectorAll("table"));
        Assert.False(string.IsNullOrWhiteSpace(tabla.QuerySelector("caption")?.TextContent));
        var th = tabla.QuerySelectorAll("thead th");
        Assert.Equal(["Recomendación", "Compromiso", "Cumplimiento"], th.Select(x => x.TextContent));
        Assert.All(th, x => Assert.Equal("col", x.GetAttribute("scope")));

        var filas = tabla.QuerySelectorAll("tbody > tr");
        Assert.Equal(CompromisosDeLaSemilla.Count(), filas.Length);
        foreach (var (fila, (rec, comp)) in filas.Zip(CompromisosDeLaSemilla))
        {
            var celdas = fila.QuerySelectorAll("td");
            Assert.Equal(3, celdas.Length);
            Assert.Equal($"{(int)rec["numero"]!}. {(string)rec["texto"]!}", celdas[0].TextContent);
            Assert.Equal($"{NumeroEnRecomendacion(comp)} {(string)comp["texto"]!}", celdas[1].QuerySelector("p")!.TextContent);
            Assert.Equal($"Fecha de Vencimiento: {(string)comp["fechaVencimientoTexto"]!}", celdas[1].QuerySelectorAll("p").Last().TextContent);

            // The cumplimiento's paragraphs, one <p> each, give back the verbatim text.
            var cumplimiento = (string)comp["cumplimiento"]!;
            var parrafos = celdas[2].QuerySelectorAll("p").Select(p => p.TextContent).ToList();
            var n = cumplimiento.Split("\n\n").Length;
            Assert.Equal(cumplimiento, string.Join("\n\n", parrafos.Take(n)));
            Assert.Equal(comp["observacion"] is { } obs ? $"Observación: {(string)obs!}" : "Observación:", parrafos[n]);
            Assert.Equal($"Calificación: {(string)comp["calificacion"]!} ({Fecha(comp["fechaCalificacion"])})", parrafos[n + 1]);
            Assert.Equal(comp["mediosVerificacion"]!.AsArray().Select(m => (string)m!), celdas[2].QuerySelectorAll("ul li").Select(li => li.TextContent));
        }

        // Printable and self-contained.
        Assert.Contains("@page", html);
        Assert.Contains("size: A4", html);
        Assert.Contains("table-header-group", html);
        Assert.Empty(doc.QuerySelectorAll("script, link, img, iframe, object, embed, [src], [href]"));
    }

    [Fact]
    public async Task El_html_codifica_los_textos()
    {
        var (p, _, c) = await Escenario.CompromisoPendienteAsync();
        const string peligroso = "<script>alert('x')</script> & \"comillas\" <b>negrita</b>";
        var (comp, etag) = await Escenario.LeerConEtagAsync($"/api/v1/compromisos/{c}");
        await Escenario.Esperar(await Cliente.SendAsync(Escenario.Put($"/api/v1/compromisos/{c}",
            new { texto = peligroso, fechaVencimiento = (string?)comp["fechaVencimiento"] }, etag)), HttpStatusCode.OK);

        var html = await TextoAsync($"/api/v1/programas/{p}/informe?formato=html", "*/*");

        Assert.DoesNotContain("<script>", html);
        Assert.DoesNotContain("<b>", html);
        Assert.Contains("&lt;script&gt;", html);
        var doc = new HtmlParser().ParseDocument(html);
        Assert.Empty(doc.QuerySelectorAll("script, b"));
        Assert.Equal($"1. {peligroso}", doc.QuerySelectorAll("tbody td")[1].QuerySelector("p")!.TextContent);
    }

    [Fact]
    public async Task El_pdf_es_A4_con_los_mismos_hechos_y_numeros_de_pagina()
    {
        var id = await CargarDemoAsync();

        var r = await PedirAsync($"/api/v1/programas/{id}/informe", "application/pdf");
        await Escenario.Esperar(r, HttpStatusCode.OK);
        Assert.Equal("application/pdf", r.Content.Headers.ContentType!.MediaType);
        Assert.StartsWith("inline;", r.Content.Headers.ContentDisposition!.ToString());
        var pdf = await r.Content.ReadAsByteArrayAsync();

        using (var documento = UglyToad.PdfPig.PdfDocument.Open(pdf))
        {
            Assert.All(documento.GetPages(), pagina =>
            {
                Assert.Equal(595, pagina.Width, 0);
                Assert.Equal(842, pagina.Height, 0);
            });
        }

        var paginas = TextoPdf.Paginas(pdf);
        Assert.True(paginas.Count >= 2, "El cumplimiento de 1.1 ocupa más de una página");
        Assert.Contains($"Página 1 de {paginas.Count}", paginas[0].Texto);
        var continuo = TextoPdf.Continuo(paginas, "Recomendación Compromiso Cumplimiento");
        EnOrden(continuo, EncabezadoDeLaSemilla.Append("Recomendación Compromiso Cumplimiento").Concat(HechosDeLaSemilla()).Select(TextoPdf.Normalizar));
        Assert.Contains("Observación: Calificación: Cancelado (31-12-2011) Medios de Verificación: Documento Marco Marco Lógico mejorado", continuo);
    }

    [Fact]
    public async Task Los_mismos_datos_dan_los_mismos_bytes()
    {
        var id = await CargarDemoAsync();

        foreach (var formato in new[] { "json", "texto", "html", "pdf" })
        {
            var ruta = $"/api/v1/programas/{id}/informe?formato={formato}&alCorte=2011-12-31";
            var primera = await (await PedirAsync(ruta)).Content.ReadAsByteArrayAsync();
            var segunda = await (await PedirAsync(ruta)).Content.ReadAsByteArrayAsync();
            Assert.True(primera.Length > 1000, formato);
            Assert.True(primera.SequenceEqual(segunda), $"{formato}: dos llamadas dieron bytes distintos");
        }
    }

    [Fact]
    public async Task Cada_formato_tiene_su_operacion_con_los_mismos_bytes_que_formato()
    {
        var id = await CargarDemoAsync();
        foreach (var (formato, tipo) in new[] { ("texto", "text/plain"), ("html", "text/html"), ("pdf", "application/pdf") })
        {
            var propia = await PedirAsync($"/api/v1/programas/{id}/informe/{formato}?alCorte=2011-12-31");
            Assert.Equal(System.Net.HttpStatusCode.OK, propia.StatusCode);
            Assert.Equal(tipo, propia.Content.Headers.ContentType!.MediaType);
            var porParametro = await PedirAsync($"/api/v1/programas/{id}/informe?formato={formato}&alCorte=2011-12-31");
            var esperado = await porParametro.Content.ReadAsByteArrayAsync();
            Assert.Equal(esperado, await propia.Content.ReadAsByteArrayAsync());
        }

        // The path names the format: Accept plays no part (a generated client may send its own).
        var pdf = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/programas/{id}/informe/pdf");
        pdf.Headers.Accept.ParseAdd("application/octet-stream");
        var r = await Cliente.SendAsync(pdf);
        Assert.Equal("application/pdf", r.Content.Headers.ContentType!.MediaType);
        Assert.Equal("inline", r.Content.Headers.ContentDisposition!.DispositionType);
        var bytes = await r.Content.ReadAsByteArrayAsync();
        Assert.Equal("%PDF-", System.Text.Encoding.ASCII.GetString(bytes, 0, 5));
        await Problemas.AfirmarAsync(await Cliente.GetAsync("/api/v1/programas/999999/informe/pdf"), System.Net.HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData(null, "application/json")]
    [InlineData("*/*", "application/json")]
    [InlineData("application/json", "application/json")]
    [InlineData("text/plain", "text/plain")]
    [InlineData("text/plain; charset=utf-8", "text/plain")]
    [InlineData("text/*", "text/plain")]
    [InlineData("text/html", "text/html")]
    [InlineData("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "text/html")]
    [InlineData("application/pdf", "application/pdf")]
    [InlineData("text/html;q=0.5, application/pdf", "application/pdf")]
    [InlineData("application/json;q=0, */*", "text/plain")]
    public async Task Accept_elige_la_representacion(string? accept, string esperado)
    {
        var (p, _, _) = await Escenario.CompromisoPendienteAsync();

        var r = await PedirAsync($"/api/v1/programas/{p}/informe", accept);

        await Escenario.Esperar(r, HttpStatusCode.OK);
        Assert.Equal(esperado, r.Content.Headers.ContentType!.MediaType);
        Assert.Contains("Accept", r.Headers.Vary);
    }

    [Theory]
    [InlineData("json", "application/json")]
    [InlineData("texto", "text/plain")]
    [InlineData("html", "text/html")]
    [InlineData("pdf", "application/pdf")]
    public async Task Formato_manda_sobre_Accept(string formato, string esperado)
    {
        var (p, _, _) = await Escenario.CompromisoPendienteAsync();

        var r = await PedirAsync($"/api/v1/programas/{p}/informe?formato={formato}", "image/png");

        await Escenario.Esperar(r, HttpStatusCode.OK);
        Assert.Equal(esperado, r.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task Errores_404_406_y_400()
    {
        var (p, _, _) = await Escenario.CompromisoPendienteAsync();

        await Problemas.AfirmarAsync(await PedirAsync("/api/v1/programas/999999/informe"), HttpStatusCode.NotFound, "urn:compromisos:no-encontrado");
        await Problemas.AfirmarAsync(await PedirAsync("/api/v1/programas/999999/informe", "application/pdf"), HttpStatusCode.NotFound);
        var noAceptable = await Problemas.AfirmarAsync(await PedirAsync($"/api/v1/programas/{p}/informe", "image/png"),
            HttpStatusCode.NotAcceptable, "urn:compromisos:no-aceptable");
        Assert.Contains("application/pdf", noAceptable["disponibles"]!.AsArray().Select(x => (string)x!));
        await Problemas.AfirmarAsync(await PedirAsync($"/api/v1/programas/{p}/informe", "text/html;q=0, application/*;q=0"), HttpStatusCode.NotAcceptable);
        await Problemas.Validacion(await PedirAsync($"/api/v1/programas/{p}/informe?formato=xml"), "formato");
        await Problemas.Validacion(await PedirAsync($"/api/v1/programas/{p}/informe?formato=PDF"), "formato");
        await Problemas.Validacion(await PedirAsync($"/api/v1/programas/{p}/informe?alCorte=31-12-2009"), "alCorte");
        await Problemas.Validacion(await PedirAsync($"/api/v1/programas/{p}/informe?alCorte=2009-13-01"), "alCorte");
        await Problemas.Validacion(await PedirAsync($"/api/v1/programas/{p}/informe?alCorte=1900-01-01"), "alCorte");
    }

    [Fact]
    public async Task Se_lee_con_un_numero_fijo_de_consultas()
    {
        var demo = await CargarDemoAsync();
        var chico = await Escenario.ProgramaAsync(await Escenario.ServicioAsync("Ministerio de Hacienda", "Dirección de Presupuestos"));
        await Escenario.CompromisoAsync(await Escenario.RecomendacionAsync(chico));

        async Task<int> ConsultasAsync(int programa)
        {
            using var contador = new ContadorDeConsultas(Factory.BaseDeDatos);
            await TextoAsync($"/api/v1/programas/{programa}/informe?alCorte=2011-12-31", "application/json");
            return contador.Consultas;
        }

        var conCinco = await ConsultasAsync(demo);
        var conUno = await ConsultasAsync(chico);

        Assert.Equal(conUno, conCinco);
        Assert.InRange(conCinco, 1, 6);
    }

    [Fact]
    public async Task Sin_alCorte_el_corte_es_hoy_en_Chile()
    {
        var (p, _, _) = await Escenario.CompromisoPendienteAsync();
        var chile = TimeZoneInfo.FindSystemTimeZoneById("America/Santiago");
        var antes = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, chile).DateTime);

        var informe = await Escenario.LeerAsync($"/api/v1/programas/{p}/informe");

        var despues = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, chile).DateTime);
        Assert.Contains(DateOnly.Parse((string)informe["alCorte"]!, CultureInfo.InvariantCulture), new[] { antes, despues });
        Assert.Equal("INFORME DE SEGUIMIENTO DEL SISTEMA DE CUMPLIMIENTO DE COMPROMISOS", (string?)informe["titulo"]);
        Assert.Contains("Fecha Corte: " + antes.ToString("dd-MM-yyyy", CultureInfo.InvariantCulture),
            await TextoAsync($"/api/v1/programas/{p}/informe?alCorte={antes:yyyy-MM-dd}"));
    }

    [Fact]
    public async Task El_utf8_del_texto_no_lleva_BOM()
    {
        var (p, _, _) = await Escenario.CompromisoPendienteAsync();
        var bytes = await (await PedirAsync($"/api/v1/programas/{p}/informe?formato=texto")).Content.ReadAsByteArrayAsync();
        Assert.Equal("INFORME", Encoding.ASCII.GetString(bytes, 0, 7));
    }
}
