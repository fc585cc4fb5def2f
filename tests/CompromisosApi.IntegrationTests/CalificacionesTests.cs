using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CompromisosApi.IntegrationTests.Infrastructure;

namespace CompromisosApi.IntegrationTests;

public sealed class CalificacionesTests(ApiFactory factory) : PruebaApi(factory)
{
    // The whole transition table is the unit test CompromisoTests.Tabla_de_transiciones (every pair, allowed or refused
    // with its rule). Over HTTP, what it can't see: each calificación as JSON reaching the rule, stored and read back
    // (each value as destination once, each non-final one as the stored origin once), the 201 with its Location, and
    // each rule's refusal as its 409 problem type with nothing written.
    public static TheoryData<string, string> TransicionesPermitidas() => new()
    {
        { "Pendiente", "Cumplido" },
        { "Pendiente", "NoCumplido" },
        { "ParcialmenteCumplido", "Cancelado" },
        { "NoCumplido", "ParcialmenteCumplido" },
    };

    [Theory]
    [MemberData(nameof(TransicionesPermitidas))]
    public async Task Transicion_permitida_queda_registrada_y_vigente(string desde, string hacia)
    {
        var (_, _, id) = await Escenario.CompromisoPendienteAsync();
        if (desde != "Pendiente") await Escenario.CalificarOkAsync(id, desde, "2009-06-30");

        var r = await Escenario.CalificarAsync(id, hacia, "2009-12-31", "motivo registrado");

        await Escenario.Esperar(r, HttpStatusCode.Created);
        Assert.Equal($"/api/v1/compromisos/{id}/calificaciones/{(long)(await r.Content.ReadFromJsonAsync<JsonObject>())!["id"]!}", r.Headers.Location!.ToString());
        var c = await Escenario.LeerAsync($"/api/v1/compromisos/{id}");
        Assert.Equal(hacia, (string?)c["calificacion"]);
        Assert.Equal("2009-12-31", (string?)c["fechaCalificacion"]);
    }

    [Theory]
    [InlineData("Cumplido", "Cancelado")]
    [InlineData("Cancelado", "Cumplido")]
    public async Task Cumplido_y_Cancelado_son_finales(string final, string hacia)
    {
        var (_, _, id) = await Escenario.CompromisoPendienteAsync();
        await Escenario.CalificarOkAsync(id, final, "2009-12-31", "motivo");

        await Problemas.Regla(await Escenario.CalificarAsync(id, hacia, "2010-12-31", "otro"), "calificacion-final");

        var c = await Escenario.LeerAsync($"/api/v1/compromisos/{id}");
        Assert.Equal(final, (string?)c["calificacion"]);
        Assert.Single((await Escenario.LeerAsync($"/api/v1/compromisos/{id}/calificaciones"))["items"]!.AsArray());
    }

    [Theory]
    [InlineData("ParcialmenteCumplido")]
    public async Task Nada_vuelve_a_Pendiente(string? previa)
    {
        var (_, _, id) = await Escenario.CompromisoPendienteAsync();
        if (previa is not null) await Escenario.CalificarOkAsync(id, previa, "2009-06-30");

        await Problemas.Regla(await Escenario.CalificarAsync(id, "Pendiente", "2009-12-31"), "sin-retorno-a-pendiente");
    }

    [Fact]
    public async Task Una_fecha_anterior_a_la_calificacion_previa_se_rechaza_y_la_misma_fecha_no()
    {
        var (_, _, id) = await Escenario.CompromisoPendienteAsync();
        await Escenario.CalificarOkAsync(id, "NoCumplido", "2010-06-30");

        await Problemas.Regla(await Escenario.CalificarAsync(id, "Cumplido", "2009-12-31"), "fecha-calificacion-anterior");
        await Escenario.CalificarOkAsync(id, "ParcialmenteCumplido", "2010-06-30");
        await Escenario.CalificarOkAsync(id, "Cumplido", "2010-12-31");
    }

    [Fact]
    public async Task Cancelado_sin_motivo_se_rechaza()
    {
        var (_, _, id) = await Escenario.CompromisoPendienteAsync();

        await Problemas.Regla(await Escenario.CalificarAsync(id, "Cancelado", "2011-12-31"), "cancelado-requiere-motivo");
        await Problemas.Regla(await Escenario.CalificarAsync(id, "Cancelado", "2011-12-31", "   "), "cancelado-requiere-motivo");
        Assert.Equal("Pendiente", (string?)(await Escenario.LeerAsync($"/api/v1/compromisos/{id}"))["calificacion"]);
    }

    [Fact]
    public async Task Cancelado_con_el_motivo_en_el_reporte_del_mismo_corte_se_acepta_como_en_el_informe()
    {
        var (_, _, id) = await Escenario.CompromisoPendienteAsync();
        await Escenario.CrearAsync($"/api/v1/compromisos/{id}/reportes", new { corte = "2011-06-30", texto = "Reporte de otro corte." });
        await Problemas.Regla(await Escenario.CalificarAsync(id, "Cancelado", "2011-12-31"), "cancelado-requiere-motivo");

        await Escenario.CrearAsync($"/api/v1/compromisos/{id}/reportes",
            new { corte = "2011-12-31", texto = "Para el año 2012 no se han solicitado recursos en el presupuesto para su funcionamiento." });
        await Escenario.CalificarOkAsync(id, "Cancelado", "2011-12-31");

        var historial = (await Escenario.LeerAsync($"/api/v1/compromisos/{id}/calificaciones"))["items"]!.AsArray();
        Assert.Null((string?)historial.Single()!["observacion"]);
    }

    [Fact]
    public async Task El_historial_se_conserva_completo_y_en_orden()
    {
        var (_, _, id) = await Escenario.CompromisoPendienteAsync();
        await Escenario.CalificarOkAsync(id, "NoCumplido", "2009-12-31", "Sin avance.");
        await Escenario.CalificarOkAsync(id, "ParcialmenteCumplido", "2010-06-30");
        await Escenario.CalificarOkAsync(id, "Cumplido", "2010-12-31", "Idem compromiso 1.1.");

        var items = (await Escenario.LeerAsync($"/api/v1/compromisos/{id}/calificaciones"))["items"]!.AsArray();
        Assert.Equal(["NoCumplido", "ParcialmenteCumplido", "Cumplido"], items.Select(i => (string)i!["calificacion"]!));
        Assert.Equal(["2009-12-31", "2010-06-30", "2010-12-31"], items.Select(i => (string)i!["fecha"]!));
        Assert.Equal(["Sin avance.", null, "Idem compromiso 1.1."], items.Select(i => (string?)i!["observacion"]));

        var primera = (long)items[0]!["id"]!;
        var una = await Escenario.LeerAsync($"/api/v1/compromisos/{id}/calificaciones/{primera}");
        Assert.Equal("NoCumplido", (string?)una["calificacion"]);
    }

    [Fact]
    public async Task If_Match_obsoleto_en_una_calificacion_responde_412_y_no_escribe()
    {
        var (_, _, id) = await Escenario.CompromisoPendienteAsync();
        var (_, etag) = await Escenario.LeerConEtagAsync($"/api/v1/compromisos/{id}");
        await Escenario.CalificarOkAsync(id, "NoCumplido", "2009-12-31");

        var pedido = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/compromisos/{id}/calificaciones")
        {
            Content = JsonContent.Create(new { calificacion = "Cumplido", fecha = "2010-06-30" }),
        };
        pedido.Headers.TryAddWithoutValidation("If-Match", etag);
        await Problemas.AfirmarAsync(await Cliente.SendAsync(pedido), HttpStatusCode.PreconditionFailed, "urn:compromisos:version-obsoleta");

        var (_, actual) = await Escenario.LeerConEtagAsync($"/api/v1/compromisos/{id}");
        var bien = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/compromisos/{id}/calificaciones")
        {
            Content = JsonContent.Create(new { calificacion = "Cumplido", fecha = "2010-06-30" }),
        };
        bien.Headers.TryAddWithoutValidation("If-Match", actual);
        await Escenario.Esperar(await Cliente.SendAsync(bien), HttpStatusCode.Created);
        Assert.Equal(2, (await Escenario.LeerAsync($"/api/v1/compromisos/{id}/calificaciones"))["items"]!.AsArray().Count);
    }

    [Fact]
    public async Task Calificaciones_concurrentes_se_aplican_una_tras_otra()
    {
        var (_, _, id) = await Escenario.CompromisoPendienteAsync();

        var respuestas = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Escenario.CalificarAsync(id, "Cumplido", "2009-12-31")));

        Assert.Single(respuestas, r => r.StatusCode == HttpStatusCode.Created);
        foreach (var r in respuestas.Where(r => r.StatusCode != HttpStatusCode.Created))
            await Problemas.Regla(r, "calificacion-final");
        Assert.Single((await Escenario.LeerAsync($"/api/v1/compromisos/{id}/calificaciones"))["items"]!.AsArray());
    }
}
