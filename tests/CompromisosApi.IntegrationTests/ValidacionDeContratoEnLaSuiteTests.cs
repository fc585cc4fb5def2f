using System.Net;
using CompromisosApi.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace CompromisosApi.IntegrationTests;

/// <summary>
/// The contract check is really in the way of the suite's responses (<see cref="ValidacionDeContrato"/>): on the test
/// server, on a derived host and on a Kestrel socket, bodies included; and an answer the contract doesn't document is
/// named with its operation, status and fault. Whatever the mode: these read what the check found, not the failure.
/// </summary>
public sealed class ValidacionDeContratoEnLaSuiteTests(ApiFactory factory) : PruebaApi(factory)
{
    [Fact]
    public async Task Cada_respuesta_pasa_por_el_validador_cualquiera_sea_el_cliente()
    {
        (await Cliente.GetAsync("/api/v1/lineas-evaluacion")).EnsureSuccessStatusCode();

        using var kestrel = Factory.WithWebHostBuilder(b => b.UseUrls("http://127.0.0.1:0"));
        kestrel.UseKestrel();
        kestrel.StartServer();
        var direccion = kestrel.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        using var crudo = new HttpClient { BaseAddress = new Uri(direccion) };
        (await crudo.GetAsync("/api/v1/cortes/actual")).EnsureSuccessStatusCode();

        // Outside the contract's base path: seen, not checked.
        (await Cliente.GetAsync("/health/live")).EnsureSuccessStatusCode();

        Assert.Equal((2, 2), Factory.Contrato.Cuenta);
        Assert.Empty(Factory.Contrato.Tomar());
    }

    [Fact]
    public async Task Una_respuesta_que_el_contrato_no_documenta_se_nombra()
    {
        // Answers replaced inside the check (a later startup filter is nearer the endpoints): as if the service had them.
        using var alterado = Factory.WithWebHostBuilder(b => b.ConfigureTestServices(s => s
            .AddSingleton<IStartupFilter>(new Alterar())
            .AddSingleton<RespuestasFabricadas>()));
        var cliente = alterado.CreateClient();

        Assert.Equal(HttpStatusCode.Ambiguous, (await cliente.GetAsync("/api/v1/lineas-evaluacion?alterar=300")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await cliente.GetAsync("/api/v1/lineas-evaluacion?alterar=200")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await cliente.GetAsync("/api/v1/no-existe?alterar=200")).StatusCode);

        var violaciones = Factory.Contrato.Tomar();
        Assert.Contains(violaciones, v => v.Contains("ListarLineasEvaluacion → 300", StringComparison.Ordinal) && v.Contains("estado no documentado", StringComparison.Ordinal));
        Assert.Contains(violaciones, v => v.Contains("ListarLineasEvaluacion → 200", StringComparison.Ordinal) && v.Contains("cuerpo: ArrayExpected", StringComparison.Ordinal));
        Assert.Contains(violaciones, v => v.Contains("(fuera del contrato) GET ruta desconocida → 200", StringComparison.Ordinal));
        Assert.Equal(3, violaciones.Count);
    }

    private sealed class Alterar : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use(async (http, siguiente) =>
            {
                if (!int.TryParse(http.Request.Query["alterar"], out var estado))
                {
                    await siguiente(http);
                    return;
                }

                http.Response.StatusCode = estado;
                // Every answer of the API carries the network's transaction id: only the status and the body are wrong.
                http.Response.Headers["X-Transaccion-Id"] = "alterada";
                await http.Response.WriteAsJsonAsync(new { inesperado = true });
            });
            next(app);
        };
    }
}
