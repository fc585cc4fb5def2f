using System.Net;
using System.Net.Http.Json;
using CompromisosApi.IntegrationTests.Infrastructure;

namespace CompromisosApi.IntegrationTests;

/// <summary>A round's request as a whole: malformed input, its size limit, and Idempotency-Key.</summary>
public sealed class RondasDeCorteEntradaTests(ApiFactory factory) : PruebaDeRondasDeCorte(factory)
{
    [Fact]
    public async Task Entrada_mal_formada_es_400_con_la_ruta_de_cada_problema()
    {
        var ids = await CompromisosAsync(3);

        await Problemas.Validacion(await CalificarCorteAsync(Cliente, []), "calificaciones");
        var p = await Problemas.Validacion(await CalificarCorteAsync(Cliente, [Cal(ids[0], "Cumplido"), Cal(ids[1], "Cumplido"), Cal(ids[0], "NoCumplido"), Cal(ids[1], "NoCumplido")]),
            "calificaciones[2].compromisoId");
        Assert.True(p["errors"]!.AsObject().ContainsKey("calificaciones[3].compromisoId"));
        Assert.False(p["errors"]!.AsObject().ContainsKey("calificaciones[0].compromisoId"));
        await Problemas.Validacion(await CalificarCorteAsync(Cliente, [Cal(ids[0], "Cumplido"), Cal(ids[1], "Excelente")]), "calificaciones[1].calificacion");
        await Problemas.Validacion(await CalificarCorteAsync(Cliente, [Cal(0, "Cumplido")]), "calificaciones[0].compromisoId");
        await Problemas.Validacion(await CalificarCorteAsync(Cliente, [Cal(ids[0], "Cumplido", new string('x', 20_001))]), "calificaciones[0].observacion");
        await Problemas.Validacion(await Cliente.PostAsJsonAsync($"/api/v1/cortes/{Corte}/calificaciones",
            new { calificaciones = new object?[] { Cal(ids[0], "Cumplido"), null } }), "calificaciones[1]");
        await Problemas.Validacion(await Cliente.PostAsJsonAsync($"/api/v1/cortes/{Corte}/calificaciones",
            new { calificaciones = new[] { new { compromisoId = ids[0], calificacion = "Cumplido", fecha = Corte } } }), "calificaciones[0].fecha");

        // {fecha}: a corte of the calendar, written yyyy-MM-dd, that has come (for calificaciones).
        foreach (var fecha in new[] { "2009-12-30", "31-12-2009", "2009-12-31T00:00:00", "20091231", $"{DateTime.UtcNow.Year + 1}-12-31" })
        {
            await Problemas.Validacion(await CalificarCorteAsync(Cliente, [Cal(ids[0], "Cumplido")], fecha), "fecha");
            await Problemas.Validacion(await ReportarCorteAsync(Cliente, [Rep(ids[0], "Avance")], fecha), "fecha");
        }

        await Problemas.Validacion(await ReportarCorteAsync(Cliente, [Rep(ids[0], "  \n ")]), "reportes[0].texto");
        await Problemas.Validacion(await ReportarCorteAsync(Cliente, [Rep(ids[0], "a"), Rep(ids[0], "b")]), "reportes[1].compromisoId");
        Assert.Equal(0, await ContarAsync("SELECT count(*) FROM calificaciones"));
        Assert.Equal(0, await ContarAsync("SELECT count(*) FROM reportes_cumplimiento"));
    }

    [Fact]
    public async Task Quinientos_elementos_pasan_y_quinientos_uno_son_400()
    {
        object[] Compromisos(int recomendacion, int cantidad) => Enumerable.Range(1, cantidad).Select(i => (object)new
        {
            numero = $"{recomendacion}.{i}", texto = $"Compromiso {i}", fechaVencimiento = "2009-12",
            reportes = Array.Empty<object>(), mediosVerificacion = Array.Empty<object>(), calificaciones = Array.Empty<object>(),
        }).ToArray();
        var documento = new
        {
            ministerio = "Ministerio de Prueba", servicio = new { nombre = "Servicio de Prueba", sigla = "SP" },
            programa = new { nombre = "Programa de 501 compromisos", anioEvaluacion = 2007, lineaEvaluacion = "EPG" },
            recomendaciones = new[]
            {
                new { numero = 1, texto = "Recomendación", compromisos = Compromisos(1, 500) },
                new { numero = 2, texto = "Otra", compromisos = Compromisos(2, 1) },
            },
        };
        var importado = await Cliente.PostAsJsonAsync("/api/v1/importaciones", documento);
        await Escenario.Esperar(importado, HttpStatusCode.Created);
        var programa = (int)(await CuerpoAsync(importado))["programaId"]!;
        var ids = new List<int>();
        for (string? cursor = null; ;)
        {
            var pagina = await Escenario.LeerAsync($"/api/v1/compromisos?programaId={programa}&limit=200" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor)));
            ids.AddRange(pagina["items"]!.AsArray().Select(x => (int)x!["id"]!));
            if ((cursor = (string?)pagina["nextCursor"]) is null) break;
        }

        Assert.Equal(501, ids.Count);
        await Problemas.Validacion(await CalificarCorteAsync(Cliente, ids.Select(id => Cal(id, "Cumplido")).ToArray()), "calificaciones");
        await Problemas.Validacion(await ReportarCorteAsync(Cliente, ids.Select(id => Rep(id, "Avance")).ToArray()), "reportes");
        Assert.Equal(0, await ContarAsync("SELECT count(*) FROM calificaciones"));

        var auditoriaAntes = await UltimaAuditoriaAsync();
        var r = await CalificarCorteAsync(Cliente, ids.Take(500).Select(id => Cal(id, "Cumplido")).ToArray());
        await Escenario.Esperar(r, HttpStatusCode.Created);
        Assert.Equal(ids.Take(500), (await CuerpoAsync(r))["items"]!.AsArray().Select(x => (int)x!["compromisoId"]!));
        Assert.Equal(500, await ContarAsync("SELECT count(*) FROM calificaciones"));
        Assert.Equal(500, (await AuditoriaDesdeAsync(auditoriaAntes)).Count(e => e.Operacion == "CalificarCorte"));
        Assert.Equal(500, await ContarAsync("SELECT count(*) FROM eventos WHERE tipo = 'compromiso.calificado'"));
        await Escenario.Esperar(await ReportarCorteAsync(Cliente, ids.Take(500).Select(id => Rep(id, "Avance")).ToArray()), HttpStatusCode.Created);
        Assert.Equal(500, await ContarAsync("SELECT count(*) FROM reportes_cumplimiento"));
    }

    [Fact]
    public async Task Con_Idempotency_Key_la_repeticion_devuelve_la_misma_respuesta_sin_escribir()
    {
        var ids = await CompromisosAsync(2);
        var clave = $"\"{Guid.NewGuid()}\"";
        var auditoriaAntes = await UltimaAuditoriaAsync();
        var ronda = new[] { Cal(ids[0], "Cumplido"), Cal(ids[1], "NoCumplido", "Sin avance.") };

        var primera = await CalificarCorteAsync(Cliente, ronda, clave: clave);
        var repetida = await CalificarCorteAsync(Cliente, ronda, clave: clave);

        await Escenario.Esperar(primera, HttpStatusCode.Created);
        await Escenario.Esperar(repetida, HttpStatusCode.Created);
        Assert.Equal("true", repetida.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(await primera.Content.ReadAsByteArrayAsync(), await repetida.Content.ReadAsByteArrayAsync());
        Assert.Equal(2, await ContarAsync("SELECT count(*) FROM calificaciones"));
        Assert.Equal(2, (await AuditoriaDesdeAsync(auditoriaAntes)).Count);
        // The same key with another round: 422.
        await Problemas.AfirmarAsync(await CalificarCorteAsync(Cliente, [Cal(ids[0], "Cumplido")], clave: clave),
            HttpStatusCode.UnprocessableEntity, "urn:compromisos:idempotencia-reutilizada");

        var claveReportes = $"\"{Guid.NewGuid()}\"";
        var reportes = new[] { Rep(ids[0], "Avance"), Rep(ids[1], "Avance") };
        var r1 = await ReportarCorteAsync(Cliente, reportes, "2010-06-30", claveReportes);
        var r2 = await ReportarCorteAsync(Cliente, reportes, "2010-06-30", claveReportes);
        await Escenario.Esperar(r2, HttpStatusCode.Created);
        Assert.Equal(await r1.Content.ReadAsByteArrayAsync(), await r2.Content.ReadAsByteArrayAsync());
        Assert.Equal(2, await ContarAsync("SELECT count(*) FROM reportes_cumplimiento"));
    }
}
