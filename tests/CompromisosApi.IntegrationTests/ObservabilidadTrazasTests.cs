using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CompromisosApi.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Xunit.Abstractions;

namespace CompromisosApi.IntegrationTests;

/// <summary>
/// The caller's W3C trace id followed into problem+json, the audit trail, the event and its webhook delivery, and the
/// JSON logs (issue 16). Alone for the reason <see cref="ObservabilidadMetricasTests"/> gives: a MeterProvider of
/// either class would count the parallel collections' requests.
/// </summary>
[Collection(nameof(ColeccionAislada))]
public sealed class ObservabilidadTrazasTests(ApiFactory factory, ITestOutputHelper salida) : PruebaApi(factory)
{
    private const string TraceId = "4bf92f3577b34da6a3ce929d0e0e4736";

    [Fact]
    public async Task El_traceparent_del_que_llama_es_el_traceId_del_problema_aunque_no_se_muestree()
    {
        foreach (var banderas in new[] { "01", "00" })
        {
            var cliente = ClienteAnonimo();
            cliente.DefaultRequestHeaders.Add("traceparent", $"00-{TraceId}-00f067aa0ba902b7-{banderas}");
            var problema = await Problemas.AfirmarAsync(await cliente.GetAsync("/api/v1/programas/999999"), HttpStatusCode.NotFound);
            Assert.Equal(TraceId, (string?)problema["traceId"]);
        }

        // Without one, a fresh W3C trace id, not Kestrel's connection counter.
        var propio = await Problemas.AfirmarAsync(await ClienteAnonimo().GetAsync("/api/v1/programas/999999"), HttpStatusCode.NotFound);
        Assert.Matches("^[0-9a-f]{32}$", (string?)propio["traceId"]);
    }

    [Fact]
    public async Task Un_trace_id_se_sigue_de_la_solicitud_a_su_auditoria_su_evento_y_su_entrega_de_webhook()
    {
        await using var instancia = Factory.WithWebHostBuilder(b =>
        {
            b.UseSetting("Webhooks:Habilitado", "true");
            b.UseSetting("Webhooks:Intervalo", "00:00:00.030");
            b.UseSetting("Webhooks:PermitirDestinos:0", "127.0.0.1");
        });
        await using var receptor = new ReceptorDeWebhooks(_ => 204);
        var admin = instancia.CreateClient().Autenticar(Tokens.Crear("ana", ["analista", "administrador"]));
        var servicio = await new Escenario(admin).ServicioAsync();
        var r = await admin.PostAsJsonAsync("/api/v1/suscripciones", new { url = receptor.Url, tipos = new[] { "programa.creado" } });
        await Escenario.Esperar(r, HttpStatusCode.Created);
        receptor.Secreto = (string)(await r.Content.ReadFromJsonAsync<JsonObject>())!["secreto"]!;

        var conTraza = instancia.CreateClient().Autenticar(Tokens.Crear("ana", ["analista", "administrador"]));
        conTraza.DefaultRequestHeaders.Add("traceparent", $"00-{TraceId}-00f067aa0ba902b7-01");
        var programa = await new Escenario(conTraza).ProgramaAsync(servicio);

        var auditoria = await new Escenario(admin).LeerAsync($"/api/v1/auditoria?entidad=Programa&entidadId={programa}");
        Assert.Equal(TraceId, (string?)auditoria["items"]![0]!["traceId"]);

        var evento = (await Feed.TodosAsync(admin)).Single(e => (string?)e["subject"] == $"programas/{programa}");
        Assert.StartsWith($"00-{TraceId}-", (string?)evento["traceparent"]);

        ReceptorDeWebhooks.Intento? entrega = null;
        await Feed.EsperarAsync(() =>
        {
            entrega = receptor.Intentos.FirstOrDefault(i => i.Cuerpo.Contains($"\"programas/{programa}\"", StringComparison.Ordinal));
            return Task.FromResult(entrega is not null);
        }, "Ninguna entrega del evento", segundos: 20);
        Assert.NotNull(entrega);
        Assert.True(entrega.FirmaValida);
        Assert.Matches($"^00-{TraceId}-[0-9a-f]{{16}}-0[01]$", entrega.Traceparent);
        Assert.StartsWith($"00-{TraceId}-", (string?)JsonNode.Parse(entrega.Cuerpo)!["traceparent"]);
        salida.WriteLine($"traceId {TraceId}: auditoría, evento {evento["id"]} y entrega con traceparent {entrega.Traceparent}.");
    }

    [SkippableFact]
    public async Task Fuera_de_Development_los_registros_son_una_linea_JSON_con_la_traza()
    {
        // The real console of a real process ("Testing" is not Development, so it logs as in Production).
        Skip.If(!File.Exists(ServicioEnProceso.Dll), "El servicio no está compilado en Release: " + ServicioEnProceso.Dll);
        using var servicio = new ServicioEnProceso(Factory.Services.GetRequiredService<IConfiguration>().GetConnectionString("Compromisos")!);
        await servicio.EsperarListoAsync();
        var token = Tokens.Crear("ana", ["analista"]);
        using var cliente = new HttpClient { BaseAddress = servicio.Url }.Autenticar(token);
        using var pedido = new HttpRequestMessage(HttpMethod.Get, "/api/v1/programas/987654321");
        pedido.Headers.Add("traceparent", $"00-{TraceId}-00f067aa0ba902b7-01");
        Assert.Equal(HttpStatusCode.NotFound, (await cliente.SendAsync(pedido)).StatusCode);

        // The 404 is logged inside the request: its line carries the caller's trace, the route template (as the metrics
        // label it, constraints included) and the subject.
        JsonObject? linea = null;
        await Feed.EsperarAsync(() =>
        {
            linea = servicio.Registro().Split('\n').Where(l => l.Contains(TraceId, StringComparison.Ordinal))
                .Select(l => JsonNode.Parse(l)!.AsObject()).FirstOrDefault();
            return Task.FromResult(linea is not null);
        }, () => "Ninguna línea con la traza:\n" + servicio.Registro(), segundos: 20);
        var registro = servicio.Registro();
        salida.WriteLine(registro);
        foreach (var l in registro.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            Assert.True(JsonNode.Parse(l) is JsonObject, "No es un objeto JSON: " + l);
        Assert.Equal("Information", (string?)linea!["LogLevel"]);
        Assert.Contains("404", (string?)linea["Message"]);
        var alcances = linea["Scopes"]!.AsArray().OfType<JsonObject>().ToList();
        Assert.Contains(alcances, a => (string?)a["TraceId"] == TraceId && a["SpanId"] is not null);
        Assert.Contains(alcances, a => (string?)a["ruta"] == "/api/v1/programas/{id:int}" && (string?)a["sujeto"] == "ana");
        Assert.DoesNotContain(token, registro);
        Assert.DoesNotContain("987654321", (string?)linea["Message"]);
    }
}
