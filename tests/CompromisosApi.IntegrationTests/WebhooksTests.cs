using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CompromisosApi.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Xunit.Abstractions;

namespace CompromisosApi.IntegrationTests;

public sealed class WebhooksTests(ApiFactory factory, ITestOutputHelper salida) : PruebaApi(factory)
{
    private static readonly string[] TodosLosTipos =
    [
        "programa.creado", "programa.actualizado", "programa.egresado", "programa.reabierto", "recomendacion.creada",
        "recomendacion.actualizada", "compromiso.creado", "compromiso.actualizado", "compromiso.calificado",
        "calificacion.corregida", "compromiso.vencido", "reporte.registrado", "medio.registrado",
    ];

    /// <summary>An instance of the service with its relay running, allowed to deliver to the loopback receiver.</summary>
    private WebApplicationFactory<Program> Instancia(bool relay = true, int fallasParaSuspender = 50, int paralelo = 4) =>
        Factory.WithWebHostBuilder(b =>
        {
            b.UseSetting("Webhooks:Habilitado", relay ? "true" : "false");
            b.UseSetting("Webhooks:Intervalo", "00:00:00.030");
            b.UseSetting("Webhooks:EsperaInicial", "00:00:00.040");
            b.UseSetting("Webhooks:EsperaMaxima", "00:00:00.300");
            b.UseSetting("Webhooks:FallasParaSuspender", fallasParaSuspender.ToString());
            b.UseSetting("Webhooks:EntregasEnParalelo", paralelo.ToString());
            b.UseSetting("Webhooks:PermitirDestinos:0", "127.0.0.1");
        });

    private static HttpClient Admin(WebApplicationFactory<Program> instancia) =>
        instancia.CreateClient().Autenticar(Tokens.Crear("ana", ["analista", "administrador"]));

    private static async Task<JsonObject> SuscribirAsync(HttpClient admin, string url, string[]? tipos = null)
    {
        var r = await admin.PostAsJsonAsync("/api/v1/suscripciones", new { url, tipos = tipos ?? TodosLosTipos });
        await Escenario.Esperar(r, HttpStatusCode.Created);
        return (await r.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    /// <summary>Writes under several programas, interleaved and concurrent: returns nothing, the feed is the truth.</summary>
    private static async Task EscribirAsync(HttpClient cliente, int programas, int compromisos)
    {
        var escenario = new Escenario(cliente);
        var servicio = await escenario.ServicioAsync();
        await Task.WhenAll(Enumerable.Range(0, programas).Select(async i =>
        {
            var p = await escenario.ProgramaAsync(servicio, $"Programa {i}");
            var r = await escenario.RecomendacionAsync(p);
            for (var j = 0; j < compromisos; j++)
            {
                var c = (int)(await escenario.CompromisoAsync(r))["id"]!;
                await escenario.CalificarOkAsync(c, "ParcialmenteCumplido", "2010-06-30");
            }
        }));
    }

    private static void AfirmarOrdenPorPrograma(IEnumerable<JsonObject> procesados)
    {
        foreach (var programa in procesados.GroupBy(e => (int)e["programaid"]!))
        {
            var secuencias = programa.Select(e => (long)e["secuencia"]!).ToList();
            Assert.True(secuencias.SequenceEqual(secuencias.Order()), $"Programa {programa.Key} fuera de orden: {string.Join(",", secuencias)}");
        }
    }

    [Theory]
    [InlineData("http://127.0.0.1:8080/hook")]
    [InlineData("https://127.0.0.1/hook")]
    [InlineData("https://127.1/hook")]
    [InlineData("https://10.1.2.3/hook")]
    [InlineData("https://172.16.0.5/hook")]
    [InlineData("https://192.168.1.10/hook")]
    [InlineData("https://100.64.0.1/hook")]
    [InlineData("https://169.254.169.254/latest/meta-data")]
    [InlineData("https://0.0.0.0/hook")]
    [InlineData("https://[::1]/hook")]
    [InlineData("https://[::]/hook")]
    [InlineData("https://[::ffff:127.0.0.1]/hook")]
    [InlineData("https://[::ffff:10.0.0.1]/hook")]
    [InlineData("https://[fe80::1]/hook")]
    [InlineData("https://[fd12:3456::1]/hook")]
    [InlineData("https://[64:ff9b::a9fe:a9fe]/hook")]
    [InlineData("https://localhost/hook")]
    [InlineData("http://sistema.ejemplo.gob.cl/hook")]
    [InlineData("ftp://sistema.ejemplo.gob.cl/hook")]
    [InlineData("https://usuario:clave@sistema.ejemplo.gob.cl/hook")]
    [InlineData("/relativa")]
    public async Task Una_suscripcion_a_un_destino_privado_o_no_https_es_400(string url)
    {
        var r = await Cliente.PostAsJsonAsync("/api/v1/suscripciones", new { url, tipos = new[] { "programa.creado" } });
        await Problemas.Validacion(r, "url");
        Assert.Empty((await Escenario.LeerAsync("/api/v1/suscripciones"))["items"]!.AsArray());
    }

    [Fact]
    public async Task El_secreto_se_entrega_una_vez_y_la_suscripcion_se_lee_lista_y_elimina()
    {
        await using var instancia = Instancia(relay: false);
        var admin = Admin(instancia);
        await Problemas.Validacion(await admin.PostAsJsonAsync("/api/v1/suscripciones", new { url = "http://127.0.0.1:9/x", tipos = new[] { "programa.borrado" } }), "tipos");
        await Problemas.Validacion(await admin.PostAsJsonAsync("/api/v1/suscripciones", new { url = "http://127.0.0.1:9/x", tipos = Array.Empty<string>() }), "tipos");

        var creada = await SuscribirAsync(admin, "http://127.0.0.1:9/x", ["programa.creado", "programa.egresado"]);
        Assert.StartsWith("whsec_", (string)creada["secreto"]!);
        Assert.Equal(32, Convert.FromBase64String(((string)creada["secreto"]!)["whsec_".Length..]).Length);
        Assert.Equal("Activa", (string?)creada["estado"]);
        var id = (int)creada["id"]!;

        var (leida, etag) = await new Escenario(admin).LeerConEtagAsync($"/api/v1/suscripciones/{id}");
        Assert.False(leida.ContainsKey("secreto"));
        Assert.False(string.IsNullOrEmpty(etag));
        Assert.Equal(["programa.creado", "programa.egresado"], leida["tipos"]!.AsArray().Select(t => (string)t!));
        var lista = (await new Escenario(admin).LeerAsync("/api/v1/suscripciones"))["items"]!.AsArray();
        Assert.Single(lista);
        Assert.DoesNotContain("whsec_", lista.ToJsonString());
        // Never in the audit trail either.
        Assert.DoesNotContain("whsec_", (await new Escenario(admin).LeerAsync("/api/v1/auditoria?entidad=Suscripcion"))["items"]!.ToJsonString());

        await Problemas.Regla(await admin.PostAsync($"/api/v1/suscripciones/{id}/reactivacion", null), "suscripcion-no-suspendida");
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/v1/suscripciones/{id}")).StatusCode);
        await Problemas.AfirmarAsync(await admin.GetAsync($"/api/v1/suscripciones/{id}"), HttpStatusCode.NotFound);
        await Problemas.AfirmarAsync(await admin.DeleteAsync($"/api/v1/suscripciones/{id}"), HttpStatusCode.NotFound);
        Assert.Equal(2, (await new Escenario(admin).LeerAsync($"/api/v1/auditoria?entidad=Suscripcion&entidadId={id}"))["items"]!.AsArray().Count);
    }

    [Fact]
    public async Task Un_receptor_que_falla_tres_veces_recibe_cada_evento_una_vez_firmado_y_en_orden_por_programa()
    {
        await using var receptor = new ReceptorDeWebhooks(intento => intento <= 3 ? 500 : 204);
        await using var instancia = Instancia();
        var admin = Admin(instancia);
        var suscripcion = await SuscribirAsync(admin, receptor.Url);
        receptor.Secreto = (string)suscripcion["secreto"]!;

        await EscribirAsync(admin, programas: 3, compromisos: 3);
        var esperados = await Feed.TodosAsync(admin);
        await Feed.EsperarAsync(() => Task.FromResult(receptor.Procesados.Count >= esperados.Count), $"{esperados.Count} eventos procesados");

        var procesados = receptor.Procesados.ToList();
        Assert.Equal(esperados.Select(e => (string)e["id"]!).Order(), procesados.Select(e => (string)e["id"]!).Order());
        var intentos = receptor.Intentos.ToList();
        Assert.All(intentos, i => Assert.True(i.FirmaValida, $"Firma inválida en {i.Id}"));
        Assert.All(intentos, i => Assert.StartsWith("application/cloudevents+json", i.ContentType));
        Assert.All(intentos, i => Assert.Equal(i.Id, (string?)JsonNode.Parse(i.Cuerpo)!["id"]));
        Assert.Equal(3, intentos.Count(i => i.Status == 500));
        // At least once, and here exactly once: no event was sent again after it was accepted.
        Assert.Equal(esperados.Count, intentos.Count(i => i.Status == 204));
        Assert.Equal(esperados.Count + 3, intentos.Count);
        AfirmarOrdenPorPrograma(procesados);
        Assert.All(procesados, EventosTests.AfirmarCloudEvent);

        await Feed.EsperarAsync(async () => (int)(await new Escenario(admin).LeerAsync($"/api/v1/suscripciones/{suscripcion["id"]}"))["entregasPendientes"]! == 0, "sin pendientes");
        var estado = await new Escenario(admin).LeerAsync($"/api/v1/suscripciones/{suscripcion["id"]}");
        Assert.Equal("Activa", (string?)estado["estado"]);
        Assert.Equal(0, (int)estado["fallasConsecutivas"]!);
        salida.WriteLine($"Receptor que falla 3 veces: {esperados.Count} eventos, {intentos.Count} intentos, cada evento procesado una vez, orden por programa respetado.");
    }

    [Fact]
    public async Task Un_receptor_que_siempre_falla_deja_la_suscripcion_suspendida_y_al_reactivarla_recibe_lo_pendiente()
    {
        await using var receptor = new ReceptorDeWebhooks(_ => 503);
        await using var instancia = Instancia(fallasParaSuspender: 3);
        var admin = Admin(instancia);
        var suscripcion = await SuscribirAsync(admin, receptor.Url, ["programa.creado", "recomendacion.creada"]);
        receptor.Secreto = (string)suscripcion["secreto"]!;
        var ruta = $"/api/v1/suscripciones/{suscripcion["id"]}";

        var escenario = new Escenario(admin);
        var p = await escenario.ProgramaAsync();
        await escenario.RecomendacionAsync(p);
        await escenario.RecomendacionAsync(p);
        await Feed.EsperarAsync(async () => (string?)(await escenario.LeerAsync(ruta))["estado"] == "Suspendida", "suscripción suspendida");

        var suspendida = await escenario.LeerAsync(ruta);
        Assert.Equal(3, (int)suspendida["fallasConsecutivas"]!);
        Assert.Contains("503", (string?)suspendida["ultimoError"]);
        Assert.NotNull(suspendida["suspendidaEn"]);
        Assert.NotNull(suspendida["fallandoDesde"]);
        Assert.True((int)suspendida["entregasPendientes"]! >= 1);
        // Nothing more is attempted while suspended, and what commits meanwhile waits.
        await escenario.RecomendacionAsync(p);
        var antes = receptor.Intentos.Count;
        await Task.Delay(300);
        Assert.Equal(3, antes);
        Assert.Equal(3, receptor.Intentos.Count);

        receptor.Status = _ => 200;
        var reactivada = await admin.PostAsync($"{ruta}/reactivacion", null);
        await Escenario.Esperar(reactivada, HttpStatusCode.OK);
        Assert.Equal("Activa", (string?)(await reactivada.Content.ReadFromJsonAsync<JsonObject>())!["estado"]);
        await Feed.EsperarAsync(() => Task.FromResult(receptor.Procesados.Count == 4), "los 4 eventos entregados tras reactivar");
        Assert.Equal(["programa.creado", "recomendacion.creada", "recomendacion.creada", "recomendacion.creada"], receptor.Procesados.Select(e => (string)e["type"]!));
    }

    [Fact]
    public async Task Un_reinicio_del_relay_no_pierde_eventos()
    {
        await using var receptor = new ReceptorDeWebhooks(_ => 200, demora: TimeSpan.FromMilliseconds(20));
        var a = Instancia(paralelo: 2);
        var admin = Admin(a);
        var suscripcion = await SuscribirAsync(admin, receptor.Url);
        receptor.Secreto = (string)suscripcion["secreto"]!;
        await EscribirAsync(admin, programas: 4, compromisos: 2);
        var esperados = await Feed.TodosAsync(admin);

        // Stopped mid-way (a delivery may be in flight: it is sent again, and the receiver de-duplicates it) …
        await Feed.EsperarAsync(() => Task.FromResult(receptor.Procesados.Count >= esperados.Count / 3), "un tercio entregado");
        await a.DisposeAsync();
        var alDetener = receptor.Procesados.Count;

        // … and another instance carries on from the database.
        await using var b = Instancia(paralelo: 2);
        _ = b.Server;
        await Feed.EsperarAsync(() => Task.FromResult(receptor.Procesados.Count >= esperados.Count), $"{esperados.Count} eventos procesados");
        Assert.Equal(esperados.Select(e => (string)e["id"]!).Order(), receptor.Procesados.Select(e => (string)e["id"]!).Order());
        AfirmarOrdenPorPrograma(receptor.Procesados);
        salida.WriteLine($"Reinicio del relay tras {alDetener} de {esperados.Count} eventos: 0 perdidos, {receptor.Intentos.Count - esperados.Count} reenvíos descartados por webhook-id.");
    }

    [Fact]
    public async Task Dos_instancias_del_relay_entregan_cada_evento_una_sola_vez()
    {
        await using var receptor = new ReceptorDeWebhooks(_ => 200, demora: TimeSpan.FromMilliseconds(3));
        await using var a = Instancia(paralelo: 3);
        await using var b = Instancia(paralelo: 3);
        var admin = Admin(a);
        var suscripcion = await SuscribirAsync(admin, receptor.Url);
        receptor.Secreto = (string)suscripcion["secreto"]!;
        _ = Admin(b); // starts the second instance, and its relay

        await EscribirAsync(Admin(b), programas: 6, compromisos: 2);
        var esperados = await Feed.TodosAsync(admin);
        await Feed.EsperarAsync(() => Task.FromResult(receptor.Procesados.Count >= esperados.Count), $"{esperados.Count} eventos procesados");
        await Task.Delay(100); // a duplicate, if any, would arrive now

        var intentos = receptor.Intentos.ToList();
        Assert.Equal(esperados.Count, intentos.Count);
        Assert.Equal(esperados.Count, intentos.Select(i => i.Id).Distinct().Count());
        AfirmarOrdenPorPrograma(receptor.Procesados);
        salida.WriteLine($"Dos instancias del relay: {esperados.Count} eventos, {intentos.Count} entregas, 0 duplicadas.");
    }
}
