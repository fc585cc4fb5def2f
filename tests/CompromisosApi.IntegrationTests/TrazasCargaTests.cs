using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using CompromisosApi.IntegrationTests.Infrastructure;
using CompromisosApi.Persistence;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Xunit.Abstractions;

namespace CompromisosApi.IntegrationTests;

/// <summary>One trace row per request whatever its outcome, under load and across a graceful stop.</summary>
public sealed class TrazasCargaTests(ApiFactory factory, ITestOutputHelper salida) : PruebaDeTrazas(factory)
{
    [Fact]
    public async Task Escrituras_rechazos_429_y_500_dejan_exactamente_una_traza_cada_uno()
    {
        // A write.
        var id = NuevoId();
        var r = await Cliente.SendAsync(Pedido(HttpMethod.Post, "/api/v1/ministerios", new Dictionary<string, string> { [Transaccion] = id }, new { nombre = "Ministerio trazado" }));
        await Escenario.Esperar(r, HttpStatusCode.Created);
        var fila = Assert.Single(await TrazasAsync(id));
        Assert.Equal(("POST", "CrearMinisterio", (short)201, "exito"), ((string)fila["metodo"]!, (string)fila["operacion"]!, (short)fila["status"]!, (string)fila["resultado"]!));

        // 401: no token on a write.
        id = NuevoId();
        r = await ClienteAnonimo().SendAsync(Pedido(HttpMethod.Post, "/api/v1/ministerios", new Dictionary<string, string> { [Transaccion] = id }, new { nombre = "x" }));
        Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode);
        Assert.Equal(id, EcoDe(r));
        fila = Assert.Single(await TrazasAsync(id));
        Assert.Equal(((short)401, "error", "CrearMinisterio"), ((short)fila["status"]!, (string)fila["resultado"]!, (string?)fila["operacion"]));

        // 403: a role that may not.
        id = NuevoId();
        r = await ClienteCon("srv", ["servicio"], 1).SendAsync(Pedido(HttpMethod.Post, "/api/v1/ministerios", new Dictionary<string, string> { [Transaccion] = id }, new { nombre = "x" }));
        await Problemas.AfirmarAsync(r, HttpStatusCode.Forbidden);
        fila = Assert.Single(await TrazasAsync(id));
        Assert.Equal(((short)403, "srv"), ((short)fila["status"]!, (string?)fila["sujeto"]));

        // A path that reaches no operation.
        id = NuevoId();
        r = await Cliente.SendAsync(Pedido(HttpMethod.Get, "/api/v1/no-existe", new Dictionary<string, string> { [Transaccion] = id }));
        Assert.Equal(HttpStatusCode.NotFound, r.StatusCode);
        fila = Assert.Single(await TrazasAsync(id));
        Assert.Equal(((short)404, null, null), ((short)fila["status"]!, (string?)fila["operacion"], (string?)fila["ruta"]));

        // 429: the rate limit.
        await using (var limitada = Factory.WithWebHostBuilder(b => b.UseSetting("LimitesDeUso:SolicitudesAnonimasPorMinuto", "2")))
        {
            var anonimo = limitada.CreateClient();
            var ids = new List<(string Id, HttpStatusCode Estado)>();
            for (var i = 0; i < 4; i++)
            {
                var t = NuevoId();
                var resp = await anonimo.SendAsync(Pedido(HttpMethod.Get, "/api/v1/lineas-evaluacion", new Dictionary<string, string> { [Transaccion] = t }));
                Assert.Equal(t, EcoDe(resp));
                ids.Add((t, resp.StatusCode));
            }

            Assert.Contains(ids, x => x.Estado == HttpStatusCode.TooManyRequests);
            foreach (var (t, estado) in ids)
            {
                fila = Assert.Single(await TrazasAsync(t));
                Assert.Equal((short)estado, fila["status"]);
                if (estado == HttpStatusCode.TooManyRequests) Assert.Equal("urn:compromisos:demasiadas-solicitudes", fila["tipo_problema"]);
            }
        }

        // 500: a failure nobody expected (an event deriver that throws, in this host only).
        await using (var rota = Factory.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddSingleton<IDerivadorDeEventos, DerivadorQueFalla>())))
        {
            id = NuevoId();
            r = await rota.CreateClient().Autenticar(Tokens.Crear("ana", ["administrador"]))
                .SendAsync(Pedido(HttpMethod.Post, "/api/v1/ministerios", new Dictionary<string, string> { [Transaccion] = id }, new { nombre = "Ministerio que falla" }));
            await Problemas.AfirmarAsync(r, HttpStatusCode.InternalServerError, "urn:compromisos:error-interno");
            Assert.Equal(id, EcoDe(r));
            fila = Assert.Single(await TrazasAsync(id));
            Assert.Equal(((short)500, "error", "urn:compromisos:error-interno", "CrearMinisterio"),
                ((short)fila["status"]!, (string)fila["resultado"]!, (string?)fila["tipo_problema"], (string?)fila["operacion"]));
        }
    }

    private sealed class DerivadorQueFalla : IDerivadorDeEventos
    {
        public Task<IReadOnlyList<EventoNuevo>> DerivarAsync(CompromisosDbContext db, IReadOnlyList<CambioRegistrado> cambios, DateTimeOffset ahora, CancellationToken ct) =>
            throw new InvalidOperationException("Falla de prueba");
    }

    [Fact]
    public async Task Doscientas_solicitudes_en_paralelo_dejan_doscientas_trazas_una_por_transaccion()
    {
        var prefijo = NuevoId("carga");
        var ids = Enumerable.Range(0, 200).Select(i => $"{prefijo}-{i}").ToList();
        var respuestas = await Task.WhenAll(ids.Select(async (t, i) =>
        {
            var ruta = (i % 3) switch { 0 => "/api/v1/programas", 1 => "/api/v1/lineas-evaluacion", _ => "/api/v1/programas/123456789" };
            using var resp = await Cliente.SendAsync(Pedido(HttpMethod.Get, ruta, new Dictionary<string, string> { [Transaccion] = t }));
            return (t, resp.StatusCode, Eco: EcoDe(resp));
        }));
        Assert.All(respuestas, x => Assert.Equal(x.t, x.Eco));

        await Feed.EsperarAsync(async () => await ContarAsync(Factory.ConnectionString, prefijo) >= 200, "200 trazas");
        await Task.Delay(500);
        await using var c = new NpgsqlConnection(Factory.ConnectionString);
        await c.OpenAsync();
        await using var cmd = new NpgsqlCommand("SELECT transaccion_id, status FROM trazas WHERE transaccion_id LIKE $1 || '%'", c);
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = prefijo });
        var filas = new List<(string Id, short Status)>();
        await using (var lector = await cmd.ExecuteReaderAsync())
        {
            while (await lector.ReadAsync()) filas.Add((lector.GetString(0), lector.GetInt16(1)));
        }

        Assert.Equal(200, filas.Count);
        Assert.Equal(ids.Order(), filas.Select(f => f.Id).Order());
        var estados = respuestas.ToDictionary(x => x.t, x => (short)x.StatusCode);
        Assert.All(filas, f => Assert.Equal(estados[f.Id], f.Status));
    }

    [SkippableFact]
    public async Task Con_SIGTERM_en_plena_carga_ninguna_traza_del_bufer_se_pierde()
    {
        Skip.If(!OperatingSystem.IsLinux(), "SIGTERM");
        Skip.If(!File.Exists(ServicioEnProceso.Dll), "El servicio no está compilado en Release: " + ServicioEnProceso.Dll);
        var conexion = Factory.Services.GetRequiredService<IConfiguration>().GetConnectionString("Compromisos")!;
        // A long interval: what was answered before the signal is still in memory when it comes.
        using var servicio = new ServicioEnProceso(conexion, new Dictionary<string, string>
        {
            ["Interoperabilidad__Trazas__Intervalo"] = "00:01:00",
            ["Apagado__Gracia"] = "00:00:20",
        });
        await servicio.EsperarListoAsync();
        var prefijo = NuevoId("sigterm");
        var respondidas = new ConcurrentBag<string>();
        var detenido = new CancellationTokenSource();
        var n = 0;
        var sinEco = 0;
        var clientes = Enumerable.Range(0, 6).Select(_ => Task.Run(async () =>
        {
            using var c = new HttpClient { BaseAddress = servicio.Url };
            while (!detenido.IsCancellationRequested)
            {
                var t = $"{prefijo}-{Interlocked.Increment(ref n)}";
                try
                {
                    using var resp = await c.SendAsync(Pedido(HttpMethod.Get, "/api/v1/lineas-evaluacion", new Dictionary<string, string> { [Transaccion] = t }));
                    // Answered by the service's pipeline (not by the server refusing it while it stops).
                    if (resp.Headers.TryGetValues(Transaccion, out var eco)) respondidas.Add(eco.Single());
                    else Interlocked.Increment(ref sinEco);
                }
                catch (HttpRequestException)
                {
                    return; // the instance is gone
                }
            }
        })).ToList();

        await Feed.EsperarAsync(() => Task.FromResult(respondidas.Count >= 300), () => "Sin respuestas:\n" + servicio.Registro(), segundos: 60);
        var escritasAntes = await ContarAsync(Factory.ConnectionString, prefijo);
        var senal = Stopwatch.StartNew();
        using (var kill = Process.Start("kill", ["-TERM", servicio.Proceso.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])) await kill!.WaitForExitAsync();
        using (var limite = new CancellationTokenSource(TimeSpan.FromSeconds(40))) await servicio.Proceso.WaitForExitAsync(limite.Token);
        detenido.Cancel();
        await Task.WhenAll(clientes);
        Assert.True(servicio.Proceso.ExitCode == 0, $"Código de salida {servicio.Proceso.ExitCode}:\n" + servicio.Registro());

        var filas = new List<string>();
        await using (var c = new NpgsqlConnection(Factory.ConnectionString))
        {
            await c.OpenAsync();
            await using var cmd = new NpgsqlCommand("SELECT transaccion_id FROM trazas WHERE transaccion_id LIKE $1 || '%'", c);
            cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = prefijo });
            await using var lector = await cmd.ExecuteReaderAsync();
            while (await lector.ReadAsync()) filas.Add(lector.GetString(0));
        }

        salida.WriteLine($"{respondidas.Count} respondidas ({sinEco} respuestas sin el eco, del servidor al detenerse), {escritasAntes} escritas antes de SIGTERM, {filas.Count} después; detenido en {senal.ElapsedMilliseconds} ms.");
        // The buffer held them when the signal came (else this test proves nothing), and the stop wrote them all, once.
        Assert.True(escritasAntes < respondidas.Count, $"{escritasAntes} de {respondidas.Count} ya estaban escritas antes de la señal");
        Assert.Empty(respondidas.Except(filas));
        Assert.Equal(filas.Count, filas.Distinct().Count());
    }
}
