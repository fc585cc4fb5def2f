using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CompromisosApi.IntegrationTests.Infrastructure;

namespace CompromisosApi.IntegrationTests;

/// <summary>A servicio's round of reportes: verbatim texts, its own compromisos only, quotas and the evaluation year.</summary>
public sealed class RondasDeCorteReportesTests(ApiFactory factory) : PruebaDeRondasDeCorte(factory)
{
    [Fact]
    public async Task Ronda_de_reportes_de_un_servicio_guarda_los_textos_verbatim_con_su_auditoria_y_sus_eventos()
    {
        var servicio = await Escenario.ServicioAsync();
        var ids = await CompromisosAsync(2, servicio);
        using var encargado = ClienteCon("encargado", ["servicio"], servicio);
        var auditoriaAntes = await UltimaAuditoriaAsync();
        var textos = new[] { "  Primer párrafo.\r\n\r\nSegundo, con \"comillas\" y tildes: áéíóú ñ.  ", "Idem." };

        var r = await ReportarCorteAsync(encargado, [Rep(ids[1], textos[0]), Rep(ids[0], textos[1])]);

        await Escenario.Esperar(r, HttpStatusCode.Created);
        Assert.Null(r.Headers.Location);
        var items = (await CuerpoAsync(r))["items"]!.AsArray();
        Assert.Equal([ids[1], ids[0]], items.Select(x => (int)x!["compromisoId"]!));
        Assert.Equal(textos, items.Select(x => (string)x!["texto"]!));
        Assert.Equal(textos[0], (string?)(await Escenario.LeerAsync($"/api/v1/compromisos/{ids[1]}/reportes/{(long)items[0]!["id"]!}"))["texto"]);
        Assert.Equal(items.Select(x => ("RegistrarReportesDeCorte", "ReporteCumplimiento", ((long)x!["id"]!).ToString())), await AuditoriaDesdeAsync(auditoriaAntes));
        var eventos = (await Feed.TodosAsync(ClienteAnonimo())).Where(e => (string?)e["type"] == "reporte.registrado").ToList();
        Assert.Equal(items.Select(x => $"compromisos/{(int)x!["compromisoId"]!}/reportes/{(long)x["id"]!}"), eventos.Select(e => (string)e["subject"]!));
    }

    [Fact]
    public async Task Un_token_de_servicio_no_distingue_un_compromiso_ajeno_de_uno_inexistente()
    {
        var propio = await Escenario.ServicioAsync();
        var ajeno = await Escenario.ServicioAsync("Ministerio de Salud", "Fondo Nacional de Salud");
        var mios = await CompromisosAsync(2, propio);
        var otros = await CompromisosAsync(1, ajeno);
        using var encargado = ClienteCon("encargado", ["servicio"], propio);

        var conAjeno = await ReportarCorteAsync(encargado, [Rep(mios[0], "Avance"), Rep(otros[0], "Avance")]);
        var conInexistente = await ReportarCorteAsync(encargado, [Rep(mios[0], "Avance"), Rep(otros[0] + 1_000, "Avance")]);
        // An item that would fail for another reason doesn't tell either: the refusal comes before any other check.
        var deEgresado = await CompromisoEgresadoAsync();
        var conAjenoEgresado = await ReportarCorteAsync(encargado, [Rep(mios[0], "Avance"), Rep(deEgresado, "Avance")]);

        var cuerpos = new List<JsonObject>();
        foreach (var r in new[] { conAjeno, conInexistente, conAjenoEgresado })
        {
            var p = await Problemas.AfirmarAsync(r, HttpStatusCode.Forbidden, "urn:compromisos:prohibido");
            Assert.Null(p["items"]);
            Assert.DoesNotContain(otros[0].ToString(), (string?)p["detail"]);
            cuerpos.Add(p);
        }

        string Sin(JsonObject p) => new JsonObject(p.Where(kv => kv.Key is not ("traceId" or "instance")).Select(kv => KeyValuePair.Create(kv.Key, kv.Value?.DeepClone()))).ToJsonString();
        Assert.Equal(Sin(cuerpos[0]), Sin(cuerpos[1]));
        Assert.Equal(Sin(cuerpos[0]), Sin(cuerpos[2]));
        Assert.Equal(0, await ContarAsync("SELECT count(*) FROM reportes_cumplimiento"));

        // Its own compromisos go through; an analista may name any, and learns of an unknown one by its index (404).
        await Escenario.Esperar(await ReportarCorteAsync(encargado, [Rep(mios[0], "Avance"), Rep(mios[1], "Avance")]), HttpStatusCode.Created);
        await AfirmarRechazoAsync(await ReportarCorteAsync(Cliente, [Rep(otros[0], "Avance"), Rep(otros[0] + 1_000, "Avance")]),
            HttpStatusCode.NotFound, "reportes", (1, otros[0] + 1_000, 404, "urn:compromisos:no-encontrado"));
        // A servicio token can't qualify at all.
        await Problemas.AfirmarAsync(await CalificarCorteAsync(encargado, [Cal(mios[0], "Cumplido")]), HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Las_cuotas_cuentan_los_reportes_anteriores_de_la_ronda()
    {
        using var host = Factory.WithWebHostBuilder(b =>
        {
            b.UseSetting("Cuotas:ReportesPorCompromisoYCorte", "2");
            b.UseSetting("Cuotas:BytesDeTextoPorServicioYCorte", "1000");
        });
        var servicio = await Escenario.ServicioAsync();
        var ids = await CompromisosAsync(4, servicio);
        using var encargado = host.CreateClient().Autenticar(Tokens.Crear("encargado", ["servicio"], servicio));
        for (var i = 0; i < 2; i++)
            await Escenario.Esperar(await encargado.PostAsJsonAsync($"/api/v1/compromisos/{ids[0]}/reportes", new { corte = Corte, texto = "x" }), HttpStatusCode.Created);

        // 2 bytes already; 400 + 400 fit, the third 400 would pass 1000 only after them (each counted as if registered
        // one by one); ids[0] already has its 2 reportes for the corte.
        var cuatrocientos = new string('a', 400);
        var r = await ReportarCorteAsync(encargado, [Rep(ids[1], cuatrocientos), Rep(ids[0], "uno más"), Rep(ids[2], cuatrocientos), Rep(ids[3], cuatrocientos)]);
        var p = await AfirmarRechazoAsync(r, HttpStatusCode.UnprocessableEntity, "reportes",
            (1, ids[0], 422, "urn:compromisos:cuota-excedida"),
            (3, ids[3], 422, "urn:compromisos:cuota-excedida"));
        Assert.Contains("2 reportes", (string?)p["items"]![0]!["detail"]);
        Assert.Contains("802 bytes", (string?)p["items"]![1]!["detail"]);
        Assert.Equal(2, await ContarAsync("SELECT count(*) FROM reportes_cumplimiento"));

        await Escenario.Esperar(await ReportarCorteAsync(encargado, [Rep(ids[1], cuatrocientos), Rep(ids[2], cuatrocientos)]), HttpStatusCode.Created);
    }

    [Fact]
    public async Task Un_corte_anterior_al_anio_de_evaluacion_es_400_del_elemento_con_su_ruta()
    {
        var antiguos = await CompromisosAsync(1);
        var nuevos = await CompromisosAsync(1, anio: 2010);
        var egresado = await CompromisoEgresadoAsync();

        var r = await ReportarCorteAsync(Cliente, [Rep(antiguos[0], "Avance"), Rep(egresado, "Avance"), Rep(nuevos[0], "Avance")]);

        // 400 is the least status: errors names the failing items' paths as every 400 does, items has them all.
        var p = await AfirmarRechazoAsync(r, HttpStatusCode.BadRequest, "reportes",
            (1, egresado, 409, "urn:compromisos:regla:programa-egresado"),
            (2, nuevos[0], 400, "urn:compromisos:entrada-invalida"));
        Assert.Equal(["reportes[1]", "reportes[2]"], p["errors"]!.AsObject().Select(kv => kv.Key));
        Assert.Equal(0, await ContarAsync("SELECT count(*) FROM reportes_cumplimiento"));
    }
}
