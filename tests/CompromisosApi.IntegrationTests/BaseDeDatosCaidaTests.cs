using System.Diagnostics;
using System.Net;
using CompromisosApi.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace CompromisosApi.IntegrationTests;

/// <summary>
/// PostgreSQL stopped and started again under the service: answers fail fast with 503 while it is down, readiness
/// says so, and the service recovers by itself, on a cluster of the test's own so the others are not disturbed.
/// Alone (<see cref="ColeccionAislada"/>): it times answers and readiness against the service's 2 s connect timeout,
/// which the load of the parallel collections on the same cores can exceed (its first request then met a 503).
/// </summary>
[Collection(nameof(ColeccionAislada))]
public sealed class BaseDeDatosCaidaTests(Xunit.Abstractions.ITestOutputHelper salida) : IAsyncLifetime
{
    /// <summary>Its host is its own, not an <see cref="ApiFactory"/>'s: the contract check is installed here.</summary>
    private readonly ObservadorDeContrato _contrato = new();

    public Task InitializeAsync()
    {
        _contrato.Comenzar(GetType());
        return Task.CompletedTask;
    }

    public Task DisposeAsync() => _contrato.TerminarAsync();

    [SkippableFact]
    public async Task Con_PostgreSQL_detenido_responde_503_rapido_y_se_recupera_solo()
    {
        PostgresServer pg;
        try
        {
            pg = await PostgresServer.StartLocalAsync();
        }
        catch (InvalidOperationException e)
        {
            throw new SkipException("Sin binarios de PostgreSQL locales: " + e.Message);
        }

        await using (pg)
        {
            await using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b => _contrato.Instalar(pg.Configurar(b)
                .UseSetting("LimitesDeUso:SolicitudesAnonimasPorMinuto", "100000")));
            var cliente = factory.CreateClient();
            Assert.Equal(HttpStatusCode.OK, (await cliente.GetAsync("/api/v1/programas")).StatusCode);

            await pg.DetenerAsync();
            var caida = Stopwatch.StartNew();
            for (var i = 0; i < 5; i++)
            {
                var reloj = Stopwatch.StartNew();
                var r = await cliente.GetAsync("/api/v1/programas");
                reloj.Stop();
                await Problemas.AfirmarAsync(r, HttpStatusCode.ServiceUnavailable, "urn:compromisos:base-de-datos-no-disponible");
                Assert.NotNull(r.Headers.RetryAfter);
                // Not a timing benchmark: a bound far above the 2 s connect timeout, that a hung request would break.
                Assert.True(reloj.Elapsed < TimeSpan.FromSeconds(5), $"La solicitud tardó {reloj.Elapsed}");
            }

            await ListoDiceAsync(cliente, HttpStatusCode.ServiceUnavailable);
            Assert.Equal(HttpStatusCode.OK, (await cliente.GetAsync("/health/live")).StatusCode);

            await pg.ReanudarAsync();
            var recuperacion = Stopwatch.StartNew();
            HttpStatusCode estado;
            var intentos = 0;
            do
            {
                estado = (await cliente.GetAsync("/api/v1/programas")).StatusCode;
            }
            while (estado != HttpStatusCode.OK && ++intentos < 20);

            salida.WriteLine($"Recuperación: {recuperacion.ElapsedMilliseconds} ms y {intentos} respuestas fallidas tras reanudar PostgreSQL.");
            // The first request after the restart may meet a pooled connection the restart broke: at most that one.
            Assert.Equal(HttpStatusCode.OK, estado);
            Assert.True(intentos <= 1, $"{intentos} respuestas fallidas después de reanudar");
            await ListoDiceAsync(cliente, HttpStatusCode.OK);
            Assert.True(caida.Elapsed < TimeSpan.FromMinutes(1));
        }
    }

    /// <summary>Readiness answers from a probe at most Salud:SegundosEntreSondeos (2 s) old: it says so within that.</summary>
    private static async Task ListoDiceAsync(HttpClient cliente, HttpStatusCode esperado)
    {
        var reloj = Stopwatch.StartNew();
        HttpStatusCode estado;
        while ((estado = (await cliente.GetAsync("/health/ready")).StatusCode) != esperado && reloj.Elapsed < TimeSpan.FromSeconds(3))
            await Task.Delay(200);
        Assert.Equal(esperado, estado);
    }
}
