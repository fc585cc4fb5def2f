using System.Net;
using System.Net.Http.Json;
using CompromisosApi.IntegrationTests.Infrastructure;

namespace CompromisosApi.IntegrationTests;

/// <summary>A round of calificaciones: applied in order with its audit and events, or not at all, also under concurrent writes.</summary>
public sealed class RondasDeCorteCalificacionesTests(ApiFactory factory) : PruebaDeRondasDeCorte(factory)
{
    [Fact]
    public async Task Ronda_de_calificaciones_registra_cada_una_en_orden_con_su_auditoria_y_su_evento()
    {
        var ids = await CompromisosAsync(3);
        var auditoriaAntes = await UltimaAuditoriaAsync();
        var eventosAntes = (await Feed.TodosAsync(ClienteAnonimo())).Count;

        // In the request's order, not the ids'.
        var orden = new[] { ids[2], ids[0], ids[1] };
        var r = await CalificarCorteAsync(Cliente, [Cal(orden[0], "Cumplido"), Cal(orden[1], "NoCumplido", "Idem compromiso 1.1."), Cal(orden[2], "ParcialmenteCumplido", "")]);

        await Escenario.Esperar(r, HttpStatusCode.Created);
        Assert.Null(r.Headers.Location);
        var items = (await CuerpoAsync(r))["items"]!.AsArray();
        Assert.Equal(orden, items.Select(x => (int)x!["compromisoId"]!));
        Assert.Equal(["Cumplido", "NoCumplido", "ParcialmenteCumplido"], items.Select(x => (string)x!["calificacion"]!));
        Assert.All(items, x => Assert.Equal(Corte, (string?)x!["fecha"]));
        Assert.Equal("Idem compromiso 1.1.", (string?)items[1]!["observacion"]);
        Assert.Equal("", (string?)items[2]!["observacion"]);
        foreach (var x in items)
        {
            var id = (int)x!["compromisoId"]!;
            var leida = await Escenario.LeerAsync($"/api/v1/compromisos/{id}/calificaciones/{(long)x["id"]!}");
            Assert.Equal((string?)x["calificacion"], (string?)leida["calificacion"]);
            Assert.Equal((string?)x["calificacion"], (string?)(await Escenario.LeerAsync($"/api/v1/compromisos/{id}"))["calificacion"]);
        }

        // As if sent one by one: one audit entry per item, about its compromiso, and one compromiso.calificado each, in order.
        var nuevas = await AuditoriaDesdeAsync(auditoriaAntes);
        Assert.Equal(orden.Select(i => ("CalificarCorte", "Compromiso", i.ToString())), nuevas);
        var eventos = (await Feed.TodosAsync(ClienteAnonimo())).Skip(eventosAntes).ToList();
        Assert.Equal(3, eventos.Count);
        Assert.All(eventos, e => Assert.Equal("compromiso.calificado", (string?)e["type"]));
        Assert.Equal(items.Select(x => $"compromisos/{(int)x!["compromisoId"]!}/calificaciones/{(long)x["id"]!}"), eventos.Select(e => (string)e["subject"]!));
    }

    [Fact]
    public async Task Un_elemento_que_falla_no_deja_escribir_nada_y_cada_uno_que_falla_se_lista_con_su_problema()
    {
        var ids = await CompromisosAsync(6);
        await Escenario.CalificarOkAsync(ids[1], "Cumplido", "2009-06-30");
        await Escenario.CalificarOkAsync(ids[3], "NoCumplido", "2010-06-30");
        var calificacionesAntes = await ContarAsync("SELECT count(*) FROM calificaciones");
        var auditoriaAntes = await UltimaAuditoriaAsync();
        var eventosAntes = await ContarAsync("SELECT count(*) FROM eventos");

        var r = await CalificarCorteAsync(Cliente,
        [
            Cal(ids[0], "Cumplido"),
            Cal(ids[1], "NoCumplido", "final ya"),
            Cal(999_999, "Cumplido"),
            Cal(ids[2], "Cancelado"),
            Cal(ids[3], "Cumplido"),
            Cal(ids[4], "Pendiente"),
            Cal(ids[5], "Cancelado", "El programa se discontinuó."),
        ]);

        // The least status of the items: the 404 of the unknown compromiso.
        var p = await AfirmarRechazoAsync(r, HttpStatusCode.NotFound, "calificaciones",
            (1, ids[1], 409, "urn:compromisos:regla:calificacion-final"),
            (2, 999_999, 404, "urn:compromisos:no-encontrado"),
            (3, ids[2], 409, "urn:compromisos:regla:cancelado-requiere-motivo"),
            (4, ids[3], 409, "urn:compromisos:regla:fecha-calificacion-anterior"),
            (5, ids[4], 409, "urn:compromisos:regla:sin-retorno-a-pendiente"));
        Assert.Null(p["errors"]);
        Assert.Equal(calificacionesAntes, await ContarAsync("SELECT count(*) FROM calificaciones"));
        Assert.Empty(await AuditoriaDesdeAsync(auditoriaAntes));
        Assert.Equal(eventosAntes, await ContarAsync("SELECT count(*) FROM eventos"));
        Assert.Equal("Pendiente", (string?)(await Escenario.LeerAsync($"/api/v1/compromisos/{ids[0]}"))["calificacion"]);
        Assert.Equal("Pendiente", (string?)(await Escenario.LeerAsync($"/api/v1/compromisos/{ids[5]}"))["calificacion"]);

        // Without the unknown one the round answers 409, the status its other failures share.
        await AfirmarRechazoAsync(await CalificarCorteAsync(Cliente, [Cal(ids[0], "Cumplido"), Cal(ids[1], "NoCumplido")]),
            HttpStatusCode.Conflict, "calificaciones", (1, ids[1], 409, "urn:compromisos:regla:calificacion-final"));

        // Fixed, the same round goes through.
        await Escenario.Esperar(await CalificarCorteAsync(Cliente, [Cal(ids[0], "Cumplido"), Cal(ids[5], "Cancelado", "El programa se discontinuó.")]),
            HttpStatusCode.Created);
    }

    [Fact]
    public async Task Un_programa_egresado_rechaza_sus_elementos_con_programa_egresado()
    {
        var egresado = await CompromisoEgresadoAsync();
        var abierto = (await CompromisosAsync(1))[0];

        await AfirmarRechazoAsync(await CalificarCorteAsync(Cliente, [Cal(abierto, "Cumplido"), Cal(egresado, "Cumplido")]),
            HttpStatusCode.Conflict, "calificaciones", (1, egresado, 409, "urn:compromisos:regla:programa-egresado"));
        Assert.Equal("Pendiente", (string?)(await Escenario.LeerAsync($"/api/v1/compromisos/{abierto}"))["calificacion"]);
    }

    [Fact]
    public async Task Cancelado_sin_observacion_vale_con_un_reporte_del_mismo_corte_registrado_antes_tambien_por_ronda()
    {
        var servicio = await Escenario.ServicioAsync();
        var ids = await CompromisosAsync(2, servicio);
        using var encargado = ClienteCon("encargado", ["servicio"], servicio);
        await Escenario.Esperar(await ReportarCorteAsync(encargado, [Rep(ids[0], "El programa no tuvo presupuesto y se discontinuó.")]), HttpStatusCode.Created);
        // Another corte's reporte is no reason for this one.
        await Escenario.Esperar(await ReportarCorteAsync(encargado, [Rep(ids[1], "Sin presupuesto.")], "2010-06-30"), HttpStatusCode.Created);

        await AfirmarRechazoAsync(await CalificarCorteAsync(Cliente, [Cal(ids[0], "Cancelado"), Cal(ids[1], "Cancelado")]),
            HttpStatusCode.Conflict, "calificaciones", (1, ids[1], 409, "urn:compromisos:regla:cancelado-requiere-motivo"));
        await Escenario.Esperar(await CalificarCorteAsync(Cliente, [Cal(ids[0], "Cancelado")]), HttpStatusCode.Created);
    }

    [Fact]
    public async Task Bajo_calificaciones_individuales_simultaneas_no_hay_actualizaciones_perdidas_ni_rondas_a_medias()
    {
        var ids = await CompromisosAsync(12);
        using var otro = ClienteCon("beto", ["analista"]);
        for (var vuelta = 0; vuelta < 3; vuelta++)
        {
            // Both kinds of writes keep the compromisos open (and at the same corte), so every one of them can succeed in
            // any order: each compromiso must end with every registered calificación in its history and the last one
            // registered as its current calificación.
            var fecha = vuelta == 0 ? "2009-12-31" : vuelta == 1 ? "2010-06-30" : "2010-12-31";
            var ronda = CalificarCorteAsync(Cliente, ids.Select(id => Cal(id, "NoCumplido", $"ronda {vuelta}")).ToArray(), fecha);
            // A second round over the same compromisos in the opposite order: rows are locked by id, not by the request's order.
            var inversa = CalificarCorteAsync(otro, ids.AsEnumerable().Reverse().Select(id => Cal(id, "ParcialmenteCumplido", $"inversa {vuelta}")).ToArray(), fecha);
            var individuales = ids.AsEnumerable().Reverse().Select(id => otro.PostAsJsonAsync($"/api/v1/compromisos/{id}/calificaciones",
                new { calificacion = "ParcialmenteCumplido", fecha, observacion = $"individual {vuelta}" })).ToList();
            var respuestas = await Task.WhenAll(individuales.Append(ronda).Append(inversa));
            foreach (var r in respuestas) await Escenario.Esperar(r, HttpStatusCode.Created);
        }

        foreach (var id in ids)
        {
            var historial = (await Escenario.LeerAsync($"/api/v1/compromisos/{id}/calificaciones?limit=200"))["items"]!.AsArray();
            Assert.Equal(9, historial.Count);
            var ultima = historial.MaxBy(x => (long)x!["id"]!)!;
            var actual = await Escenario.LeerAsync($"/api/v1/compromisos/{id}");
            Assert.Equal((string?)ultima["calificacion"], (string?)actual["calificacion"]);
            Assert.Equal((string?)ultima["fecha"], (string?)actual["fechaCalificacion"]);
        }

        // Each round is whole: its calificaciones are all there, one per compromiso.
        Assert.Equal(3 * ids.Count, await ContarAsync("SELECT count(*) FROM calificaciones WHERE observacion LIKE 'ronda %'"));
        Assert.Equal(3 * ids.Count, await ContarAsync("SELECT count(*) FROM calificaciones WHERE observacion LIKE 'inversa %'"));
    }

    [Fact]
    public async Task Una_ronda_que_choca_con_calificaciones_finales_simultaneas_se_aplica_entera_o_no_se_aplica()
    {
        for (var vuelta = 0; vuelta < 4; vuelta++)
        {
            var ids = await CompromisosAsync(8);
            using var otro = ClienteCon("beto", ["analista"]);
            var ronda = CalificarCorteAsync(Cliente, ids.Select(id => Cal(id, "NoCumplido", "ronda")).ToArray());
            // Cumplido is final: a single that comes first makes the round's item for it fail, and then the whole round.
            var individuales = ids.Where((_, i) => i % 3 == vuelta % 3).Select(id => otro.PostAsJsonAsync($"/api/v1/compromisos/{id}/calificaciones",
                new { calificacion = "Cumplido", fecha = Corte })).ToList();
            var respuestaRonda = await ronda;
            var respuestas = await Task.WhenAll(individuales);
            Assert.True(respuestaRonda.StatusCode is HttpStatusCode.Created or HttpStatusCode.Conflict, await respuestaRonda.Content.ReadAsStringAsync());
            Assert.All(respuestas, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
            var deLaRonda = await ContarAsync($"SELECT count(*) FROM calificaciones WHERE observacion = 'ronda' AND compromiso_id = ANY(ARRAY[{string.Join(",", ids)}])");
            Assert.Equal(respuestaRonda.StatusCode == HttpStatusCode.Created ? ids.Count : 0, deLaRonda);
            if (respuestaRonda.StatusCode == HttpStatusCode.Conflict)
            {
                var p = await Problemas.AfirmarAsync(respuestaRonda, HttpStatusCode.Conflict, Rechazada);
                Assert.All(p["items"]!.AsArray(), x => Assert.Equal("urn:compromisos:regla:calificacion-final", (string?)x!["type"]));
            }
        }
    }
}
