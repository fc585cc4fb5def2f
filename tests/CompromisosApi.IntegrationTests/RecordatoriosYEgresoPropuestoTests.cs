using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using CompromisosApi.Features.Cortes;
using CompromisosApi.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace CompromisosApi.IntegrationTests;

/// <summary>corte.recordatorio, programa.egreso-propuesto and the file hashes in the informe.</summary>
public sealed class RecordatoriosYEgresoPropuestoTests(ApiFactory factory) : PruebaApi(factory)
{
    private async Task<List<JsonObject>> EventosAsync(string tipo) =>
        (await Feed.TodosAsync(Cliente)).Where(e => (string)e["type"]! == tipo).ToList();

    private static string Clave(JsonObject e) =>
        $"{e["data"]!["servicioId"]}/{e["data"]!["corte"]}/{e["data"]!["plazoReporte"]}/{e["data"]!["pendientes"]}";

    [Fact]
    public async Task Recuerda_una_vez_por_servicio_y_corte_a_los_servicios_con_pendientes_tambien_con_dos_instancias()
    {
        var sa = await Escenario.ServicioAsync("Ministerio A", "Servicio A");
        var m = await Escenario.CrearAsync("/api/v1/ministerios", new { nombre = "Ministerio B" });
        var sb = (int)(await Escenario.CrearAsync("/api/v1/servicios", new { nombre = "Servicio B", sigla = "SB", ministerioId = (int)m["id"]! }))["id"]!;
        await Escenario.CrearAsync("/api/v1/servicios", new { nombre = "Servicio C", sigla = "SC", ministerioId = (int)m["id"]! });

        // A: c1 due 2009-12; c2 due 2009-06 with a reporte for 2009-12-31; c3 due 2010-06.
        var ra = await Escenario.RecomendacionAsync(await Escenario.ProgramaAsync(sa, "Programa A"));
        await Escenario.CompromisoAsync(ra, "2009-12");
        var c2 = (int)(await Escenario.CompromisoAsync(ra, "2009-06"))["id"]!;
        await Escenario.CompromisoAsync(ra, "2010-06");
        await Escenario.CrearAsync($"/api/v1/compromisos/{c2}/reportes", new { corte = "2009-12-31", texto = "Avance" });
        // B: one due 2009-12 already Cumplido, one due 2010-06. C: no programa.
        var rb = await Escenario.RecomendacionAsync(await Escenario.ProgramaAsync(sb, "Programa B"));
        await Escenario.CalificarOkAsync((int)(await Escenario.CompromisoAsync(rb, "2009-12"))["id"]!, "Cumplido", "2009-12-31");
        await Escenario.CompromisoAsync(rb, "2010-06");

        await using var otra = Factory.WithWebHostBuilder(_ => { });
        var pases = new[] { Factory.Services.GetRequiredService<RecordatoriosDeCorte>(), otra.Services.GetRequiredService<RecordatoriosDeCorte>() };
        async Task<int> Pasar(DateOnly hoy) =>
            (await Task.WhenAll(pases[0].EjecutarAsync(hoy, default), pases[1].EjecutarAsync(hoy, default), pases[1].EjecutarAsync(hoy, default))).Sum()
            + await pases[0].EjecutarAsync(hoy, default) + await pases[1].EjecutarAsync(hoy, default);

        // Corte 2009-12-31, deadline 2010-01-15, reminders from 2010-01-10 (5 days before) to the deadline.
        Assert.Equal(0, await Pasar(new DateOnly(2010, 1, 9)));
        Assert.Equal(1, await Pasar(new DateOnly(2010, 1, 10)));
        Assert.Equal(0, await Pasar(new DateOnly(2010, 1, 15)));
        Assert.Equal(0, await Pasar(new DateOnly(2010, 1, 16)));
        Assert.Equal([$"{sa}/2009-12-31/2010-01-15/1"], (await EventosAsync("corte.recordatorio")).Select(Clave));

        // Corte 2009-06-30 (deadline 2009-07-15), a pass missed until the deadline itself: A has c2 pending.
        Assert.Equal(1, await Pasar(new DateOnly(2009, 7, 15)));
        // Corte 2010-06-30: A has all three pending, B the one due 2010-06.
        Assert.Equal(2, await Pasar(new DateOnly(2010, 7, 12)));
        var eventos = await EventosAsync("corte.recordatorio");
        Assert.Equal(
            [$"{sa}/2009-12-31/2010-01-15/1", $"{sa}/2009-06-30/2009-07-15/1", $"{sa}/2010-06-30/2010-07-15/3", $"{sb}/2010-06-30/2010-07-15/1"],
            eventos.Select(Clave));
        Assert.All(eventos, e =>
        {
            Assert.Equal("1.0", (string?)e["specversion"]);
            Assert.Null(e["programaid"]);
            Assert.True((long)e["secuencia"]! > 0);
        });
        Assert.Equal($"servicios/{sa}/pendientes?corte=2010-06-30", (string?)eventos[2]["subject"]);
        // The same definition as the pending list.
        Assert.Equal(3, (await Escenario.LeerAsync($"/api/v1/servicios/{sa}/pendientes?corte=2010-06-30"))["items"]!.AsArray().Count);
    }

    [Fact]
    public async Task Egreso_propuesto_se_emite_una_vez_cuando_el_ultimo_compromiso_se_cierra()
    {
        var p = await Escenario.ProgramaAsync();
        var r = await Escenario.RecomendacionAsync(p);
        var ids = new List<int>();
        for (var i = 0; i < 3; i++) ids.Add((int)(await Escenario.CompromisoAsync(r))["id"]!);

        await Escenario.CalificarOkAsync(ids[0], "Cumplido", "2009-12-31");
        await Escenario.CalificarOkAsync(ids[1], "ParcialmenteCumplido", "2009-12-31");
        await Escenario.CalificarOkAsync(ids[2], "Cancelado", "2010-06-30", "Se descontinuó.");
        Assert.Empty(await EventosAsync("programa.egreso-propuesto"));

        await Escenario.CalificarOkAsync(ids[1], "Cumplido", "2010-12-31");
        var todos = await Feed.TodosAsync(Cliente);
        var aviso = Assert.Single(todos, e => (string)e["type"]! == "programa.egreso-propuesto");
        EventosTests.AfirmarCloudEvent(aviso);
        Assert.Equal($"programas/{p}", (string?)aviso["subject"]);
        Assert.Equal(p, (int)aviso["programaid"]!);
        Assert.Equal(p, (int)aviso["data"]!["programaId"]!);
        Assert.Equal("2010-12-31", (string?)aviso["data"]!["fecha"]);
        // In the calificación's transaction, right after its event.
        Assert.Equal("compromiso.calificado", (string?)todos[todos.IndexOf(aviso) - 1]["type"]);
        Assert.Equal("2010-12-31", (string?)(await Escenario.LeerAsync($"/api/v1/programas/{p}"))["egresoPropuesto"]!["fecha"]);

        // Other changes, an egreso and a reopening with everything still closed: not again.
        await Escenario.CrearAsync($"/api/v1/compromisos/{ids[0]}/reportes", new { corte = "2010-12-31", texto = "Final" });
        await Escenario.Esperar(await Cliente.PostAsJsonAsync($"/api/v1/programas/{p}/egreso", new { }), HttpStatusCode.OK);
        await Escenario.Esperar(await Cliente.PostAsJsonAsync($"/api/v1/programas/{p}/reapertura", new { motivo = "Nuevo compromiso." }), HttpStatusCode.OK);
        Assert.Single(await EventosAsync("programa.egreso-propuesto"));

        // A new open compromiso makes it not ready; closing it makes it ready again: a second notice.
        var nuevo = (int)(await Escenario.CompromisoAsync(r, "2011-06"))["id"]!;
        Assert.Single(await EventosAsync("programa.egreso-propuesto"));
        await Escenario.CalificarOkAsync(nuevo, "Cumplido", "2011-06-30");
        Assert.Equal(["2010-12-31", "2011-06-30"], (await EventosAsync("programa.egreso-propuesto")).Select(e => (string)e["data"]!["fecha"]!));
    }

    [Fact]
    public async Task Dos_calificaciones_concurrentes_que_cierran_el_programa_emiten_un_solo_aviso()
    {
        for (var vuelta = 0; vuelta < 5; vuelta++)
        {
            await Factory.ResetAsync();
            var p = await Escenario.ProgramaAsync();
            var r = await Escenario.RecomendacionAsync(p);
            var a = (int)(await Escenario.CompromisoAsync(r))["id"]!;
            var b = (int)(await Escenario.CompromisoAsync(r))["id"]!;
            var respuestas = await Task.WhenAll(Escenario.CalificarAsync(a, "Cumplido", "2009-12-31"), Escenario.CalificarAsync(b, "Cancelado", "2009-12-31", "Se descontinuó."));
            foreach (var x in respuestas) await Escenario.Esperar(x, HttpStatusCode.Created);
            Assert.Single(await EventosAsync("programa.egreso-propuesto"));
        }
    }

    [Fact]
    public async Task El_informe_muestra_el_hash_de_cada_archivo_en_JSON_y_HTML()
    {
        var (p, _, c) = await Escenario.CompromisoPendienteAsync();
        var datos = "%PDF-1.7\nprueba de hash\n%%EOF\n"u8.ToArray();
        var sha = Convert.ToHexStringLower(SHA256.HashData(datos));
        var archivo = new ByteArrayContent(datos);
        archivo.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
        var subida = await Cliente.PostAsync($"/api/v1/compromisos/{c}/medios-verificacion", new MultipartFormDataContent
        {
            { new StringContent("Minuta explicativa"), "titulo" },
            { new StringContent("2009-12-31"), "corte" },
            { archivo, "archivo", "minuta.pdf" },
        });
        await Escenario.Esperar(subida, HttpStatusCode.Created);
        await Escenario.CrearAsync($"/api/v1/compromisos/{c}/medios-verificacion", new { titulo = "Oficio", corte = "2009-12-31" });

        var json = await Escenario.LeerAsync($"/api/v1/programas/{p}/informe?alCorte=2009-12-31");
        var compromiso = json["recomendaciones"]![0]!["compromisos"]![0]!;
        Assert.Equal(["Minuta explicativa", "Oficio"], compromiso["mediosVerificacion"]!.AsArray().Select(x => (string)x!));
        var medios = compromiso["medios"]!.AsArray();
        Assert.Equal(("Minuta explicativa", "minuta.pdf", sha), ((string)medios[0]!["titulo"]!, (string?)medios[0]!["nombreArchivo"], (string?)medios[0]!["sha256"]));
        Assert.Equal("Oficio", (string?)medios[1]!["titulo"]);
        Assert.Null((string?)medios[1]!["sha256"]);

        async Task<string> Html()
        {
            var m = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/programas/{p}/informe?alCorte=2009-12-31");
            m.Headers.TryAddWithoutValidation("Accept", "text/html");
            var r = await Cliente.SendAsync(m);
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
            return await r.Content.ReadAsStringAsync();
        }

        var html = await Html();
        Assert.Contains($"<li>Minuta explicativa <span class=\"archivo\">(minuta.pdf, SHA-256 <code>{sha}</code>)</span></li>", html);
        Assert.Contains("<li>Oficio</li>", html);
        Assert.Equal(html, await Html());
    }
}
