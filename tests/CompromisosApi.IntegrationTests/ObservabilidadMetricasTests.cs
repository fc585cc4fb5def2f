using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CompromisosApi.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Xunit.Abstractions;

namespace CompromisosApi.IntegrationTests;

/// <summary>
/// What an operator sees (issue 16): /metrics in Prometheus text that promtool accepts and a real Prometheus scrapes,
/// and the sample alert rules.
/// <para>
/// Alone (<see cref="ColeccionAislada"/>): a MeterProvider listens to every meter of its name in the process, so beside
/// the parallel collections' hosts the counters would count their requests too (and drop points as those hosts end).
/// </para>
/// </summary>
[Collection(nameof(ColeccionAislada))]
public sealed partial class ObservabilidadMetricasTests(ApiFactory factory, ITestOutputHelper salida) : PruebaApi(factory)
{
    [GeneratedRegex(@"^(?<nombre>[a-zA-Z_:][a-zA-Z0-9_:]*)(?<etiquetas>\{(?:[^""}]|""(?:[^""\\]|\\.)*"")*\})? (?<valor>\S+)", RegexOptions.Multiline)]
    private static partial Regex Muestra();

    /// <summary>The sum of a metric's samples whose labels contain every one given (0 when there is none yet).</summary>
    private static double Valor(string texto, string nombre, params string[] etiquetas) =>
        Muestra().Matches(texto)
            .Where(m => m.Groups["nombre"].Value == nombre && etiquetas.All(e => m.Groups["etiquetas"].Value.Contains(e, StringComparison.Ordinal)))
            .Sum(m => double.Parse(m.Groups["valor"].Value, CultureInfo.InvariantCulture));

    private async Task<string> MetricasAsync(HttpClient? cliente = null)
    {
        var r = await (cliente ?? ClienteAnonimo()).GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        Assert.StartsWith("text/plain", r.Content.Headers.ContentType?.MediaType);
        return await r.Content.ReadAsStringAsync();
    }

    [SkippableFact]
    public async Task Metricas_en_texto_Prometheus_cuentan_el_registro_por_plantilla_de_ruta_y_pasan_promtool()
    {
        // A host of its own: OpenTelemetry stops a metric stream when an instrument of the same name ends, which
        // every host disposed before this test did to the collection's long-lived host.
        await using var host = Factory.WithWebHostBuilder(b => b.UseSetting("Observabilidad:RutaMetricas", "/metrics"));
        var anonimo = host.CreateClient();
        var escenario = new Escenario(host.CreateClient().Autenticar(Tokens.Crear("ana", ["analista", "administrador"])));
        var antes = await MetricasAsync(anonimo);
        var (p, _, c) = await escenario.CompromisoPendienteAsync();
        await escenario.CalificarOkAsync(c, "Cumplido", "2010-06-30");
        Assert.Equal(HttpStatusCode.OK, (await anonimo.GetAsync($"/api/v1/programas/{p}")).StatusCode);
        // A request's duration is recorded when its hosting activity ends, a moment after the client has the answer.
        var ruta = new[] { "http_route=\"/api/v1/programas/{id:int}\"", "http_response_status_code=\"200\"" };
        var despues = await MetricasAsync(anonimo);
        for (var i = 0; i < 50 && Valor(despues, "http_server_request_duration_seconds_count", ruta) <= Valor(antes, "http_server_request_duration_seconds_count", ruta); i++)
        {
            await Task.Delay(100);
            despues = await MetricasAsync(anonimo);
        }

        Assert.Equal(1, Valor(despues, "compromisos_calificaciones_total", "calificacion=\"Cumplido\"") - Valor(antes, "compromisos_calificaciones_total", "calificacion=\"Cumplido\""));
        Assert.Equal(1, Valor(despues, "compromisos_eventos_total", "tipo=\"compromiso.calificado\"") - Valor(antes, "compromisos_eventos_total", "tipo=\"compromiso.calificado\""));
        // Labelled by the route template, never by the path with its id.
        Assert.Equal(1, Valor(despues, "http_server_request_duration_seconds_count", ruta) - Valor(antes, "http_server_request_duration_seconds_count", ruta));
        Assert.DoesNotContain($"/api/v1/programas/{p}\"", despues);
        Assert.True(Valor(despues, "db_client_operation_duration_seconds_count") > 0, "duración de los comandos a la base");
        Assert.Contains("db_client_connection_usage", despues);
        Assert.Contains("dotnet_gc_collections_total", despues);
        Assert.Contains("dotnet_thread_pool_thread_count", despues);
        Assert.Contains("compromisos_bandeja_retraso_seconds", despues);
        // What every request or command would update and no operator question needs is never collected (its cost on E1).
        foreach (var omitida in new[] { "aspnetcore_routing_", "aspnetcore_rate_limiting_", "aspnetcore_authentication_", "aspnetcore_memory_pool_",
                     "http_server_active_requests", "db_client_operation_npgsql_bytes_", "db_client_operation_npgsql_executing" })
            Assert.DoesNotContain(omitida, despues);

        Skip.If(!Ejecutable.Existe("promtool"), "promtool no está instalado (paquete Debian prometheus; .ci/run lo instala)");
        var (codigo, texto) = await Ejecutable.CorrerAsync("promtool", ["check", "metrics"], entrada: despues);
        Assert.True(codigo == 0, "promtool check metrics:\n" + texto);
    }

    [Fact]
    public async Task Metricas_fuera_del_contrato_y_del_limitador_y_se_cierran_por_configuracion()
    {
        var contrato = await File.ReadAllTextAsync(Path.Combine(Repositorio.Raiz, "api-spec", "openapi.json"));
        Assert.DoesNotContain("\"/metrics\"", contrato);

        await using var limitada = Factory.WithWebHostBuilder(b => b.UseSetting("LimitesDeUso:SolicitudesAnonimasPorMinuto", "2"));
        var anonimo = limitada.CreateClient();
        var estados = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++) estados.Add((await anonimo.GetAsync("/api/v1/programas")).StatusCode);
        Assert.Contains(HttpStatusCode.TooManyRequests, estados);
        // Scraped after the limit is spent: not limited, and the refusals are counted.
        var texto = await MetricasAsync(anonimo);
        Assert.Equal(estados.Count(e => e == HttpStatusCode.TooManyRequests), Valor(texto, "compromisos_rechazos_total", "motivo=\"limite\""));

        await using var cerrada = Factory.WithWebHostBuilder(b => b.UseSetting("Observabilidad:Metricas", "false"));
        Assert.Equal(HttpStatusCode.NotFound, (await cerrada.CreateClient().GetAsync("/metrics")).StatusCode);
    }

    [SkippableFact]
    public async Task Un_Prometheus_real_raspa_el_servicio_y_devuelve_una_metrica_del_registro()
    {
        Skip.If(!Ejecutable.Existe("prometheus"), "prometheus no está instalado (paquete Debian prometheus; .ci/run lo instala)");
        using var kestrel = Factory.WithWebHostBuilder(b => b.UseUrls("http://127.0.0.1:0"));
        kestrel.UseKestrel();
        kestrel.StartServer();
        var direccion = new Uri(kestrel.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
        var (_, _, c) = await Escenario.CompromisoPendienteAsync();
        using (var cliente = new HttpClient { BaseAddress = direccion }.Autenticar(Tokens.Crear("ana", ["analista"])))
        {
            var r = await cliente.PostAsJsonAsync($"/api/v1/compromisos/{c}/calificaciones", new { calificacion = "NoCumplido", fecha = "2010-06-30" });
            await Escenario.Esperar(r, HttpStatusCode.Created);
        }

        var carpeta = Directory.CreateTempSubdirectory("prometheus-");
        var puerto = Puertos.Libre();
        await File.WriteAllTextAsync(Path.Combine(carpeta.FullName, "prometheus.yml"), $"""
            global:
              scrape_interval: 1s
            scrape_configs:
              - job_name: compromisos
                static_configs:
                  - targets: ["{direccion.Authority}"]
            """);
        using var prometheus = Process.Start(new ProcessStartInfo("prometheus",
            [$"--config.file={carpeta.FullName}/prometheus.yml", $"--storage.tsdb.path={carpeta.FullName}/datos", $"--web.listen-address=127.0.0.1:{puerto}"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var registro = new System.Text.StringBuilder();
        prometheus.ErrorDataReceived += (_, e) => { lock (registro) registro.AppendLine(e.Data); };
        prometheus.BeginErrorReadLine();
        prometheus.BeginOutputReadLine();
        try
        {
            using var api = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{puerto}") };
            var consulta = Uri.EscapeDataString("compromisos_calificaciones_total{job=\"compromisos\",calificacion=\"NoCumplido\"}");
            JsonArray? resultado = null;
            var limite = Stopwatch.StartNew();
            while (limite.Elapsed < TimeSpan.FromSeconds(60) && !(resultado?.Count > 0))
            {
                await Task.Delay(500);
                try
                {
                    var cuerpo = await api.GetFromJsonAsync<JsonObject>($"/api/v1/query?query={consulta}");
                    resultado = cuerpo?["data"]?["result"]?.AsArray();
                }
                catch (HttpRequestException)
                {
                    // Prometheus is still starting.
                }
            }

            string log;
            lock (registro) log = registro.ToString();
            Assert.True(resultado?.Count > 0, "Prometheus no devolvió la métrica en 60 s. Registro:\n" + log);
            Assert.Equal("1", (string?)resultado![0]!["value"]![1]);
            salida.WriteLine($"Prometheus raspó {direccion} y devolvió {resultado.ToJsonString()} en {limite.Elapsed.TotalSeconds:0.0} s.");
        }
        finally
        {
            prometheus.Kill(entireProcessTree: true);
            await prometheus.WaitForExitAsync();
            carpeta.Delete(recursive: true);
        }
    }

    [SkippableFact]
    public async Task Las_metricas_no_nombran_conexion_rol_ni_servidor_tampoco_tras_migrar()
    {
        // A real process that migrates with the owner role (test hosts share a database migrated once, so they don't).
        Skip.If(!File.Exists(ServicioEnProceso.Dll), "El servicio no está compilado en Release: " + ServicioEnProceso.Dll);
        Skip.If(Factory.ConexionMigraciones is null, "Sin rol propietario aparte en esta base de pruebas");
        using var servicio = new ServicioEnProceso(Factory.Services.GetRequiredService<IConfiguration>().GetConnectionString("Compromisos")!,
            new Dictionary<string, string>
            {
                ["Database__ApplyMigrations"] = "true",
                ["ConnectionStrings__Migraciones"] = Factory.ConexionMigraciones!,
            });
        await servicio.EsperarListoAsync();
        using var cliente = new HttpClient { BaseAddress = servicio.Url };
        Assert.Equal(HttpStatusCode.OK, (await cliente.GetAsync("/api/v1/ministerios")).StatusCode);
        var texto = await MetricasAsync(cliente);

        var pools = Regex.Matches(texto, "pool_name=\"([^\"]*)\"").Select(m => m.Groups[1].Value).ToHashSet();
        Assert.Contains("compromisos", pools);
        Assert.Contains("compromisos-migraciones", pools);
        Assert.Empty(pools.Except(["compromisos", "compromisos-migraciones"]));
        Assert.DoesNotContain("Username=", texto, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Host=", texto, StringComparison.OrdinalIgnoreCase);
    }

    [SkippableFact]
    public async Task Las_reglas_de_alerta_de_ejemplo_son_validas_y_disparan_cuando_deben()
    {
        Skip.If(!Ejecutable.Existe("promtool"), "promtool no está instalado (paquete Debian prometheus; .ci/run lo instala)");
        var carpeta = Path.Combine(Repositorio.Raiz, "ops", "prometheus");
        var (codigo, texto) = await Ejecutable.CorrerAsync("promtool", ["check", "rules", "alertas.yml"], carpeta: carpeta);
        Assert.True(codigo == 0, texto);
        (codigo, texto) = await Ejecutable.CorrerAsync("promtool", ["test", "rules", "alertas-test.yml"], carpeta: carpeta);
        Assert.True(codigo == 0, texto);
        (codigo, texto) = await Ejecutable.CorrerAsync("promtool", ["check", "config", "prometheus.yml"], carpeta: carpeta);
        Assert.True(codigo == 0, texto);
    }
}
