using System.Net;
using System.Text;
using AngleSharp.Html.Parser;
using CompromisosApi.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace CompromisosApi.IntegrationTests;

/// <summary>The Informe's representations (HTML, PDF, text, JSON): how each is chosen, what each holds, stable bytes.</summary>
public sealed class InformeFormatosTests(ApiFactory factory) : PruebaDeInforme(factory)
{
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
    public async Task El_utf8_del_texto_no_lleva_BOM()
    {
        var (p, _, _) = await Escenario.CompromisoPendienteAsync();
        var bytes = await (await PedirAsync($"/api/v1/programas/{p}/informe?formato=texto")).Content.ReadAsByteArrayAsync();
        Assert.Equal("INFORME", Encoding.ASCII.GetString(bytes, 0, 7));
    }
}
