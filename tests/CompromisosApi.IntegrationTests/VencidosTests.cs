using System.Net;
using System.Net.Http.Json;
using CompromisosApi.IntegrationTests.Infrastructure;

namespace CompromisosApi.IntegrationTests;

public sealed class VencidosTests(ApiFactory factory) : PruebaApi(factory)
{
    [Fact]
    public async Task Al_corte_vencen_los_abiertos_cuyo_mes_llego_y_no_los_finales_ni_los_futuros()
    {
        var p = await Escenario.ProgramaAsync();
        var r = await Escenario.RecomendacionAsync(p);
        var junio = (int)(await Escenario.CompromisoAsync(r, "2013-06"))["id"]!;
        var diciembre = (int)(await Escenario.CompromisoAsync(r, "2013-12"))["id"]!;
        var futuro = (int)(await Escenario.CompromisoAsync(r, "2014-06"))["id"]!;
        var cumplido = (int)(await Escenario.CompromisoAsync(r, "2013-06"))["id"]!;
        var cancelado = (int)(await Escenario.CompromisoAsync(r, "2012-12"))["id"]!;
        var parcial = (int)(await Escenario.CompromisoAsync(r, "2012-12"))["id"]!;
        await Escenario.CalificarOkAsync(cumplido, "Cumplido", "2013-06-30");
        await Escenario.CalificarOkAsync(cancelado, "Cancelado", "2013-06-30", "Se descontinuó.");
        await Escenario.CalificarOkAsync(parcial, "ParcialmenteCumplido", "2013-06-30");

        var vencidos = await Ids($"/api/v1/compromisos?programaId={p}&vencidos=true&alCorte=2013-12-31");
        var noVencidos = await Ids($"/api/v1/compromisos?programaId={p}&vencidos=false&alCorte=2013-12-31");

        Assert.Equal([junio, diciembre, parcial], vencidos);
        Assert.Equal([futuro, cumplido, cancelado], noVencidos);

        var todos = (await Escenario.LeerAsync($"/api/v1/compromisos?programaId={p}&alCorte=2013-12-31"))["items"]!.AsArray();
        Assert.Equal(vencidos, todos.Where(c => (bool)c!["vencido"]!).Select(c => (int)c!["id"]!).ToList());
        Assert.True((bool)(await Escenario.LeerAsync($"/api/v1/compromisos/{diciembre}?alCorte=2013-12-01"))["vencido"]!);
        Assert.False((bool)(await Escenario.LeerAsync($"/api/v1/compromisos/{diciembre}?alCorte=2013-11-30"))["vencido"]!);
        Assert.False((bool)(await Escenario.LeerAsync($"/api/v1/recomendaciones/{r}/compromisos?alCorte=2013-12-31"))["items"]![2]!["vencido"]!);
    }

    [Fact]
    public async Task Sin_alCorte_se_calcula_a_hoy()
    {
        var p = await Escenario.ProgramaAsync();
        var r = await Escenario.RecomendacionAsync(p);
        var pasado = (int)(await Escenario.CompromisoAsync(r, "2009-12"))["id"]!;
        await Escenario.CompromisoAsync(r, "2099-12");

        Assert.Equal([pasado], await Ids($"/api/v1/compromisos?programaId={p}&vencidos=true"));
    }

    [Fact]
    public async Task Filtros_por_servicio_ministerio_calificacion_y_rango_de_vencimiento()
    {
        var s1 = await Escenario.ServicioAsync("Ministerio de Agricultura", "INDAP");
        var s2 = await Escenario.ServicioAsync("Ministerio de Educación", "JUNAEB");
        var r1 = await Escenario.RecomendacionAsync(await Escenario.ProgramaAsync(s1));
        var r2 = await Escenario.RecomendacionAsync(await Escenario.ProgramaAsync(s2));
        var a = (int)(await Escenario.CompromisoAsync(r1, "2010-06"))["id"]!;
        var b = (int)(await Escenario.CompromisoAsync(r1, "2011-12"))["id"]!;
        var c = (int)(await Escenario.CompromisoAsync(r2, "2010-12"))["id"]!;
        await Escenario.CalificarOkAsync(b, "NoCumplido", "2011-12-31");
        var ministerio2 = (int)(await Escenario.LeerAsync($"/api/v1/servicios/{s2}"))["ministerioId"]!;

        Assert.Equal([a, b], await Ids($"/api/v1/compromisos?servicioId={s1}"));
        Assert.Equal([c], await Ids($"/api/v1/compromisos?ministerioId={ministerio2}"));
        Assert.Equal([b], await Ids("/api/v1/compromisos?calificacion=NoCumplido"));
        Assert.Equal([a, c], await Ids("/api/v1/compromisos?venceDesde=2010-01&venceHasta=2010-12"));
        Assert.Equal([c], await Ids("/api/v1/compromisos?venceDesde=2010-12&venceHasta=2010-12"));
    }

    [Fact]
    public async Task El_filtro_por_ministerio_sigue_al_programa_y_al_servicio_cuando_cambian()
    {
        // The list by ministerio reads a copy of the ministerio kept on each compromiso by the database: it must follow
        // a programa that moves to another servicio and a servicio that moves to another ministerio.
        var s1 = await Escenario.ServicioAsync("Ministerio de Agricultura", "INDAP");
        var s2 = await Escenario.ServicioAsync("Ministerio de Educación", "JUNAEB");
        var m1 = (int)(await Escenario.LeerAsync($"/api/v1/servicios/{s1}"))["ministerioId"]!;
        var m2 = (int)(await Escenario.LeerAsync($"/api/v1/servicios/{s2}"))["ministerioId"]!;
        var p = await Escenario.ProgramaAsync(s1);
        var c = (int)(await Escenario.CompromisoAsync(await Escenario.RecomendacionAsync(p)))["id"]!;
        Assert.Equal([c], await Ids($"/api/v1/compromisos?ministerioId={m1}&vencidos=true&alCorte=2013-12-31"));
        Assert.Empty(await Ids($"/api/v1/compromisos?ministerioId={m2}"));

        var (programa, etag) = await Escenario.LeerConEtagAsync($"/api/v1/programas/{p}");
        await Escenario.Esperar(await Cliente.SendAsync(new HttpRequestMessage(HttpMethod.Put, $"/api/v1/programas/{p}")
        {
            Headers = { { "If-Match", etag } },
            Content = JsonContent.Create(new { nombre = (string)programa["nombre"]!, servicioId = s2, anioEvaluacion = 2007, lineaEvaluacion = "EPG" }),
        }), HttpStatusCode.OK);
        Assert.Empty(await Ids($"/api/v1/compromisos?ministerioId={m1}"));
        Assert.Equal([c], await Ids($"/api/v1/compromisos?ministerioId={m2}&vencidos=true&alCorte=2013-12-31"));

        var (servicio, etagServicio) = await Escenario.LeerConEtagAsync($"/api/v1/servicios/{s2}");
        await Escenario.Esperar(await Cliente.SendAsync(new HttpRequestMessage(HttpMethod.Put, $"/api/v1/servicios/{s2}")
        {
            Headers = { { "If-Match", etagServicio } },
            Content = JsonContent.Create(new { nombre = (string)servicio["nombre"]!, sigla = (string?)servicio["sigla"], ministerioId = m1 }),
        }), HttpStatusCode.OK);
        Assert.Equal([c], await Ids($"/api/v1/compromisos?ministerioId={m1}"));
        Assert.Empty(await Ids($"/api/v1/compromisos?ministerioId={m2}"));
    }

    private async Task<List<int>> Ids(string ruta) =>
        (await Escenario.LeerAsync(ruta))["items"]!.AsArray().Select(c => (int)c!["id"]!).ToList();
}
