using System.Net;
using System.Net.Http.Json;
using CompromisosApi.IntegrationTests.Infrastructure;
using CompromisosApi.Tests;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Npgsql;

namespace CompromisosApi.IntegrationTests;

/// <summary>What a servicio token can accumulate is bounded (issue 12): reportes, their text, medios and file bytes.</summary>
public sealed class CuotasTests(ApiFactory factory) : PruebaApi(factory)
{
    private const string Tipo = "urn:compromisos:cuota-excedida";

    private WebApplicationFactory<Program> ConCuotas(params (string Clave, string Valor)[] cuotas) =>
        Factory.WithWebHostBuilder(b =>
        {
            foreach (var (clave, valor) in cuotas) b.UseSetting($"Cuotas:{clave}", valor);
        });

    private static HttpClient ServicioDe(WebApplicationFactory<Program> host, int servicioId) =>
        host.CreateClient().Autenticar(Tokens.Crear($"encargado-{servicioId}", ["servicio"], servicioId));

    private static Task<HttpResponseMessage> ReportarAsync(HttpClient c, int compromiso, string texto, string corte = "2009-12-31") =>
        c.PostAsJsonAsync($"/api/v1/compromisos/{compromiso}/reportes", new { corte, texto });

    private static async Task AfirmarCuotaAsync(HttpResponseMessage r, string cuota, long limite)
    {
        var p = await Problemas.AfirmarAsync(r, HttpStatusCode.UnprocessableEntity, Tipo);
        Assert.Equal(cuota, (string?)p["cuota"]);
        Assert.Equal(limite, (long)p["limite"]!);
    }

    private async Task<long> ContarAsync(string sql)
    {
        await using var conexion = new NpgsqlConnection(Factory.ConnectionString);
        await conexion.OpenAsync();
        await using var c = new NpgsqlCommand(sql, conexion);
        return Convert.ToInt64(await c.ExecuteScalarAsync());
    }

    [Fact]
    public async Task Reportes_por_compromiso_y_corte()
    {
        using var host = ConCuotas(("ReportesPorCompromisoYCorte", "2"));
        var servicio = await Escenario.ServicioAsync();
        var r = await Escenario.RecomendacionAsync(await Escenario.ProgramaAsync(servicio));
        var c = (int)(await Escenario.CompromisoAsync(r))["id"]!;
        var otro = (int)(await Escenario.CompromisoAsync(r))["id"]!;
        using var cliente = ServicioDe(host, servicio);

        for (var i = 0; i < 2; i++) await Escenario.Esperar(await ReportarAsync(cliente, c, $"Avance {i}"), HttpStatusCode.Created);
        await AfirmarCuotaAsync(await ReportarAsync(cliente, c, "Uno más"), "reportesPorCompromisoYCorte", 2);
        // Another corte and another compromiso have their own count; the refused one wrote nothing.
        await Escenario.Esperar(await ReportarAsync(cliente, c, "Avance", "2010-06-30"), HttpStatusCode.Created);
        await Escenario.Esperar(await ReportarAsync(cliente, otro, "Avance"), HttpStatusCode.Created);
        Assert.Equal(2, await ContarAsync($"SELECT count(*) FROM reportes_cumplimiento WHERE compromiso_id = {c} AND corte = '2009-12-31'"));
    }

    [Fact]
    public async Task Concurrentes_no_sobrepasan_la_cuota()
    {
        using var host = ConCuotas(("ReportesPorCompromisoYCorte", "3"));
        var servicio = await Escenario.ServicioAsync();
        var c = (int)(await Escenario.CompromisoAsync(await Escenario.RecomendacionAsync(await Escenario.ProgramaAsync(servicio))))["id"]!;
        using var cliente = ServicioDe(host, servicio);

        var respuestas = await Task.WhenAll(Enumerable.Range(0, 12).Select(i => ReportarAsync(cliente, c, $"Avance {i}")));
        Assert.Equal(3, respuestas.Count(x => x.StatusCode == HttpStatusCode.Created));
        Assert.Equal(9, respuestas.Count(x => x.StatusCode == HttpStatusCode.UnprocessableEntity));
        Assert.Equal(3, await ContarAsync($"SELECT count(*) FROM reportes_cumplimiento WHERE compromiso_id = {c}"));
    }

    [Fact]
    public async Task Bytes_de_texto_por_servicio_y_corte_en_UTF_8()
    {
        using var host = ConCuotas(("BytesDeTextoPorServicioYCorte", "1000"));
        var servicio = await Escenario.ServicioAsync();
        var r = await Escenario.RecomendacionAsync(await Escenario.ProgramaAsync(servicio));
        var a = (int)(await Escenario.CompromisoAsync(r))["id"]!;
        var b = (int)(await Escenario.CompromisoAsync(r))["id"]!;
        var otroServicio = await Escenario.ServicioAsync("Ministerio de Salud", "Fondo Nacional de Salud");
        var ajeno = (int)(await Escenario.CompromisoAsync(await Escenario.RecomendacionAsync(await Escenario.ProgramaAsync(otroServicio))))["id"]!;
        using var cliente = ServicioDe(host, servicio);
        // 200 characters, 400 bytes: the quota counts bytes, across the servicio's compromisos.
        var texto = new string('ñ', 200);

        await Escenario.Esperar(await ReportarAsync(cliente, a, texto), HttpStatusCode.Created);
        await Escenario.Esperar(await ReportarAsync(cliente, b, texto), HttpStatusCode.Created);
        await AfirmarCuotaAsync(await ReportarAsync(cliente, a, texto), "bytesDeTextoPorServicioYCorte", 1000);
        await Escenario.Esperar(await ReportarAsync(cliente, b, new string('n', 200)), HttpStatusCode.Created);
        await Escenario.Esperar(await ReportarAsync(cliente, a, texto, "2010-06-30"), HttpStatusCode.Created);
        await Escenario.Esperar(await ReportarAsync(ServicioDe(host, otroServicio), ajeno, texto), HttpStatusCode.Created);
    }

    [Fact]
    public async Task Medios_por_compromiso_con_y_sin_archivo()
    {
        using var host = ConCuotas(("MediosPorCompromiso", "2"));
        var servicio = await Escenario.ServicioAsync();
        var c = (int)(await Escenario.CompromisoAsync(await Escenario.RecomendacionAsync(await Escenario.ProgramaAsync(servicio))))["id"]!;
        using var cliente = ServicioDe(host, servicio);
        var ruta = $"/api/v1/compromisos/{c}/medios-verificacion";

        await Escenario.Esperar(await cliente.PostAsJsonAsync(ruta, new { titulo = "Documento Marco", corte = "2009-12-31" }), HttpStatusCode.Created);
        await Escenario.Esperar(await Escenario.SubirArchivoAsync(cliente, c, Muestras.Pdf(2000)), HttpStatusCode.Created);
        await AfirmarCuotaAsync(await cliente.PostAsJsonAsync(ruta, new { titulo = "Marco Lógico", corte = "2009-12-31" }), "mediosPorCompromiso", 2);
        var almacenados = await ContarAsync("SELECT count(*) FROM archivos_evidencia");
        await AfirmarCuotaAsync(await Escenario.SubirArchivoAsync(cliente, c, Muestras.Pdf(2000, semilla: 3)), "mediosPorCompromiso", 2);
        // Refused before a byte of the file was stored.
        Assert.Equal(almacenados, await ContarAsync("SELECT count(*) FROM archivos_evidencia"));
    }

    [Fact]
    public async Task Bytes_de_archivos_por_servicio_y_corte()
    {
        using var host = ConCuotas(("BytesDeArchivosPorServicioYCorte", "5000"));
        var servicio = await Escenario.ServicioAsync();
        var r = await Escenario.RecomendacionAsync(await Escenario.ProgramaAsync(servicio));
        var a = (int)(await Escenario.CompromisoAsync(r))["id"]!;
        var b = (int)(await Escenario.CompromisoAsync(r))["id"]!;
        using var cliente = ServicioDe(host, servicio);

        await Escenario.Esperar(await Escenario.SubirArchivoAsync(cliente, a, Muestras.Pdf(3000)), HttpStatusCode.Created);
        await AfirmarCuotaAsync(await Escenario.SubirArchivoAsync(cliente, b, Muestras.Pdf(3000, semilla: 2)), "bytesDeArchivosPorServicioYCorte", 5000);
        await Escenario.Esperar(await Escenario.SubirArchivoAsync(cliente, b, Muestras.Pdf(2000, semilla: 3)), HttpStatusCode.Created);
        await Escenario.Esperar(await Escenario.SubirArchivoAsync(cliente, b, Muestras.Pdf(3000, semilla: 4), "2010-06-30"), HttpStatusCode.Created);
        Assert.Equal(2, await ContarAsync($"SELECT count(*) FROM medios_verificacion WHERE compromiso_id = {b}"));
    }

    /// <summary>Per-corte quotas only bound what accumulates if the cortes are those of the follow-up.</summary>
    [Fact]
    public async Task Solo_cortes_del_seguimiento_del_programa_hasta_el_proximo()
    {
        var servicio = await Escenario.ServicioAsync();
        var c = (int)(await Escenario.CompromisoAsync(await Escenario.RecomendacionAsync(await Escenario.ProgramaAsync(servicio, anio: 2007))))["id"]!;
        using var cliente = ServicioDe(Factory, servicio);
        var ruta = $"/api/v1/compromisos/{c}/medios-verificacion";
        var lejano = $"{DateTime.UtcNow.Year + 1}-12-31";

        await Problemas.Validacion(await ReportarAsync(cliente, c, "Avance", lejano), "corte");
        await Problemas.Validacion(await ReportarAsync(cliente, c, "Avance", "2006-12-31"), "corte");
        await Problemas.Validacion(await cliente.PostAsJsonAsync(ruta, new { titulo = "Minuta", corte = lejano }), "corte");
        await Problemas.Validacion(await cliente.PostAsJsonAsync(ruta, new { titulo = "Minuta", corte = "2006-12-31" }), "corte");
        await Problemas.Validacion(await Escenario.SubirArchivoAsync(cliente, c, Muestras.Pdf(2000), lejano), "corte");
        await Problemas.Validacion(await Escenario.SubirArchivoAsync(cliente, c, Muestras.Pdf(2000), "2006-12-31"), "corte");
        Assert.Equal(0, await ContarAsync($"SELECT count(*) FROM reportes_cumplimiento WHERE compromiso_id = {c}")
            + await ContarAsync($"SELECT count(*) FROM medios_verificacion WHERE compromiso_id = {c}"));
        await Escenario.Esperar(await ReportarAsync(cliente, c, "Avance", "2007-06-30"), HttpStatusCode.Created);
    }
}
