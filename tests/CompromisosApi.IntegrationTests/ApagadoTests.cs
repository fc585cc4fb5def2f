using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using CompromisosApi.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace CompromisosApi.IntegrationTests;

/// <summary>
/// Graceful shutdown (issue 16): the service as its own process, stopped by SIGTERM in the middle of a burst of writes
/// and webhook deliveries.
/// </summary>
public sealed class ApagadoTests(ApiFactory factory, ITestOutputHelper salida) : PruebaApi(factory)
{
    [SkippableFact]
    public async Task Con_SIGTERM_en_plena_rafaga_nada_queda_a_medias_y_ningun_evento_se_entrega_dos_veces()
    {
        Skip.If(!OperatingSystem.IsLinux(), "SIGTERM");
        Skip.If(!File.Exists(ServicioEnProceso.Dll), "El servicio no está compilado en Release: " + ServicioEnProceso.Dll);

        // Deliveries take a while, so some are in flight when the signal comes.
        await using var receptor = new ReceptorDeWebhooks(_ => 204, demora: TimeSpan.FromMilliseconds(150));
        var servicio = await Escenario.ServicioAsync();
        await using var conDestinoLocal = Factory.WithWebHostBuilder(b => b.UseSetting("Webhooks:PermitirDestinos:0", "127.0.0.1"));
        var r = await conDestinoLocal.CreateClient().Autenticar(Tokens.Crear("ana", ["administrador"]))
            .PostAsJsonAsync("/api/v1/suscripciones", new { url = receptor.Url, tipos = new[] { "programa.creado" } });
        await Escenario.Esperar(r, HttpStatusCode.Created);
        receptor.Secreto = (string)(await r.Content.ReadFromJsonAsync<JsonObject>())!["secreto"]!;

        using var servicioEnProceso = new ServicioEnProceso(Factory.Services.GetRequiredService<IConfiguration>().GetConnectionString("Compromisos")!, new Dictionary<string, string>
        {
            ["Webhooks__Habilitado"] = "true",
            ["Webhooks__Intervalo"] = "00:00:00.030",
            ["Webhooks__PermitirDestinos__0"] = "127.0.0.1",
            ["Apagado__Gracia"] = "00:00:20",
        });
        var proceso = servicioEnProceso.Proceso;

        var token = Tokens.Crear("ana", ["analista", "administrador"]);
        var baseUrl = servicioEnProceso.Url;
        await servicioEnProceso.EsperarListoAsync();

        // Writers on a new connection each (Connection: close) until the instance stops taking them.
        var creados = new ConcurrentBag<int>();
        var fallas = new ConcurrentBag<string>();
        var detenido = new CancellationTokenSource();
        var escritores = Enumerable.Range(0, 6).Select(w => Task.Run(async () =>
        {
            for (var i = 0; !detenido.IsCancellationRequested; i++)
            {
                using var c = new HttpClient { BaseAddress = baseUrl }.Autenticar(token);
                c.DefaultRequestHeaders.ConnectionClose = true;
                try
                {
                    var resp = await c.PostAsJsonAsync("/api/v1/programas", new { nombre = $"Ráfaga {w}-{i}", servicioId = servicio, anioEvaluacion = 2007, lineaEvaluacion = "EPG" });
                    if (resp.StatusCode == HttpStatusCode.Created) creados.Add((int)(await resp.Content.ReadFromJsonAsync<JsonObject>())!["id"]!);
                    else fallas.Add($"{(int)resp.StatusCode}: {await resp.Content.ReadAsStringAsync()}");
                }
                catch (HttpRequestException)
                {
                    // Refused (or reset before the service took it): the instance is gone. What the service did
                    // with it, if anything, is checked against the record below.
                    return;
                }
            }
        })).ToList();

        await Feed.EsperarAsync(() => Task.FromResult(receptor.Intentos.Count >= 3), () => "Sin entregas:\n" + servicioEnProceso.Registro(), segundos: 60);
        var senal = Stopwatch.StartNew();
        using (var kill = Process.Start("kill", ["-TERM", proceso.Id.ToString()])) await kill!.WaitForExitAsync();
        using (var limite = new CancellationTokenSource(TimeSpan.FromSeconds(40))) await proceso.WaitForExitAsync(limite.Token);
        detenido.Cancel();
        await Task.WhenAll(escritores);
        salida.WriteLine($"Detenido {senal.ElapsedMilliseconds} ms después de SIGTERM, código {proceso.ExitCode}; {creados.Count} programas creados, {receptor.Intentos.Count} entregas.");

        Assert.True(proceso.ExitCode == 0, $"Código de salida {proceso.ExitCode}:\n" + servicioEnProceso.Registro());
        Assert.True(fallas.IsEmpty, string.Join("\n", fallas));
        // Nothing half-done: every programa the record has from the burst was answered 201 to its writer.
        var enRegistro = await ProgramasDeLaRafagaAsync();
        Assert.Equal(creados.Order(), enRegistro.Order());

        // Another instance delivers what is left; none of the events was sent twice.
        await using var otra = Factory.WithWebHostBuilder(b =>
        {
            b.UseSetting("Webhooks:Habilitado", "true");
            b.UseSetting("Webhooks:Intervalo", "00:00:00.030");
            b.UseSetting("Webhooks:PermitirDestinos:0", "127.0.0.1");
        });
        otra.CreateClient();
        await Feed.EsperarAsync(() => Task.FromResult(receptor.Procesados.Count == creados.Count),
            () => $"{receptor.Procesados.Count} de {creados.Count} eventos entregados", segundos: 60);
        var repetidas = receptor.Intentos.GroupBy(i => i.Id).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.True(repetidas.Count == 0, "Eventos entregados más de una vez: " + string.Join(", ", repetidas));
    }

    private async Task<List<int>> ProgramasDeLaRafagaAsync()
    {
        var ids = new List<int>();
        string? cursor = null;
        do
        {
            var pagina = await Escenario.LeerAsync("/api/v1/programas?limit=200" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor)));
            ids.AddRange(pagina["items"]!.AsArray().Where(p => ((string)p!["nombre"]!).StartsWith("Ráfaga ", StringComparison.Ordinal)).Select(p => (int)p!["id"]!));
            cursor = (string?)pagina["nextCursor"];
        }
        while (cursor is not null);
        return ids;
    }
}
